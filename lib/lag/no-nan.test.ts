import { describe, expect, it } from 'vitest';
import {
  appendHwmPoint,
  computePartitionLag,
  estimateLagSeconds,
  etaToCatchUpSeconds,
  evaluateGroupStatus,
  evaluatePartitionStatus,
  exactLagSeconds,
  maxLag,
  normalizeHwmSeries,
  PARTITION_STATUSES,
  ratePerSecond,
  rateSeries,
  resolveThresholds,
  sumLag,
  sumRates,
  type StatusSample,
} from './index';
import { nonFiniteNumbersIn, seededRandom, T0 } from './test-fixtures';

// The module's promise: unknown is null, never NaN or ±Infinity, whatever the input. Checked on hostile values
// for every exported function, with a seeded generator so a failure can be replayed.
const HOSTILE = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 0, 1, 1.5, 2 ** 53 - 1, 2 ** 53 + 2, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, T0, null];

describe('no NaN or Infinity ever comes out', () => {
  const random = seededRandom(2026);
  const any = (): number => HOSTILE[Math.floor(random() * HOSTILE.length)] as number;
  const plausibleOr = (plausible: number): number => (random() < 0.5 ? plausible : any());
  const points = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ t: plausibleOr(T0 + i * 5_000), offset: plausibleOr(1_000 + i * 250) }));
  const samples = (count: number): StatusSample[] =>
    Array.from({ length: count }, (_, i) => ({
      t: plausibleOr(T0 + i * 5_000),
      committed: plausibleOr(900 + i * 240),
      highWatermark: plausibleOr(1_000 + i * 250),
      logStartOffset: plausibleOr(0),
      lastStableOffset: random() < 0.5 ? null : plausibleOr(1_000 + i * 250),
    }));
  const expectFinite = (value: unknown) => expect(nonFiniteNumbersIn(value)).toEqual([]);

  it('guards the detector itself', () => {
    expect(nonFiniteNumbersIn({ a: [1, { b: Number.NaN }], c: null })).toEqual(['$.a[1].b = NaN']);
  });

  it('holds for 500 rounds of hostile input to every exported function', () => {
    for (let round = 0; round < 500; round++) {
      const now = plausibleOr(T0 + 200 * 5_000);
      expectFinite(computePartitionLag({ committed: any(), highWatermark: any(), logStartOffset: any(), lastStableOffset: any(), compacted: random() < 0.5 }));
      expectFinite([sumLag([any(), any(), any()]), maxLag([any(), any()]), sumRates([any(), any()])]);
      const series = points(Math.floor(random() * 12));
      expectFinite(appendHwmPoint(series, { t: any(), offset: any() }, { maxPoints: any(), maxAgeMs: any() }));
      expectFinite(normalizeHwmSeries(series, { maxPoints: plausibleOr(5) }));
      expectFinite(estimateLagSeconds(series, any(), now, { pollIntervalMs: any() }));
      expectFinite(estimateLagSeconds(normalizeHwmSeries(series).series, plausibleOr(1_500), now, { pollIntervalMs: 5_000 }));
      expectFinite(exactLagSeconds(any(), now, { requestedOffset: any(), recordOffset: any() }));
      expectFinite(ratePerSecond(series, plausibleOr(60_000), now));
      expectFinite(rateSeries(series, plausibleOr(10_000)));
      expectFinite(etaToCatchUpSeconds(any(), any(), any()));
      expectFinite(resolveThresholds({ windowMs: any(), graceMs: any(), allowedLag: any() }, { minSamples: any(), completeFraction: any(), rebalanceGraceMs: any() }));
      const verdict = evaluatePartitionStatus({
        samples: samples(Math.floor(random() * 150)),
        nowMs: now,
        membership: { assigned: random() < 0.5, groupState: random() < 0.5 ? 'Stable' : 'Empty', rebalancingSinceMs: random() < 0.7 ? null : any() },
        previous: PARTITION_STATUSES[Math.floor(random() * PARTITION_STATUSES.length)] ?? null,
        thresholds: { windowMs: plausibleOr(600_000), allowedLag: plausibleOr(0) },
      });
      expectFinite(verdict);
      expect(verdict.reason).not.toMatch(/NaN|Infinity/);
      expectFinite(evaluateGroupStatus([verdict, verdict]));
    }
  });
});
