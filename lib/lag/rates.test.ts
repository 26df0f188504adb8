import { describe, expect, it } from 'vitest';
import { MAX_RATE_BUCKETS, ratePerSecond, rateSeries, sumRates, type OffsetSample } from './rates';
import { hwmHistory, MINUTE, pollGrid, producedOffsets, T0 } from './test-fixtures';

const at = (seconds: number, offset: number): OffsetSample => ({ t: T0 + seconds * 1000, offset });
const nowAt = (seconds: number) => T0 + seconds * 1000;
const grid = (count: number, offsetAt: (i: number) => number) => pollGrid(count).map((t, i) => ({ t, offset: offsetAt(i) }));

describe('ratePerSecond', () => {
  it('is msgs/s over the window on a steady 5 s grid', () => {
    const samples = grid(25, (i) => 1_000_000 + i * 250);
    expect(ratePerSecond(samples, MINUTE, nowAt(120))).toBe(50);
  });

  it('follows bursts: the window rate is the HWM delta over the window', () => {
    const hwm = producedOffsets(61);
    const samples = pollGrid(61).map((t, i) => ({ t, offset: hwm[i] ?? 0 }));
    const expected = ((hwm[60] ?? 0) - (hwm[48] ?? 0)) / 60;
    expect(ratePerSecond(samples, MINUTE, nowAt(300))).toBeCloseTo(expected, 9);
    expect(expected).toBeGreaterThan(50); // one 600-message burst in the last minute
  });

  it('interpolates the offset where the window starts between two samples', () => {
    // 100 msg/s until 30 s, then 10 msg/s. A 25 s window from 40 s starts at 15 s, halfway through the fast part.
    const samples = [at(0, 0), at(10, 1_000), at(20, 2_000), at(30, 3_000), at(40, 3_100)];
    expect(ratePerSecond(samples, 25_000, nowAt(40))).toBeCloseTo((3_100 - 1_500) / 25, 9);
  });

  it('counts commits the same way, smoothing out a consumer that commits every 15 s', () => {
    const committed = pollGrid(25).map((t, i) => ({ t, offset: 40 * 15 * Math.floor((i * 5) / 15) }));
    expect(ratePerSecond(committed, MINUTE, nowAt(120))).toBe(40);
  });

  it('is 0, not null, across a compressed flat run of an idle topic', () => {
    const idle = hwmHistory(pollGrid(200), pollGrid(200).map(() => 42));
    expect(idle).toHaveLength(2);
    expect(ratePerSecond(idle, MINUTE, nowAt(995))).toBe(0);
  });

  it('uses only samples after an offset drop, so a recreated topic never shows a negative rate (scenario 17)', () => {
    const samples = [at(0, 90_000), at(5, 90_250), at(10, 90_500), at(15, 0), at(20, 100), at(25, 200)];
    expect(ratePerSecond(samples, MINUTE, nowAt(25))).toBe(20);
    expect(ratePerSecond([at(0, 90_000), at(5, 90_250), at(10, 5)], MINUTE, nowAt(10))).toBeNull();
  });

  it('uses only samples after the clock went backwards, and ignores samples from the future', () => {
    const stepped = [at(100, 0), at(105, 500), at(50, 1_000), at(55, 1_300), at(60, 1_600)];
    expect(ratePerSecond(stepped, MINUTE, nowAt(60))).toBe(60);
    expect(ratePerSecond([at(0, 0), at(5, 250), at(10, 999_999)], MINUTE, nowAt(5))).toBe(50);
  });

  it('counts offsets, so aborted records and transaction markers are included (scenario 12)', () => {
    // 5 s with 40 committed records, then an aborted transaction of 9 records plus its abort marker.
    expect(ratePerSecond([at(0, 1_000), at(5, 1_040), at(10, 1_050)], 10_000, nowAt(10))).toBe(5);
  });

  it('is null without two usable samples spanning time, or with no sample in the window', () => {
    expect(ratePerSecond([], MINUTE, nowAt(10))).toBeNull();
    expect(ratePerSecond([at(5, 100)], MINUTE, nowAt(10))).toBeNull();
    expect(ratePerSecond([at(5, 100), at(5, 100)], MINUTE, nowAt(10))).toBeNull();
    expect(ratePerSecond([at(0, 0), at(5, 250)], MINUTE, nowAt(600))).toBeNull();
    expect(ratePerSecond([at(0, 0), at(5, 250)], 0, nowAt(5))).toBeNull();
  });

  it('never returns NaN or Infinity for garbage input', () => {
    const garbage = [at(0, Number.NaN), at(5, 250), { t: Number.NaN, offset: 1 }, at(10, 500), at(15, -1)];
    expect(ratePerSecond(garbage, MINUTE, nowAt(15))).toBe(50);
    expect(ratePerSecond(garbage, Number.POSITIVE_INFINITY, nowAt(15))).toBeNull();
    expect(ratePerSecond(garbage, MINUTE, Number.NaN)).toBeNull();
  });

  it('stays exact near 2^53', () => {
    const top = Number.MAX_SAFE_INTEGER - 10_000;
    expect(ratePerSecond([at(0, top), at(5, top + 250), at(10, top + 500)], MINUTE, nowAt(10))).toBe(50);
  });
});

