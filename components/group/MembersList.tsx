'use client';
import type { GroupMember } from '../../lib/contract';

/** Who is in the group and which partitions each one holds: a member with nothing assigned is a wasted consumer. */
export function MembersList({ members, state }: { members: GroupMember[]; state: string }) {
  if (members.length === 0) {
    return <p className="empty" data-testid="members-empty">No members: nothing is consuming ({state}). Start a consumer of this group, or check that its service is up.</p>;
  }
  return (
    <table className="table" data-testid="members-table">
      <thead>
        <tr>
          <th>Client id</th>
          <th>Host</th>
          <th>Assigned partitions</th>
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr key={m.memberId} data-testid="member-row">
            <td className="mono" title={m.memberId}>{m.clientId || <span className="muted">(no client id)</span>}</td>
            <td className="mono small">{m.host.replace(/^\//, '')}</td>
            <td className="small">
              {m.assignments.length === 0 ? <span className="warn-text">none: idle member</span> : m.assignments.map((a) => (
                <div key={a.topic}><span className="mono">{a.topic}</span> <span className="muted">[{a.partitions.join(', ')}]</span></div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
