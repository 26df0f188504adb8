import type { HwmPoint } from './hwm-history';
import { finiteOrNull, offsetOrNull } from './known';
import { trailingMonotonicRun } from './series';

export type EstimateMethod = 'caught_up' | 'interpolated' | 'lower_bound' | 'unknown';

export interface LagSecondsEstimate {
  /** Age of the oldest message the group has not consumed; null when unknown. Never negative. */
  seconds: number | null;
  method: EstimateMethod;
  /** ± seconds the answer may be off because we only see the HWM at poll times; null when there is no bound. */
  errorBoundSeconds: number | null;
}

export interface ExactLagSeconds {
  seconds: number | null;
  method: 'exact' | 'unknown';
  errorBoundSeconds: number | null;
  /** The broker returned a later offset than requested: the record at C was compacted away. */
  compactionDetected: boolean;
}

/**
 * Lag in seconds from the HWM history (design §8.3.1): when did the HWM first pass C, i.e. when was the message at
 * offset C (the next one the group will read) appended? It is KLE's lookup table with its failure modes fixed:
 * - C ≥ newest HWM → 0 ('caught_up'), also when C is past the HWM because of a fetch race (KLE #138).
 * - fewer than 2 points → null ('unknown'), never NaN.
 * - C older than the oldest point → `now − t_oldest` as a lower bound; KLE extrapolated to "3+ years" (KLE #496).
 * - the message at C was appended when the HWM reached C + 1, so we look up the first time the HWM reached C + 1.
 *   Flat runs therefore resolve to their first point and a flat table cannot divide by zero (KLE returned ±∞).
 *   KLE looks up C itself; the difference is one message (1/rate seconds) on busy topics.
 */
export function estimateLagSeconds(
  hwmSeries: readonly HwmPoint[],
  committed: number | null,
  nowMs: number,
  { pollIntervalMs }: { pollIntervalMs: number },
): LagSecondsEstimate {
  const unknown: LagSecondsEstimate = { seconds: null, method: 'unknown', errorBoundSeconds: null };
  const offset = offsetOrNull(committed);
  if (offset === null || !Number.isFinite(nowMs)) return unknown;
  // Only the newest stretch that is time-ordered and monotonic is comparable: a stored history may predate a reset.
  const valid = hwmSeries.filter((point) => Number.isFinite(point.t) && offsetOrNull(point.offset) !== null);
  const { run } = trailingMonotonicRun(valid, (point) => point.offset);
  const newest = run.at(-1);
  const oldest = run[0];
  if (newest === undefined || oldest === undefined) return unknown;
  const resolutionMs = Math.max(0, finiteOrNull(pollIntervalMs) ?? 0);

  if (offset >= newest.offset) {
    // Caught up when last polled; anything produced since then is at most (now − last poll) old.
    return { seconds: 0, method: 'caught_up', errorBoundSeconds: secondsOrNull(Math.max(resolutionMs, nowMs - newest.t)) };
  }
  if (run.length < 2) return unknown;

  const target = offset + 1;
  if (oldest.offset >= target) {
    // Appended at or before our oldest observation: we only know it is at least this old.
    const seconds = ageSeconds(nowMs, oldest.t);
    return seconds === null ? unknown : { seconds, method: 'lower_bound', errorBoundSeconds: null };
  }
  const rightIndex = firstIndexAtOrAbove(run, target);
  const right = run[rightIndex];
  const left = run[rightIndex - 1];
  if (right === undefined || left === undefined) return unknown;
  const appendedAt = left.t + ((target - left.offset) * (right.t - left.t)) / (right.offset - left.offset);
  const seconds = ageSeconds(nowMs, appendedAt);
  if (seconds === null) return unknown;
  return {
    seconds,
    method: 'interpolated',
    // The true append time lies between the two polls that bracket it.
    errorBoundSeconds: secondsOrNull(Math.max(resolutionMs, right.t - left.t)),
  };
}

/**
 * Exact lag from the timestamp of the record at C (design §8.3.3), fetched on demand. Clamped at 0 because
 * producer clocks (CreateTime) can run ahead of ours. Kafka's -1 "no timestamp" is unknown, not 1970.
 */
export function exactLagSeconds(
  recordTimestampMs: number | null,
  nowMs: number,
  { requestedOffset, recordOffset }: { requestedOffset?: number; recordOffset?: number } = {},
): ExactLagSeconds {
  const compactionDetected = requestedOffset !== undefined && recordOffset !== undefined && recordOffset > requestedOffset;
  const timestamp = finiteOrNull(recordTimestampMs);
  if (timestamp === null || timestamp < 0 || !Number.isFinite(nowMs)) return { seconds: null, method: 'unknown', errorBoundSeconds: null, compactionDetected };
  return { seconds: ageSeconds(nowMs, timestamp), method: 'exact', errorBoundSeconds: 0, compactionDetected };
}

function ageSeconds(nowMs: number, thenMs: number): number | null {
  return secondsOrNull(Math.max(0, nowMs - thenMs));
}

function secondsOrNull(ms: number): number | null {
  return finiteOrNull(ms / 1000);
}

/** Binary search in a non-decreasing series; the caller guarantees the last offset is ≥ target. */
function firstIndexAtOrAbove(run: readonly HwmPoint[], target: number): number {
  let low = 0;
  let high = run.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((run[mid]?.offset ?? Number.POSITIVE_INFINITY) >= target) high = mid;
    else low = mid + 1;
  }
  return low;
}