describe('rateSeries', () => {
  it('gives one rate per bucket, aligned to the bucket size', () => {
    const samples = pollGrid(13, { start: T0 + 2_500 }).map((t, i) => ({ t, offset: i * 250 }));
    const series = rateSeries(samples, 10_000);
    expect(series.map((point) => point.t - T0)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    expect(series.every((point) => point.rate !== null && Math.abs(point.rate - 50) < 1e-9)).toBe(true);
  });

  it('splits a pair across buckets by time, so a burst lands in its bucket', () => {
    const series = rateSeries([at(0, 0), at(10, 100), at(20, 1_100), at(30, 1_200)], 10_000);
    expect(series.map((point) => point.rate)).toEqual([10, 100, 10, null]);
  });

  it('leaves a gap, never a negative spike, across a topic recreation (scenario 17)', () => {
    const series = rateSeries([at(0, 5_000), at(10, 5_500), at(20, 10), at(30, 110)], 10_000);
    expect(series.map((point) => point.rate)).toEqual([50, null, 10, null]);
  });

  it('is null where no samples cover a bucket (poller down)', () => {
    const series = rateSeries([at(0, 0), at(10, 500), at(40, 2_000), at(50, 2_500)], 10_000);
    // The 30 s gap between 10 s and 40 s still has two samples around it, so its average rate is known.
    expect(series.map((point) => point.rate)).toEqual([50, 50, 50, 50, 50, null]);
    const broken = rateSeries([at(0, 0), at(10, 500), at(20, Number.NaN), at(40, 10), at(50, 510)], 10_000);
    expect(broken.map((point) => point.rate)).toEqual([50, null, null, null, 50, null]);
  });

  it('keeps the newest MAX_RATE_BUCKETS buckets', () => {
    const series = rateSeries([at(0, 0), at(100_000, 1_000_000)], 1);
    expect(series).toHaveLength(MAX_RATE_BUCKETS);
    expect(series.at(-1)?.t).toBe(nowAt(100_000));
    expect(series[0]?.rate).toBeCloseTo(10, 9);
  });

  it('is empty without two usable samples or with an unusable bucket size', () => {
    expect(rateSeries([], 10_000)).toEqual([]);
    expect(rateSeries([at(0, 5)], 10_000)).toEqual([]);
    expect(rateSeries([at(0, 5), at(5, 10)], 0)).toEqual([]);
    expect(rateSeries([at(0, 5), at(5, 10)], Number.NaN)).toEqual([]);
  });
});

describe('sumRates', () => {
  it('sums known partition rates and is null when none is known', () => {
    expect(sumRates([50, null, 12.5])).toBe(62.5);
    expect(sumRates([null, undefined])).toBeNull();
  });
});
