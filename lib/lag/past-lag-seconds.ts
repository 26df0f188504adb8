import type { HwmPoint } from './hwm-history';
import { estimateLagSeconds } from './time-lag';

/** One group-partition's stored history: its HWM series and its committed offsets, oldest first. */
export interface PartitionOffsetHistory {
  hwm: readonly HwmPoint[];
  commits: readonly { t: number; offset: number }[];
}

/**
 * The worst partition's lag in seconds at a past moment `t`, from stored HWM and commit series: the live
 * estimator evaluated as it would have been then (only HWM points up to `t`, the commit in force at `t`).
 * Partitions without a commit by `t`, or whose estimate is unknown, are left out; null when none is known.
 * Used by the group history chart and by the past topology graph, so both say the same for the same moment.
 */
export function worstLagSecondsAt(partitions: readonly PartitionOffsetHistory[], t: number, { pollIntervalMs }: { pollIntervalMs: number }): number | null {
  let worst: number | null = null;
  for (const { hwm, commits } of partitions) {
    const committed = lastAtOrBefore(commits, t);
    if (committed === null) continue;
    const seconds = estimateLagSeconds(hwm.filter((h) => h.t <= t), committed, t, { pollIntervalMs }).seconds;
    if (seconds !== null) worst = worst === null ? seconds : Math.max(worst, seconds);
  }
  return worst;
}

/** Step value of an oldest-first series at `t`: the newest offset at or before it, null before the first. */
export function lastAtOrBefore(points: readonly { t: number; offset: number }[], t: number): number | null {
  let value: number | null = null;
  for (const p of points) {
    if (p.t > t) break;
    value = p.offset;
  }
  return value;
}
