import { describe, expect, it } from 'vitest';
import type { HwmPoint } from './hwm-history';
import { estimateLagSeconds, exactLagSeconds } from './time-lag';
import { hwmHistory, MINUTE, POLL_MS, pollGrid, T0 } from './test-fixtures';

const at = (seconds: number, offset: number): HwmPoint => ({ t: T0 + seconds * 1000, offset });
const poll = { pollIntervalMs: POLL_MS };
const nowAt = (seconds: number) => T0 + seconds * 1000;

// Our own versions of kafka-lag-exporter's LookupTableSpec cases, with §8.3.1's fixes where KLE misbehaves.
describe('estimateLagSeconds: lookup table vectors (scenario 22)', () => {
  // 50 msg/s, polled every 5 s for 2 minutes: the HWM is 50·s at second s.
  const linear = hwmHistory(pollGrid(25), pollGrid(25).map((_, i) => i * 250));

  it('is exact on linear data: the message at C was appended when the HWM reached C + 1', () => {
    const estimate = estimateLagSeconds(linear, 500, nowAt(120), poll);
    expect(estimate.method).toBe('interpolated');
    expect(estimate.seconds).toBeCloseTo(120 - 501 / 50, 9);
    expect(estimate.errorBoundSeconds).toBe(5);
    // Between polls, not only on them.
    expect(estimateLagSeconds(linear, 3_337, nowAt(120), poll).seconds).toBeCloseTo(120 - 3_338 / 50, 9);
  });

  it('grows one second per second while C stands still', () => {
    const earlier = estimateLagSeconds(linear, 2_000, nowAt(100), poll).seconds ?? Number.NaN;
    const later = estimateLagSeconds(linear, 2_000, nowAt(130), poll).seconds ?? Number.NaN;
    expect(later - earlier).toBeCloseTo(30, 9);
  });

  it('resolves an offset inside a flat section to the first time the HWM got there (KLE took the last)', () => {
    const flat = hwmHistory(pollGrid(5, { stepMs: 10_000 }), [100, 200, 200, 200, 300]);
    expect(flat).toEqual([at(0, 100), at(10, 200), at(30, 200), at(40, 300)]);
    // C = 199: message 199 was appended by the poll at 10 s, the HWM then sat still until 30 s.
    expect(estimateLagSeconds(flat, 199, nowAt(60), poll)).toEqual({ seconds: 50, method: 'interpolated', errorBoundSeconds: 10 });
    // C = 200, just past the flat run: the message came after 30 s, when the HWM started moving again.
    expect(estimateLagSeconds(flat, 200, nowAt(60), poll).seconds).toBeCloseTo(60 - 30.1, 9);
  });

  it('gives no ±∞ on a table that is one flat line (dy = 0)', () => {
    const idle = hwmHistory(pollGrid(7, { stepMs: 5 * MINUTE }), [100, 100, 100, 100, 100, 100, 100]);
    expect(idle).toHaveLength(2);
    expect(estimateLagSeconds(idle, 100, nowAt(1_800), poll)).toMatchObject({ seconds: 0, method: 'caught_up' });
    // One unread message on an idle topic: older than anything we saw, so a lower bound that keeps growing (KLE #32).
    expect(estimateLagSeconds(idle, 99, nowAt(1_800), poll)).toEqual({ seconds: 1_800, method: 'lower_bound', errorBoundSeconds: null });
    expect(estimateLagSeconds(idle, 99, nowAt(3_600), poll).seconds).toBe(3_600);
  });

  it('is unknown, not NaN, with fewer than 2 points', () => {
    expect(estimateLagSeconds([], 10, nowAt(10), poll)).toEqual({ seconds: null, method: 'unknown', errorBoundSeconds: null });
    expect(estimateLagSeconds([at(0, 500)], 10, nowAt(10), poll)).toEqual({ seconds: null, method: 'unknown', errorBoundSeconds: null });
  });

  it('is 0 when C equals the newest HWM, even with a single point (KLE #111)', () => {
    expect(estimateLagSeconds([at(0, 500)], 500, nowAt(3), poll)).toEqual({ seconds: 0, method: 'caught_up', errorBoundSeconds: 5 });
    expect(estimateLagSeconds(linear, 6_000, nowAt(120), poll)).toMatchObject({ seconds: 0, method: 'caught_up' });
  });

  it('widens the caught-up error bound when the last poll is old', () => {
    expect(estimateLagSeconds(linear, 6_000, nowAt(180), poll).errorBoundSeconds).toBe(60);
  });

  it('gives a lower bound, never an extrapolation, when C is older than the history (KLE #496)', () => {
    // A new group reading from earliest; the history only covers the last 2 minutes of a long-lived topic.
    const busy = hwmHistory(pollGrid(25), pollGrid(25).map((_, i) => 1_000_000 + i * 250));
    expect(estimateLagSeconds(busy, 0, nowAt(120), poll)).toEqual({ seconds: 120, method: 'lower_bound', errorBoundSeconds: null });
    // The last message before our first poll is as old as the first poll at least; the first one after it is known.
    expect(estimateLagSeconds(busy, 999_999, nowAt(120), poll).method).toBe('lower_bound');
    expect(estimateLagSeconds(busy, 1_000_000, nowAt(120), poll).seconds).toBeCloseTo(120 - 0.02, 9);
  });

  it('reports the real bracket as the error bound when polls were missed', () => {
    const gappy = [at(0, 0), at(5, 250), at(65, 3_250), at(70, 3_500)];
    const estimate = estimateLagSeconds(gappy, 1_000, nowAt(70), poll);
    expect(estimate.method).toBe('interpolated');
    expect(estimate.errorBoundSeconds).toBe(60);
  });
});

