import { offsetOrNull } from './known';

/** One observation of a partition's high watermark: `offset` seen at epoch ms `t`. */
export interface HwmPoint {
  t: number;
  offset: number;
}

export interface HwmHistoryLimits {
  maxPoints: number;
  maxAgeMs: number;
}

/** §8.1.5: sized for the longest window, 60 min at a 10 s poll. Flat runs cost two points, so idle topics reach further. */
export const DEFAULT_HWM_HISTORY_LIMITS: Readonly<HwmHistoryLimits> = Object.freeze({ maxPoints: 360, maxAgeMs: 3_600_000 });

export type HwmAppendOutcome =
  | 'inserted'
  | 'extended_flat'
  | 'ignored_duplicate'
  | 'ignored_invalid'
  | 'reset_offset_dropped'
  | 'reset_clock_went_back';

export interface HwmAppendResult {
  series: HwmPoint[];
  /** The old history was thrown away; callers should treat the partition as new (status EVALUATING, no rates across it). */
  reset: boolean;
  outcome: HwmAppendOutcome;
}

/**
 * Appends a poll result to a partition's HWM history, the way kafka-lag-exporter's lookup table does, on plain arrays
 * so the server can persist and reload them. Never mutates `previous`.
 * - A run of equal offsets keeps only its first and last point: the first says when the HWM reached that offset,
 *   the last that it was still there, and nothing in between adds information.
 * - A lower offset means the topic was recreated or truncated. KLE rejects such points and keeps a stale table
 *   forever; we start again from the new point and tell the caller.
 * - A point older than the newest one means the wall clock was stepped back. KLE rejects it, which would freeze the
 *   history until the clock catches up; we restart instead, because old and new times no longer compare.
 * - A second reading stamped with the same millisecond is dropped.
 */
export function appendHwmPoint(previous: readonly HwmPoint[], point: HwmPoint, limits: Partial<HwmHistoryLimits> = {}): HwmAppendResult {
  // A reloaded series may hold garbage; dropping it here keeps NaN out of everything downstream.
  return appendInPlace(previous.filter(isValidPoint), point, resolveHwmLimits(limits));
}

/**
 * `appendHwmPoint` for a caller that owns the array and only ever appends through this function (the lag engine):
 * no copy per append, which at 10,000 partitions per poll is most of the garbage the poller would otherwise make.
 */
export function appendHwmPointInPlace(series: HwmPoint[], point: HwmPoint, limits: HwmHistoryLimits): HwmAppendResult {
  return appendInPlace(series, point, limits);
}

/**
 * Keeps full resolution for the recent part and one point per `spacingMs` before it, in place. Interpolation over
 * an older stretch then errs by at most the spacing, while memory per busy partition drops from one point per poll
 * to about (recent / poll) + (age / spacing). The newest point and the oldest anchor are always kept.
 */
export function thinHwmHistory(series: HwmPoint[], nowMs: number, recentMs: number, spacingMs: number): void {
  const cutoff = nowMs - recentMs;
  if (series.length < 3 || (series[1]?.t ?? Infinity) >= cutoff) return;
  let write = 1;
  let lastKept = series[0]!.t;
  for (let read = 1; read < series.length; read++) {
    const point = series[read]!;
    const keep = point.t >= cutoff || read === series.length - 1 || point.t - lastKept >= spacingMs;
    if (!keep) continue;
    series[write++] = point;
    lastKept = point.t;
  }
  series.length = write;
}

/**
 * Rebuilds a valid history from stored points (oldest first), e.g. after loading it from disk: the same rules as
 * appending one by one, so a corrupt or hand-edited file cannot produce an inconsistent table.
 */
export function normalizeHwmSeries(points: readonly HwmPoint[], limits: Partial<HwmHistoryLimits> = {}): { series: HwmPoint[]; reset: boolean } {
  const resolved = resolveHwmLimits(limits);
  let series: HwmPoint[] = [];
  let reset = false;
  // One working array instead of a copy per point: a restart reloads every partition's history at once.
  for (const point of points) {
    const result = appendInPlace(series, point, resolved);
    series = result.series;
    reset ||= result.reset;
  }
  return { series, reset };
}

/** Invalid limits fall back to the defaults; at least two points are always kept, or nothing could be interpolated. */
export function resolveHwmLimits(limits: Partial<HwmHistoryLimits>): HwmHistoryLimits {
  const { maxPoints, maxAgeMs } = limits;
  return {
    maxPoints: maxPoints !== undefined && Number.isFinite(maxPoints) && maxPoints >= 2 ? Math.floor(maxPoints) : DEFAULT_HWM_HISTORY_LIMITS.maxPoints,
    maxAgeMs: maxAgeMs !== undefined && Number.isFinite(maxAgeMs) && maxAgeMs > 0 ? maxAgeMs : DEFAULT_HWM_HISTORY_LIMITS.maxAgeMs,
  };
}

/**
 * Drops what is too old or too many. One point at or before the age cutoff is kept as an anchor: it may be the start
 * of a flat run, and dropping it would turn "this idle topic has been 3 h behind" into "unknown".
 */
/** The append rules on an array the caller owns (valid points only); may mutate and return it. */
function appendInPlace(series: HwmPoint[], point: HwmPoint, limits: HwmHistoryLimits): HwmAppendResult {
  if (!isValidPoint(point)) return { series, reset: false, outcome: 'ignored_invalid' };
  const fresh: HwmPoint = { t: point.t, offset: point.offset };
  const last = series.at(-1);
  if (last !== undefined) {
    if (fresh.t === last.t) return { series, reset: false, outcome: 'ignored_duplicate' };
    if (fresh.t < last.t) return { series: [fresh], reset: true, outcome: 'reset_clock_went_back' };
    if (fresh.offset < last.offset) return { series: [fresh], reset: true, outcome: 'reset_offset_dropped' };
  }
  const beforeLast = series.at(-2);
  const continuesFlatRun = last !== undefined && beforeLast !== undefined && last.offset === fresh.offset && beforeLast.offset === fresh.offset;
  if (continuesFlatRun) series[series.length - 1] = fresh;
  else series.push(fresh);
  return { series: trimHistory(series, fresh.t, limits), reset: false, outcome: continuesFlatRun ? 'extended_flat' : 'inserted' };
}

function isValidPoint(point: HwmPoint): boolean {
  return Number.isFinite(point.t) && offsetOrNull(point.offset) !== null;
}

function trimHistory(series: HwmPoint[], newestT: number, { maxPoints, maxAgeMs }: HwmHistoryLimits): HwmPoint[] {
  const cutoff = newestT - maxAgeMs;
  let start = 0;
  while (start < series.length - 1 && (series[start + 1]?.t ?? Number.POSITIVE_INFINITY) <= cutoff) start++;
  start = Math.max(start, series.length - maxPoints);
  return start === 0 ? series : series.slice(start);
}
