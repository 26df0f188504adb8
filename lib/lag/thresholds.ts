/** Knobs of the status rules (design §8.4). Configurable per cluster and per group. */
export interface StatusThresholds {
  /** Length of the evaluation window. Time-based, so it does not depend on how often the group commits (Burrow #237). */
  windowMs: number;
  /** A partition is only "not progressing" if it was not caught up at any point in this recent stretch (Burrow #338). */
  graceMs: number;
  /** Lag this small counts as caught up; 1 suits transactional topics, where the commit marker is never consumed. */
  allowedLag: number;
  /** How long a rebalance may freeze offsets before we judge the partition again. */
  rebalanceGraceMs: number;
  /** Fewest samples a window needs before it is judged. */
  minSamples: number;
  /** Share of `windowMs` the samples must span before the window is judged. */
  completeFraction: number;
}

export type StatusThresholdOverrides = Partial<StatusThresholds>;

export const DEFAULT_STATUS_THRESHOLDS: Readonly<StatusThresholds> = Object.freeze({
  windowMs: 600_000,
  graceMs: 120_000,
  allowedLag: 0,
  rebalanceGraceMs: 60_000,
  minSamples: 3,
  completeFraction: 0.8,
});

type Check = (value: number) => boolean;

const VALID: Record<keyof StatusThresholds, Check> = {
  windowMs: (value) => value > 0,
  graceMs: (value) => value >= 0,
  allowedLag: (value) => value >= 0,
  rebalanceGraceMs: (value) => value >= 0,
  minSamples: (value) => Number.isInteger(value) && value >= 1,
  completeFraction: (value) => value >= 0 && value <= 1,
};

/**
 * Defaults, then the cluster's overrides, then the group's. An override that is missing or invalid (NaN, negative,
 * a fraction above 1) is skipped, so one bad config value cannot switch the rules off.
 */
export function resolveThresholds(
  clusterOverrides?: StatusThresholdOverrides | null,
  groupOverrides?: StatusThresholdOverrides | null,
): StatusThresholds {
  const resolved: StatusThresholds = { ...DEFAULT_STATUS_THRESHOLDS };
  for (const overrides of [clusterOverrides, groupOverrides]) {
    if (!overrides) continue;
    for (const key of Object.keys(VALID) as (keyof StatusThresholds)[]) {
      const value = overrides[key];
      if (typeof value === 'number' && Number.isFinite(value) && VALID[key](value)) resolved[key] = value;
    }
  }
  return resolved;
}
