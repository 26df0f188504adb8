'use client';
import type { WriteProblem } from './replay-api';

/**
 * A refused or failed write, said plainly: what happened, what to do, who is in the way (a reset's live members),
 * and the audit entry that recorded the refusal.
 */
export function ProblemNotice({ problem, title, testId = 'write-problem' }: { problem: WriteProblem; title?: string; testId?: string }) {
  return (
    <div className="notice notice-danger replay-problem" role="alert" data-testid={testId} data-error={problem.code ?? undefined}>
      <strong>{title ?? (problem.status === 403 || problem.status === 409 ? 'Refused.' : 'It did not work.')}</strong> {problem.message}
      {problem.hint ? <span className="replay-hint"> {problem.hint}</span> : null}
      {problem.members.length > 0 ? <MembersInTheWay members={problem.members} /> : null}
      {problem.auditId !== null ? <span className="muted small"> (audit entry #{problem.auditId})</span> : null}
    </div>
  );
}

export function MembersInTheWay({ members }: { members: WriteProblem['members'] }) {
  return (
    <ul className="replay-members" data-testid="blocking-members">
      {members.map((m) => (
        <li key={m.memberId}>
          <span className="mono">{m.clientId || m.memberId}</span> <span className="muted">on {m.host || 'unknown host'} · {m.protocol === 'consumer' ? 'KIP-848' : 'classic'}</span>
        </li>
      ))}
    </ul>
  );
}
