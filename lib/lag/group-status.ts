import type { PartitionStatus, PartitionStatusResult } from './status';

/**
 * Least to most severe; a group shows its worst partition. EVALUATING ranks lowest so that one new partition does
 * not hide the verdict on all the others (`complete` says how much of the group has been judged), and NO_COMMIT
 * below OK because it is informational (§8.4 rule 0): a group only shows it when nothing has committed.
 * Among errors: lost data cannot be undone, no consumer beats a stuck one, and a rewind usually heals itself.
 */
export const STATUS_SEVERITY: readonly PartitionStatus[] = ['EVALUATING', 'NO_COMMIT', 'OK', 'WARN', 'REWIND', 'STALL', 'STOP', 'DATA_LOSS'];

/** Coarse levels for alerting and the group metric (§8.4, §8.5): STOP, STALL, REWIND and DATA_LOSS are errors. */
export type StatusLevel = 'OK' | 'WARN' | 'ERR' | 'EVALUATING' | 'NOTFOUND';

export interface GroupStatusResult {
  /** Worst partition status; null when the group has no partitions to judge. */
  status: PartitionStatus | null;
  level: StatusLevel;
  /** Share of partitions with a complete window (Burrow's group "complete"); null without partitions. */
  complete: number | null;
  partitions: number;
  counts: Record<PartitionStatus, number>;
}

export function statusLevel(status: PartitionStatus | null): StatusLevel {
  switch (status) {
    case null:
      return 'NOTFOUND';
    case 'DATA_LOSS':
    case 'STOP':
    case 'STALL':
    case 'REWIND':
      return 'ERR';
    case 'WARN':
      return 'WARN';
    case 'EVALUATING':
      return 'EVALUATING';
    case 'OK':
    case 'NO_COMMIT':
      return 'OK';
  }
}

/** Group status from its partitions' results: the worst status by STATUS_SEVERITY, counts per status and `complete`. */
export function evaluateGroupStatus(partitions: readonly Pick<PartitionStatusResult, 'status' | 'complete'>[]): GroupStatusResult {
  const counts = Object.fromEntries(STATUS_SEVERITY.map((status) => [status, 0])) as Record<PartitionStatus, number>;
  let worst: PartitionStatus | null = null;
  let complete = 0;
  for (const partition of partitions) {
    counts[partition.status] += 1;
    if (partition.complete) complete += 1;
    if (worst === null || STATUS_SEVERITY.indexOf(partition.status) > STATUS_SEVERITY.indexOf(worst)) worst = partition.status;
  }
  return {
    status: worst,
    level: statusLevel(worst),
    complete: partitions.length === 0 ? null : complete / partitions.length,
    partitions: partitions.length,
    counts,
  };
}
