'use client';
import { useNow } from '../realtime/use-now';
import { ClusterShell } from '../overview/ClusterShell';
import { formatAge } from '../../lib/format';
import { clusterHref } from '../../lib/links';
import { rangeMs } from '../../lib/charts/ranges';
import { useRangeParam } from '../charts/RangePicker';
import { useGroupHistory } from './use-group-history';
import { useGroup } from './use-group';
import { useExactLag } from './use-exact-lag';
import { GroupHeader } from './GroupHeader';
import { GroupCharts } from './GroupCharts';
import { PartitionsTable } from './PartitionsTable';
import { MembersList } from './MembersList';
import '../ui/entity.css';
import './group.css';

function GroupView({ cluster, group, pollIntervalMs, readOnly }: { cluster: string; group: string; pollIntervalMs: number; readOnly: boolean }) {
  const live = useGroup(cluster, group);
  const now = useNow(1000);
  const [range, setRange] = useRangeParam();
  const liveData = live.data && live.observedAt !== null ? { data: live.data, observedAt: live.observedAt } : null;
  const history = useGroupHistory(cluster, group, rangeMs(range), pollIntervalMs, liveData);
  const exact = useExactLag(cluster, group);

  if (!live.data) {
    return live.error ? (
      <div className="notice notice-danger" role="alert" data-testid="group-error">{live.error} <a href={clusterHref(cluster, '/groups')}>All consumer groups</a></div>
    ) : (
      <div className="notice" data-testid="loading">Loading {group}…</div>
    );
  }
  const { data } = live;
  const stale = live.connection !== 'live' || (live.observedAt !== null && now - live.observedAt > 3 * pollIntervalMs);
  return (
    <div className={`entity-page${stale ? ' is-stale' : ''}`} data-testid="group-page">
      {stale ? (
        <p className="notice notice-warn" role="status" data-testid="stale-notice">
          {live.connection !== 'live' ? 'Disconnected from the Topolog server: figures are frozen.' : `Figures from ${formatAge(live.observedAt ?? 0, now)}: the cluster is not answering.`}
        </p>
      ) : null}
      <GroupHeader cluster={cluster} data={data} observedAt={live.observedAt ?? now} spans={history.spans} now={now} readOnly={readOnly} />
      <GroupCharts group={group} range={range} onRange={setRange} history={history} />
      <section className="panel">
        <h2>
          Partitions <span className="count">{data.partitions.length}</span><span className="muted small">worst first</span>
          <button
            type="button"
            className="button small push-right"
            onClick={() => void exact.read()}
            disabled={exact.loading}
            title="Reads the record at the committed offset of the 5 worst partitions (one fetch each; Topolog never joins the group)"
            data-testid="read-exact"
          >
            {exact.loading ? 'Reading…' : 'Read exact lag in time'}
          </button>
        </h2>
        {exact.error ? <p className="notice notice-warn small" role="status">{exact.error}</p> : null}
        <PartitionsTable cluster={cluster} partitions={data.partitions} members={data.group.members} exact={exact.readings} now={now} />
      </section>
      <section className="panel">
        <h2>Members <span className="count">{data.group.members.length}</span></h2>
        <MembersList members={data.group.members} state={data.group.state} />
      </section>
    </div>
  );
}

/** `/clusters/:cluster/groups/:group`: everything the on-call engineer needs about one consumer group. */
export function GroupPage({ cluster, group }: { cluster: string; group: string }) {
  return (
    <ClusterShell cluster={cluster} view="group">
      {({ info }) => <GroupView key={`${cluster}/${group}`} cluster={cluster} group={group} pollIntervalMs={info?.pollIntervalMs ?? 5000} readOnly={info?.readOnly ?? false} />}
    </ClusterShell>
  );
}
