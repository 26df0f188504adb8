import { finiteOrNull, offsetOrNull, sumKnown } from './known';
import { trailingMonotonicRun } from './series';

/** An offset (HWM for produce rates, committed offset for consume rates) observed at epoch ms `t`. */
export interface OffsetSample {
  t: number;
  offset: number;
}

export interface RatePoint {
  /** Start of the bucket, epoch ms, aligned to a multiple of the bucket size so partitions' charts line up. */
  t: number;
  /** Offsets per second in the bucket; null where no two samples cover it. */
  rate: number | null;
}

/** A chart never needs more; it also bounds the work when a caller passes a tiny bucket over a long history. */
export const MAX_RATE_BUCKETS = 10_000;

/**
 * Offsets per second over the last `windowMs` before `nowMs` (design §6). Produce rate = HWM samples of a partition,
 * consume rate = committed samples of a (group, partition). It counts offsets, so aborted records and transaction
 * markers are included. Only samples after the newest offset drop (topic recreated) or clock step are used, so the
 * rate is never negative. Where the window starts between two samples, the offset at the window start is interpolated.
 * Needs two usable samples spanning more than 0 ms, else null.
 */
export function ratePerSecond(samples: readonly OffsetSample[], windowMs: number, nowMs: number): number | null {
  if (!Number.isFinite(windowMs) || windowMs <= 0 || !Number.isFinite(nowMs)) return null;
  const usable = samples.filter((sample) => isUsable(sample) && sample.t <= nowMs);
  const { run } = trailingMonotonicRun(usable, (sample) => sample.offset);
  const windowStart = nowMs - windowMs;
  const firstInside = run.findIndex((sample) => sample.t >= windowStart);
  const end = run.at(-1);
  const inside = run[firstInside];
  if (firstInside < 0 || end === undefined || inside === undefined) return null;
  const before = run[firstInside - 1];
  const start = before === undefined ? inside : interpolateAt(before, inside, windowStart);
  const spanMs = end.t - start.t;
  if (spanMs <= 0) return null;
  return finiteOrNull(((end.offset - start.offset) * 1000) / spanMs);
}

/**
 * Offsets per second in fixed buckets, for charts. Each pair of consecutive samples spreads its offsets evenly over
 * the time between them; a bucket's rate is what fell into it divided by how much of it was covered. A pair across
 * an offset drop or a clock step covers nothing, so a recreated topic leaves a gap, never a negative spike.
 * Keeps the newest MAX_RATE_BUCKETS buckets.
 */
export function rateSeries(samples: readonly OffsetSample[], bucketMs: number): RatePoint[] {
  if (!Number.isFinite(bucketMs) || bucketMs <= 0) return [];
  const usable = samples.filter(isUsable);
  if (usable.length < 2) return [];
  // A loop, not Math.min(...times): spreading a long history would overflow the call stack.
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  for (const { t } of usable) {
    earliest = Math.min(earliest, t);
    latest = Math.max(latest, t);
  }
  const lastBucket = Math.floor(latest / bucketMs) * bucketMs;
  const firstBucket = Math.max(Math.floor(earliest / bucketMs) * bucketMs, lastBucket - (MAX_RATE_BUCKETS - 1) * bucketMs);
  const count = Math.round((lastBucket - firstBucket) / bucketMs) + 1;
  // Absurd times or bucket sizes (e.g. 1e308 ms) leave nothing sensible to chart.
  if (!Number.isFinite(firstBucket) || !Number.isFinite(count) || count < 1 || count > MAX_RATE_BUCKETS) return [];
  const offsets = new Float64Array(count);
  const coveredMs = new Float64Array(count);
  for (let i = 1; i < usable.length; i++) {
    const from = usable[i - 1];
    const to = usable[i];
    if (from === undefined || to === undefined || to.t <= from.t || to.offset < from.offset) continue;
    const perMs = (to.offset - from.offset) / (to.t - from.t);
    const first = Math.max(0, Math.floor((from.t - firstBucket) / bucketMs));
    for (let k = first; k < count; k++) {
      const bucketStart = firstBucket + k * bucketMs;
      if (bucketStart >= to.t) break;
      const overlap = Math.min(to.t, bucketStart + bucketMs) - Math.max(from.t, bucketStart);
      if (overlap <= 0) continue;
      offsets[k] = (offsets[k] ?? 0) + perMs * overlap;
      coveredMs[k] = (coveredMs[k] ?? 0) + overlap;
    }
  }
  return Array.from({ length: count }, (_, k) => {
    const covered = coveredMs[k] ?? 0;
    return { t: firstBucket + k * bucketMs, rate: covered > 0 ? finiteOrNull(((offsets[k] ?? 0) * 1000) / covered) : null };
  });
}

/** Topic or group throughput: partitions with an unknown rate are left out; null when none is known. */
export function sumRates(rates: Iterable<number | null | undefined>): number | null {
  return sumKnown(rates);
}

function isUsable(sample: OffsetSample): boolean {
  return Number.isFinite(sample.t) && offsetOrNull(sample.offset) !== null;
}

function interpolateAt(before: OffsetSample, after: OffsetSample, t: number): OffsetSample {
  return { t, offset: before.offset + ((after.offset - before.offset) * (t - before.t)) / (after.t - before.t) };
}
