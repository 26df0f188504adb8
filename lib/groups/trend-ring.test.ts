import { describe, expect, it } from 'vitest';
import { TrendRing, trendDirection } from './trend-ring';

const opts = { stepMs: 15_000, windowMs: 60_000 };

describe('TrendRing', () => {
  it('keeps one point per step, the newest sample of the step winning', () => {
    const ring = new TrendRing(opts);
    ring.add(0, 10);
    ring.add(2_000, 12);
    ring.add(15_000, 20);
    ring.add(17_000, 25);
    expect(ring.points()).toEqual([
      { t: 2_000, lag: 12 },
      { t: 17_000, lag: 25 },
    ]);
  });

  it('is bounded: old points are overwritten and fall out of the window', () => {
    const ring = new TrendRing(opts);
    for (let t = 0; t <= 300_000; t += 15_000) ring.add(t, t / 1000);
    expect(ring.size).toBe(ring.capacity);
    expect(ring.capacity).toBe(5);
    expect(ring.points().map((p) => p.t)).toEqual([240_000, 255_000, 270_000, 285_000, 300_000]);
    // Seen from later, only what is within the window of "now" remains.
    expect(ring.points(340_000).map((p) => p.t)).toEqual([285_000, 300_000]);
  });

  it('turns unknown and impossible values into null and never hands out NaN or negative lag', () => {
    const ring = new TrendRing(opts);
    ring.add(0, null);
    ring.add(15_000, Number.NaN);
    ring.add(30_000, -5);
    ring.add(Number.NaN, 3);
    expect(ring.points()).toEqual([
      { t: 0, lag: null },
      { t: 15_000, lag: null },
      { t: 30_000, lag: 0 },
    ]);
  });

  it('ignores samples older than the newest point', () => {
    const ring = new TrendRing(opts);
    ring.add(30_000, 5);
    ring.add(10_000, 99);
    expect(ring.points()).toEqual([{ t: 30_000, lag: 5 }]);
  });

  it('prepends stored history before the live points, live points winning their bucket', () => {
    const ring = new TrendRing(opts);
    ring.add(46_000, 7);
    ring.prepend([
      { t: 0, lag: 1 },
      { t: 15_000, lag: 2 },
      { t: 30_000, lag: 3 },
      { t: 45_000, lag: 100 },
      { t: 60_000, lag: 100 },
    ]);
    expect(ring.points()).toEqual([
      { t: 0, lag: 1 },
      { t: 15_000, lag: 2 },
      { t: 30_000, lag: 3 },
      { t: 46_000, lag: 7 },
    ]);
  });

  it('prepends into an empty ring', () => {
    const ring = new TrendRing(opts);
    ring.prepend([
      { t: 15_000, lag: 2 },
      { t: 0, lag: 1 },
    ]);
    expect(ring.points()).toEqual([
      { t: 0, lag: 1 },
      { t: 15_000, lag: 2 },
    ]);
  });
});

describe('trendDirection', () => {
  const at = (...lags: (number | null)[]) => lags.map((lag, i) => ({ t: i * 15_000, lag }));
  it('reads rising, falling and flat with a dead band for a healthy consumer’s jitter', () => {
    expect(trendDirection(at(0, 500, 1_000))).toBe('rising');
    expect(trendDirection(at(1_000, 400, 0))).toBe('falling');
    expect(trendDirection(at(0, 4, 2, 6))).toBe('flat');
    expect(trendDirection(at(10_000, 10_200))).toBe('flat');
  });
  it('is unknown with fewer than two known points', () => {
    expect(trendDirection(at(null, 5, null))).toBe('unknown');
    expect(trendDirection([])).toBe('unknown');
  });
});
