import { describe, expect, it } from 'vitest';
import { DEFAULT_STATUS_THRESHOLDS, resolveThresholds } from './thresholds';

describe('resolveThresholds', () => {
  it('starts from the §8.4 defaults', () => {
    expect(resolveThresholds()).toEqual({
      windowMs: 600_000,
      graceMs: 120_000,
      allowedLag: 0,
      rebalanceGraceMs: 60_000,
      minSamples: 3,
      completeFraction: 0.8,
    });
    expect(resolveThresholds(null, null)).toEqual(DEFAULT_STATUS_THRESHOLDS);
  });

  it('lets the group override the cluster, and the cluster the defaults', () => {
    const resolved = resolveThresholds({ windowMs: 300_000, allowedLag: 1 }, { allowedLag: 0, graceMs: 30_000 });
    expect(resolved).toMatchObject({ windowMs: 300_000, allowedLag: 0, graceMs: 30_000, minSamples: 3 });
  });

  it('skips invalid overrides instead of switching rules off', () => {
    const resolved = resolveThresholds(
      { windowMs: 0, graceMs: -1, completeFraction: 1.5, minSamples: 2.5 },
      { allowedLag: Number.NaN, rebalanceGraceMs: Number.POSITIVE_INFINITY, windowMs: 120_000 },
    );
    expect(resolved).toEqual({ ...DEFAULT_STATUS_THRESHOLDS, windowMs: 120_000 });
  });

  it('never hands out a mutable default', () => {
    const resolved = resolveThresholds();
    resolved.windowMs = 1;
    expect(DEFAULT_STATUS_THRESHOLDS.windowMs).toBe(600_000);
    expect(Object.isFrozen(DEFAULT_STATUS_THRESHOLDS)).toBe(true);
  });
});
