import type { GroupStatus } from '../../lib/contract';
import { statusTone } from '../../lib/lag/status-tone';

/** Burrow-style health of a group or partition; colour by severity so the bad ones jump out. */
export function StatusBadge({ status, reason }: { status: GroupStatus | null; reason?: string | null }) {
  if (status === null) return <span className="muted">—</span>;
  return (
    <span className={`status status-${statusTone(status)}`} title={reason ?? undefined} data-testid="group-status" data-status={status}>
      {status.replace('_', ' ')}
    </span>
  );
}
