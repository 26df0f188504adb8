import { describe, expect, it } from 'vitest';
import { appendLivePoint, stepForRange, type SeriesPoint } from './live-series';

type P = SeriesPoint & { lag: number | null };

// Lag of email-service as the poller saw it: history at a 60 s step, then live ticks every 5 s.
const history: P[] = [
  { t: 0, lag: 0 },
  { t: 60_000, lag: 40 },
  { t: 120_000, lag: 95 },
];
const options = { stepMs: 60_000, windowMs: 3_600_000 };

describe('appendLivePoint', () => {
  it('appends the first live tick after history', () => {
    const next = appendLivePoint(history, { t: 125_000, lag: 101 }, options);
    expect(next.map((p) => p.t)).toEqual([0, 60_000, 120_000, 125_000]);
    expect(next[3]!.live).toBe(true);
  });

  it('replaces a live tick that is within a step of the point before it, so the step holds', () => {
    let points = appendLivePoint(history, { t: 125_000, lag: 101 }, options);
    points = appendLivePoint(points, { t: 130_000, lag: 108 }, options);
    points = appendLivePoint(points, { t: 175_000, lag: 150 }, options);
    expect(points.map((p) => [p.t, p.lag])).toEqual([[0, 0], [60_000, 40], [120_000, 95], [175_000, 150]]);
    // A full step after the last kept point: a new point.
    points = appendLivePoint(points, { t: 185_000, lag: 160 }, options);
    expect(points.map((p) => p.t)).toEqual([0, 60_000, 120_000, 175_000, 185_000]);
  });

  it('keeps every tick when the step is the poll interval', () => {
    let points: P[] = [];
    for (let t = 0; t <= 20_000; t += 5000) points = appendLivePoint(points, { t, lag: t / 1000 }, { stepMs: 5000, windowMs: 900_000 });
    expect(points).toHaveLength(5);
  });

  it('ignores a repeated or older tick', () => {
    const next = appendLivePoint(history, { t: 120_000, lag: 1 }, options);
    expect(next).toBe(history);
  });

  it('slides the window and honours the cap', () => {
    const slid = appendLivePoint(history, { t: 3_660_000 + 1, lag: 0 }, options);
    expect(slid.map((p) => p.t)).toEqual([120_000, 3_660_001]);
    let capped: P[] = [];
    for (let t = 0; t < 100; t += 1) capped = appendLivePoint(capped, { t: t * 1000, lag: t }, { stepMs: 1000, windowMs: 1e9, maxPoints: 10 });
    expect(capped).toHaveLength(10);
    expect(capped[0]!.t).toBe(90_000);
  });
});

describe('stepForRange', () => {
  it('keeps about 250 points and never goes below the poll interval', () => {
    expect(stepForRange(15 * 60_000, 5000)).toBe(5000);
    expect(stepForRange(3_600_000, 5000)).toBe(15_000);
    expect(stepForRange(24 * 3_600_000, 5000)).toBe(346_000);
    expect(stepForRange(15 * 60_000, 1000)).toBe(4000);
  });
});
