import type { GroupStatus } from '../../lib/contract';

/** Burrow-style health of a group or partition; colour by severity so the bad ones jump out. */
const TONE: Record<GroupStatus, 'ok' | 'warn' | 'danger' | 'muted'> = {
  OK: 'ok',
  WARN: 'warn',
  STALL: 'danger',
  STOP: 'danger',
  REWIND: 'warn',
  DATA_LOSS: 'danger',
  NO_COMMIT: 'muted',
  EVALUATING: 'muted',
};

export function StatusBadge({ status, reason }: { status: GroupStatus | null; reason?: string | null }) {
  if (status === null) return <span className="muted">—</span>;
  return (
    <span className={`status status-${TONE[status]}`} title={reason ?? undefined} data-testid="group-status" data-status={status}>
      {status.replace('_', ' ')}
    </span>
  );
}
