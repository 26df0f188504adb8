'use client';
import type { ClusterInfo } from '../../lib/contract';
import { formatAge } from '../../lib/format';
import { listStaleness } from '../../lib/lists/staleness';
import type { LiveConnection } from '../realtime/use-overview';
import { useNow } from '../realtime/use-now';
import { StatePill } from './StatePill';

/**
 * When the list's figures were observed, ticking by itself. While the cluster is fine the shell shows no banner, so
 * this line carries the state pill; when it is not, the shell's banner already has it and the notice says the rest.
 */
export function ListFreshness({ cluster, connection }: { cluster: ClusterInfo; connection: LiveConnection }) {
  const now = useNow();
  return (
    <span className="muted small" data-testid="list-freshness">
      {cluster.state === 'ok' ? <StatePill state={cluster.state} /> : null}{' '}
      {cluster.observedAt === null ? 'no data yet' : `updated ${formatAge(cluster.observedAt, now)}`}
      {connection !== 'live' ? <span className="stale"> · live updates paused, reconnecting…</span> : null}
    </span>
  );
}

/** Whether a list's figures are old: the table is dimmed and every row's numbers styled stale. */
export function useListStaleness(cluster: ClusterInfo | null): { stale: boolean; now: number } {
  // Every 5 s, not every second: this re-renders the whole table, and staleness is measured in poll intervals.
  const now = useNow(5_000);
  if (!cluster) return { stale: false, now };
  return { stale: listStaleness(cluster, now).stale, now };
}

/** The sentence above a stale list; it keeps its own 1 s clock so its age agrees with the freshness line. */
export function StaleNotice({ cluster }: { cluster: ClusterInfo }) {
  const now = useNow();
  const { notice } = listStaleness(cluster, now);
  if (!notice) return null;
  return (
    <div className="stale-notice" role="status" data-testid="stale-notice">
      <span aria-hidden>⚠</span> {notice}
    </div>
  );
}