describe('estimateLagSeconds: edge cases', () => {
  const linear = [at(0, 0), at(5, 250), at(10, 500), at(15, 750)];

  it('is 0, never negative, when the commit passed the observed HWM (KLE #138)', () => {
    expect(estimateLagSeconds(linear, 900, nowAt(15), poll)).toMatchObject({ seconds: 0, method: 'caught_up' });
  });

  it('clamps at 0 when now is before the interpolated append time (clock stepped back)', () => {
    expect(estimateLagSeconds(linear, 600, nowAt(0), poll)).toMatchObject({ seconds: 0, method: 'interpolated' });
  });

  it('uses only the history after a reset or clock step, even from a stored series', () => {
    const recreated = [at(0, 9_000), at(5, 9_500), at(10, 0), at(15, 250), at(20, 500)];
    expect(estimateLagSeconds(recreated, 249, nowAt(20), poll).seconds).toBeCloseTo(5, 9);
    const stepped = [at(100, 0), at(105, 250), at(50, 500), at(55, 750)];
    expect(estimateLagSeconds(stepped, 600, nowAt(60), poll).seconds).toBeCloseTo(60 - (50 + (601 - 500) / 50), 9);
  });

  it('is unknown without a commit', () => {
    for (const committed of [null, -1, Number.NaN]) {
      expect(estimateLagSeconds(linear, committed, nowAt(15), poll)).toEqual({ seconds: null, method: 'unknown', errorBoundSeconds: null });
    }
  });

  it('never returns NaN or Infinity for garbage times or poll intervals', () => {
    expect(estimateLagSeconds(linear, 100, Number.NaN, poll).seconds).toBeNull();
    expect(estimateLagSeconds(linear, 800, nowAt(20), { pollIntervalMs: Number.NaN })).toEqual({ seconds: 0, method: 'caught_up', errorBoundSeconds: 5 });
    const withGarbage = [at(0, 0), { t: Number.NaN, offset: 10 }, at(5, 250), at(10, Number.POSITIVE_INFINITY), at(15, 750)];
    const estimate = estimateLagSeconds(withGarbage, 100, nowAt(15), { pollIntervalMs: Number.POSITIVE_INFINITY });
    expect(estimate.seconds).toBeCloseTo(15 - 101 / 50, 9);
    expect(estimate.errorBoundSeconds).toBe(5);
  });

  it('stays exact near 2^53', () => {
    const top = Number.MAX_SAFE_INTEGER - 1_000;
    const series = [at(0, top), at(5, top + 250), at(10, top + 500)];
    expect(estimateLagSeconds(series, top + 299, nowAt(10), poll).seconds).toBeCloseTo(10 - 6, 9);
  });
});

describe('exactLagSeconds', () => {
  it('is now minus the record timestamp', () => {
    expect(exactLagSeconds(nowAt(10), nowAt(55))).toEqual({ seconds: 45, method: 'exact', errorBoundSeconds: 0, compactionDetected: false });
  });

  it('is clamped at 0 when the producer clock runs ahead of ours', () => {
    expect(exactLagSeconds(nowAt(60), nowAt(55)).seconds).toBe(0);
  });

  it("treats Kafka's -1 (no timestamp) and garbage as unknown", () => {
    for (const timestamp of [-1, null, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(exactLagSeconds(timestamp, nowAt(55))).toMatchObject({ seconds: null, method: 'unknown', errorBoundSeconds: null });
    }
    expect(exactLagSeconds(nowAt(10), Number.NaN).seconds).toBeNull();
  });

  it('flags compaction when the broker returned a later offset than asked for (scenario 13)', () => {
    expect(exactLagSeconds(nowAt(10), nowAt(55), { requestedOffset: 4_000, recordOffset: 4_017 }).compactionDetected).toBe(true);
    expect(exactLagSeconds(nowAt(10), nowAt(55), { requestedOffset: 4_000, recordOffset: 4_000 }).compactionDetected).toBe(false);
  });
});
