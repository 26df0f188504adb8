/**
 * A chart's points: history fetched once, then live points appended as they arrive, without refetching. Points
 * from history are `stepMs` apart; live ticks come every poll (a few seconds), so a live point closer than `stepMs`
 * to the one before the previous live point replaces that live point: a 24 h chart keeps its step instead of
 * growing by one point a second. The window slides: points older than `windowMs` before the newest drop off.
 */
export interface SeriesPoint {
  t: number;
  /** Set on points that came from a live update rather than history. */
  live?: boolean;
}

export interface LiveSeriesOptions {
  stepMs: number;
  windowMs: number;
  /** A hard cap whatever the step, so a long-open tab stays bounded. */
  maxPoints?: number;
}

export function appendLivePoint<P extends SeriesPoint>(points: readonly P[], point: P, options: LiveSeriesOptions): P[] {
  const last = points[points.length - 1];
  // Out-of-order or repeated tick (a re-subscribe replays the snapshot): nothing new.
  if (last && point.t <= last.t) return points as P[];
  const next = points.slice();
  const beforeLast = next[next.length - 2];
  const live = { ...point, live: true };
  if (last?.live && beforeLast && point.t - beforeLast.t < options.stepMs) next[next.length - 1] = live;
  else next.push(live);
  const cutoff = point.t - options.windowMs;
  let start = 0;
  while (start < next.length && next[start]!.t < cutoff) start += 1;
  const cap = options.maxPoints ?? 2000;
  return next.slice(Math.max(start, next.length - cap));
}

/** The chart step for a range: about 250 points whatever the range, never finer than the poll interval. */
export function stepForRange(rangeMs: number, pollIntervalMs: number): number {
  const step = Math.ceil(rangeMs / 250 / 1000) * 1000;
  return Math.max(step, pollIntervalMs, 1000);
}
