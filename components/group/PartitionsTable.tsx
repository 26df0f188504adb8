'use client';
import { useMemo } from 'react';
import Link from 'next/link';
import type { GroupMember, GroupPartition, LagSecondsMethod } from '../../lib/contract';
import { formatCount, formatDuration } from '../../lib/format';
import { topicHref } from '../../lib/links';
import { StatusBadge } from '../ui/StatusBadge';
import { exactLagNow, partitionKey, type ExactLagReadings } from './use-exact-lag';

/** How a lag-in-seconds figure was obtained, said next to it: an estimate must not read as a measurement. */
const METHOD: Record<LagSecondsMethod, { prefix: string; note: string }> = {
  caught_up: { prefix: '', note: 'caught up' },
  interpolated: { prefix: '≈ ', note: 'estimated from the offsets history' },
  lower_bound: { prefix: '≥ ', note: 'at least: the history does not reach back to the committed offset' },
  exact: { prefix: '', note: 'exact: timestamp of the record at the committed offset' },
  unknown: { prefix: '', note: 'unknown' },
};

function lagSeconds(p: GroupPartition): string {
  if (p.lagSecondsMethod === 'caught_up') return '0 s';
  if (p.lagSeconds === null) return '—';
  return `${METHOD[p.lagSecondsMethod].prefix}${p.lagSeconds < 1 ? '< 1 s' : formatDuration(p.lagSeconds)}`;
}

function LagSecondsCell({ p, exactSeconds }: { p: GroupPartition; exactSeconds: number | null }) {
  if (exactSeconds !== null) {
    return (
      <td className="num" title={`${METHOD.exact.note}; the estimate is ${lagSeconds(p)}`} data-testid="partition-lag-seconds" data-method="exact">
        {exactSeconds < 1 ? '< 1 s' : formatDuration(exactSeconds)} <span className="method method-exact">exact</span>
      </td>
    );
  }
  return (
    <td className="num" title={METHOD[p.lagSecondsMethod].note} data-testid="partition-lag-seconds" data-method={p.lagSecondsMethod}>
      {lagSeconds(p)} <span className="method">{p.lagSecondsMethod === 'unknown' || p.lagSecondsMethod === 'caught_up' ? '' : p.lagSecondsMethod.replace('_', ' ')}</span>
    </td>
  );
}

/** Every partition the group reads: where it is, how far behind, why it has its status, and who owns it. */
export function PartitionsTable({ cluster, partitions, members, exact, now }: { cluster: string; partitions: GroupPartition[]; members: GroupMember[]; exact: ExactLagReadings; now: number }) {
  // Memoised: the table re-renders every second (exact readings age), the partitions only every poll.
  const hostOf = useMemo(() => new Map(members.map((m) => [m.memberId, m.host])), [members]);
  // The worst first: what the on-call engineer is looking for.
  const rows = useMemo(
    () => [...partitions].sort((a, b) => (b.lagSeconds ?? -1) - (a.lagSeconds ?? -1) || (b.lag ?? -1) - (a.lag ?? -1) || a.topic.localeCompare(b.topic) || a.partition - b.partition),
    [partitions],
  );
  return (
    <table className="table" data-testid="partitions-table">
      <thead>
        <tr>
          <th>Topic</th>
          <th className="num">Partition</th>
          <th className="num" title="The group's committed offset">Committed</th>
          <th className="num" title="High watermark: the next offset to be written">End offset</th>
          <th className="num" title="Messages behind the end offset">Lag</th>
          <th className="num" title="Age of the oldest unread message">Lag in time</th>
          <th>Status</th>
          <th>Member</th>
          <th>Host</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr key={partitionKey(p)} data-testid="partition-row" data-topic={p.topic} data-partition={p.partition} className={p.staleSince !== null ? 'stale-row' : undefined}>
            <td className="mono"><Link href={topicHref(cluster, p.topic)}>{p.topic}</Link></td>
            <td className="num">{p.partition}</td>
            <td className="num mono">{p.committed === null ? <span className="muted" title="The group never committed on this partition">none</span> : p.committed.toLocaleString()}</td>
            <td className="num mono">{p.highWatermark === null ? '—' : p.highWatermark.toLocaleString()}</td>
            <td className="num" data-testid="partition-lag">
              {p.lagIsUpperBound && p.lag !== null ? <span title="Compacted topic: offsets have gaps, so this is an upper bound">≤ </span> : null}
              {formatCount(p.lag)}
              {p.messagesLost ? <span className="tag tag-danger" title="Deleted by retention before the group read them">{formatCount(p.messagesLost)} lost</span> : null}
            </td>
            <LagSecondsCell p={p} exactSeconds={exactLagNow(exact.get(partitionKey(p)), p.committed, now)} />
            <td>
              <StatusBadge status={p.status} reason={p.statusReason} />
              <div className="muted small reason">{p.statusReason}</div>
            </td>
            <td className="mono small">{p.clientId ?? <span className="muted">unassigned</span>}</td>
            <td className="mono small">{p.memberId ? (hostOf.get(p.memberId)?.replace(/^\//, '') ?? '—') : '—'}</td>
          </tr>
        ))}
        {rows.length === 0 ? (
          <tr>
            <td colSpan={9} className="empty">This group has no committed offsets and no assigned partitions yet.</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
