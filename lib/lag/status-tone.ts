import type { GroupStatus } from '../contract/groups';

export type StatusTone = 'ok' | 'warn' | 'danger' | 'muted';

/** Burrow-style severity of a group status: the colour it gets everywhere (badges, timeline, charts). */
const TONE: Record<GroupStatus, StatusTone> = {
  OK: 'ok',
  WARN: 'warn',
  STALL: 'danger',
  STOP: 'danger',
  REWIND: 'warn',
  DATA_LOSS: 'danger',
  NO_COMMIT: 'muted',
  EVALUATING: 'muted',
};

export function statusTone(status: GroupStatus | null): StatusTone {
  return status === null ? 'muted' : TONE[status];
}
