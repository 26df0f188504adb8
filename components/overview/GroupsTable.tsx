'use client';
import type { GroupSummary } from '../../lib/contract';
import { formatCount } from '../../lib/format';

/** Broker states that mean "nobody is consuming right now". */
const IDLE_STATES = new Set(['Empty', 'Dead', 'EMPTY', 'DEAD']);

export function GroupsTable({ groups, filter }: { groups: GroupSummary[]; filter: (text: string) => boolean }) {
  const rows = groups.filter((g) => filter(g.id) || g.topics.some(filter)).sort((a, b) => a.id.localeCompare(b.id));
  return (
    <table className="table" data-testid="groups-table">
      <thead>
        <tr>
          <th>Consumer group</th>
          <th>State</th>
          <th className="num">Members</th>
          <th>Reads</th>
          <th className="num" title="Lag in messages (sum over partitions)">Lag</th>
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
              <span className={IDLE_STATES.has(group.state) ? 'muted' : ''}>{group.state}</span>
            </td>
            <td className="num">{group.members.length}</td>
            <td className="mono small">{group.topics.join(', ') || <span className="muted">—</span>}</td>
            <td className="num muted" title={group.lagSum === null ? 'Not measured yet' : undefined}>{formatCount(group.lagSum)}</td>
          </tr>
        ))}
        {rows.length === 0 && (
          <tr>
            <td colSpan={5} className="empty">No consumer groups match.</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
