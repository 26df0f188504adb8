'use client';
import type { GroupSummary } from '../../lib/contract';
import { formatCount, formatDuration } from '../../lib/format';
import { StatusBadge } from '../ui/StatusBadge';

/** Broker states that mean "nobody is consuming right now". */
const IDLE_STATES = new Set(['Empty', 'Dead', 'EMPTY', 'DEAD']);

function formatSeconds(seconds: number | null): string {
  return seconds === null ? '—' : seconds < 1 ? '< 1 s' : formatDuration(seconds);
}

export function GroupsTable({ groups, filter }: { groups: GroupSummary[]; filter: (text: string) => boolean }) {
  const rows = groups.filter((g) => filter(g.id) || g.topics.some(filter)).sort((a, b) => a.id.localeCompare(b.id));
  return (
    <table className="table" data-testid="groups-table">
      <thead>
        <tr>
          <th>Consumer group</th>
          <th>Status</th>
          <th>State</th>
          <th className="num">Members</th>
          <th>Reads</th>
          <th className="num" title="Lag in messages (sum over partitions)">Lag</th>
          <th className="num" title="Age of the oldest unread message (worst partition)">Lag time</th>
          <th className="num" title="Time to catch up at the current consume and produce rates">ETA</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((group) => (
          <tr key={group.id} data-testid="group-row" data-group={group.id}>
            <td className="mono">
              {group.id}
              {group.type !== 'classic' && <span className="tag" title="Group protocol">{group.type}</span>}
            </td>
            <td>
              <StatusBadge status={group.status} reason={group.statusReason} />
            </td>
            <td>
              <span className={IDLE_STATES.has(group.state) ? 'muted' : ''}>{group.state}</span>
            </td>
            <td className="num">{group.members.length}</td>
            <td className="mono small">{group.topics.join(', ') || <span className="muted">—</span>}</td>
            <td className="num" data-testid="group-lag">{formatCount(group.lagSum)}</td>
            <td className="num">{formatSeconds(group.lagSecondsMax)}</td>
            <td className="num muted">{group.etaSeconds === null ? '—' : group.etaSeconds === 0 ? 'caught up' : formatDuration(group.etaSeconds)}</td>
          </tr>
        ))}
        {rows.length === 0 && (
          <tr>
            <td colSpan={8} className="empty">No consumer groups match.</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
