'use client';
import Link from 'next/link';
import type { GroupSummary, GroupType } from '../../lib/contract';
import { formatAge, formatCount, formatDuration, formatRate } from '../../lib/format';
import { describeEta } from '../../lib/groups/eta-text';
import { isProblem } from '../../lib/groups/list-params';
import type { GroupSort, GroupSortKey } from '../../lib/groups/sort-groups';
import { trendDirection } from '../../lib/groups/trend-ring';
import { groupHref } from '../../lib/links';
import { SortableHeader } from '../ui/SortableHeader';
import { StatusBadge } from '../ui/StatusBadge';
import { LagSparkline } from './LagSparkline';
import type { GroupTrendsView } from './use-group-trends';

/** Broker states that mean "nobody is consuming right now". */
const IDLE_STATES = new Set(['Empty', 'Dead', 'EMPTY', 'DEAD']);

const TYPE_LABEL: Record<GroupType, { text: string; title: string }> = {
  classic: { text: 'classic', title: 'Classic group protocol (JoinGroup / SyncGroup)' },
  consumer: { text: 'KIP-848', title: 'Consumer group protocol of KIP-848 (server-side assignment)' },
  share: { text: 'share', title: 'Share group (KIP-932)' },
  streams: { text: 'streams', title: 'Kafka Streams group protocol (KIP-1071)' },
  unknown: { text: '—', title: 'The broker did not say which protocol this group uses' },
};

export const GROUP_COLUMNS = 12;

function formatLagSeconds(seconds: number | null): string {
  return seconds === null ? '—' : seconds < 1 ? '< 1 s' : formatDuration(seconds);
}

export function GroupsListTable({
  cluster,
  groups,
  sort,
  onSort,
  trends,
  tableStale,
  now,
  footer,
}: {
  cluster: string;
  groups: readonly GroupSummary[];
  sort: GroupSort;
  onSort: (key: GroupSortKey) => void;
  trends: GroupTrendsView;
  /** The cluster's figures as a whole are old: every row's numbers are styled stale. */
  tableStale: boolean;
  now: number;
  /** Rows after the groups: the empty state or "show more". */
  footer?: React.ReactNode;
}) {
  const header = (key: GroupSortKey, label: string, numeric: boolean, title?: string) => <SortableHeader sortKey={key} label={label} current={sort} onSort={onSort} numeric={numeric} title={title} />;
  return (
    <table className="table groups-table" data-testid="groups-table">
      <thead>
        <tr>
          {header('name', 'Consumer group', false)}
          {header('problems', 'Status', false, 'Sorts problem groups first: STOP, STALL, DATA LOSS, REWIND, then WARN, NO COMMIT, EVALUATING, OK')}
          <th scope="col">Type</th>
          <th scope="col">State</th>
          {header('members', 'Members', true)}
          <th scope="col" title="Total lag over the last 15 minutes (red: rising, green: falling)">Lag trend</th>
          {header('lag', 'Lag (msg)', true, 'Messages behind, summed over partitions')}
          {header('lagMax', 'Max lag (msg)', true, 'Messages behind on the worst partition')}
          {header('lagSeconds', 'Lag time', true, 'Age of the oldest unread message (worst partition)')}
          {header('eta', 'ETA', true, 'Time to catch up at the current consume and produce rates')}
          {header('consumeRate', 'Consume', true, 'Messages per second the group commits (last minute)')}
          <th scope="col">Reads</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => (
          <GroupRow key={group.id} cluster={cluster} group={group} trends={trends} tableStale={tableStale} now={now} />
        ))}
        {footer}
      </tbody>
    </table>
  );
}

function GroupRow({ cluster, group, trends, tableStale, now }: { cluster: string; group: GroupSummary; trends: GroupTrendsView; tableStale: boolean; now: number }) {
  const points = trends.ringOf(group.id)?.points() ?? [];
  const direction = trendDirection(points);
  const eta = describeEta(group, direction);
  const staleSince = group.staleSince ?? null;
  const stale = tableStale || staleSince !== null;
  const fig = (extra = '') => `num${stale ? ' figure-stale' : ''}${extra}`;
  const problem = isProblem(group.status);
  const bad = problem && !stale ? ' lag-bad' : '';
  const rowClass = group.status === 'WARN' ? 'row-warn' : problem ? 'row-problem' : undefined;
  const type = TYPE_LABEL[group.type];
  return (
    <tr data-testid="group-row" data-group={group.id} data-status={group.status ?? ''} data-stale={stale ? 'true' : 'false'} className={rowClass}>
      <td className="mono group-name">
        <Link href={groupHref(cluster, group.id)}>{group.id}</Link>
      </td>
      <td className="keep-bright">
        <StatusBadge status={group.status} reason={group.statusReason} />
        {staleSince !== null && (
          <span className="stale-tag" title="Topolog could not read some of this group's partitions; their figures are from before then." data-testid="group-stale">
            stale {formatAge(staleSince, now).replace(' ago', '')}
          </span>
        )}
      </td>
      <td className="small" title={type.title}>
        {type.text}
      </td>
      <td className="small">
        <span className={IDLE_STATES.has(group.state) ? 'muted' : ''}>{group.state || '—'}</span>
      </td>
      <td className={fig()}>{group.members.length}</td>
      <td>
        <LagSparkline points={points} direction={direction} windowMs={trends.windowMs} />
      </td>
      <td className={fig(bad)} data-testid="group-lag">
        {formatCount(group.lagSum)}
      </td>
      <td className={fig(bad)}>{formatCount(group.lagMax)}</td>
      <td className={fig(bad)} data-testid="group-lag-seconds">
        {formatLagSeconds(group.lagSecondsMax)}
      </td>
      <td className={fig(stale ? '' : ` eta-${eta.tone}`)} title={eta.title} data-testid="group-eta">
        {eta.text}
      </td>
      <td className={fig()}>{formatRate(group.consumeRate ?? null)}</td>
      <td className="mono small group-reads" title={group.topics.join(', ')}>
        {group.topics.length === 0 ? <span className="muted">—</span> : group.topics.join(', ')}
      </td>
    </tr>
  );
}
