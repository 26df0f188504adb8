import { describe, expect, it } from 'vitest';
import { appendHwmPoint, DEFAULT_HWM_HISTORY_LIMITS, normalizeHwmSeries, type HwmPoint } from './hwm-history';
import { hwmHistory, MINUTE, POLL_MS, pollGrid, producedOffsets, T0 } from './test-fixtures';

const at = (seconds: number, offset: number): HwmPoint => ({ t: T0 + seconds * 1000, offset });

function build(points: HwmPoint[], limits = {}) {
  return normalizeHwmSeries(points, limits).series;
}

describe('appendHwmPoint', () => {
  it('keeps every point while the offset grows', () => {
    const times = pollGrid(20);
    const hwm = producedOffsets(20);
    expect(hwmHistory(times, hwm)).toEqual(times.map((t, i) => ({ t, offset: hwm[i] })));
  });

  it('keeps only the first and last point of a flat run', () => {
    const series = build([at(0, 100), at(5, 200), at(10, 200), at(15, 200), at(20, 200), at(25, 300)]);
    expect(series).toEqual([at(0, 100), at(5, 200), at(20, 200), at(25, 300)]);
  });

  it('says how each point was taken', () => {
    const first = appendHwmPoint([], at(0, 100));
    expect(first).toEqual({ series: [at(0, 100)], reset: false, outcome: 'inserted' });
    const second = appendHwmPoint(first.series, at(5, 100));
    expect(second.outcome).toBe('inserted'); // two equal points: the run's first and (so far) last
    expect(appendHwmPoint(second.series, at(10, 100))).toEqual({ series: [at(0, 100), at(10, 100)], reset: false, outcome: 'extended_flat' });
  });

  it('resets and tells the caller when the HWM drops (topic recreated or truncated)', () => {
    const before = build([at(0, 5_000), at(5, 5_250), at(10, 5_500)]);
    expect(appendHwmPoint(before, at(15, 40))).toEqual({ series: [at(15, 40)], reset: true, outcome: 'reset_offset_dropped' });
  });

  it('resets when the clock went backwards, and drops a second reading in the same millisecond', () => {
    const before = build([at(0, 5_000), at(5, 5_250)]);
    expect(appendHwmPoint(before, at(2, 5_300))).toEqual({ series: [at(2, 5_300)], reset: true, outcome: 'reset_clock_went_back' });
    expect(appendHwmPoint(before, at(5, 5_999))).toEqual({ series: before, reset: false, outcome: 'ignored_duplicate' });
  });

  it('ignores unusable points', () => {
    const before = build([at(0, 5_000)]);
    for (const bad of [at(5, Number.NaN), at(5, -1), { t: Number.NaN, offset: 5 }, at(5, Number.POSITIVE_INFINITY)]) {
      expect(appendHwmPoint(before, bad)).toEqual({ series: before, reset: false, outcome: 'ignored_invalid' });
    }
  });

  it('never mutates the series it is given', () => {
    const before = Object.freeze(build([at(0, 100), at(5, 100)]).map((point) => Object.freeze(point)));
    const after = appendHwmPoint(before, at(10, 100));
    expect(after.series).not.toBe(before);
    expect(before).toEqual([at(0, 100), at(5, 100)]);
  });

  it('is bounded by maxPoints, dropping the oldest', () => {
    const times = pollGrid(50);
    const series = normalizeHwmSeries(times.map((t, i) => ({ t, offset: i * 100 })), { maxPoints: 10 }).series;
    expect(series).toHaveLength(10);
    expect(series[0]).toEqual({ t: times[40], offset: 4_000 });
  });

  it('is bounded by maxAgeMs, keeping one anchor point at or before the cutoff', () => {
    const series = build(
      pollGrid(61, { stepMs: MINUTE }).map((t, i) => ({ t, offset: i })),
      { maxAgeMs: 10 * MINUTE },
    );
    expect(series[0]?.t).toBe(T0 + 50 * MINUTE);
    expect(series.at(-1)?.t).toBe(T0 + 60 * MINUTE);
    expect(series).toHaveLength(11);
  });

  it('keeps the start of a flat run older than maxAge, so an idle topic stays measurable', () => {
    const idle = build([at(0, 100), at(5, 500), ...pollGrid(800, { start: T0 + 10_000 }).map((t) => ({ t, offset: 500 }))], { maxAgeMs: 10 * MINUTE });
    expect(idle).toEqual([at(5, 500), { t: T0 + 10_000 + 799 * POLL_MS, offset: 500 }]);
  });

  it('falls back to the defaults for unusable limits', () => {
    const series = normalizeHwmSeries(pollGrid(400).map((t, i) => ({ t, offset: i })), { maxPoints: Number.NaN, maxAgeMs: -5 }).series;
    expect(series).toHaveLength(DEFAULT_HWM_HISTORY_LIMITS.maxPoints);
  });

  it('stays exact near 2^53', () => {
    const top = Number.MAX_SAFE_INTEGER;
    expect(build([at(0, top - 2), at(5, top - 1), at(10, top - 1), at(15, top - 1)])).toEqual([at(0, top - 2), at(5, top - 1), at(15, top - 1)]);
  });
});

describe('normalizeHwmSeries', () => {
  it('rebuilds a stored history with the same rules and reports a reset inside it', () => {
    const stored = [at(0, 100), at(5, 200), at(10, 200), at(15, 200), at(20, 50), at(25, 80), at(25, 80)];
    expect(normalizeHwmSeries(stored)).toEqual({ series: [at(20, 50), at(25, 80)], reset: true });
    expect(normalizeHwmSeries([])).toEqual({ series: [], reset: false });
  });
});

describe('thinHwmHistory', () => {
  it('keeps every recent point and one per spacing before, with the oldest anchor and the newest point', async () => {
    const { thinHwmHistory } = await import('./hwm-history');
    // 20 minutes of polls every 5 s, growing 50 offsets per poll.
    const series = Array.from({ length: 241 }, (_, i) => ({ t: i * 5_000, offset: i * 50 }));
    const now = 1_200_000;
    thinHwmHistory(series, now, 600_000, 60_000);
    const old = series.filter((p) => p.t < now - 600_000);
    const recent = series.filter((p) => p.t >= now - 600_000);
    expect(recent).toHaveLength(121);
    expect(old[0]).toEqual({ t: 0, offset: 0 });
    expect(old.length).toBe(10);
    for (let i = 1; i < old.length; i++) expect(old[i]!.t - old[i - 1]!.t).toBeGreaterThanOrEqual(60_000);
    expect(series.at(-1)).toEqual({ t: 1_200_000, offset: 12_000 });
  });

  it('leaves short or recent-only series alone', async () => {
    const { thinHwmHistory } = await import('./hwm-history');
    const series = [{ t: 0, offset: 0 }, { t: 1000, offset: 5 }];
    thinHwmHistory(series, 1000, 600_000, 60_000);
    expect(series).toHaveLength(2);
  });
});
