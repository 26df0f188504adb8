import type { GroupHistoryPoint, HwmPoint, OffsetPoint, TopicHistoryPoint, WindowSample } from './types';

/**
 * Pure functions over the points a series read returns (oldest first, each a stored row or the flat-run end).
 * Two readings of the same points:
 * - step: the value observed at a poll is the newest point at or before it. Exact for every poll the store saw,
 *   because a poll that wrote no row observed the previous value. Used by the status window.
 * - linear: between two points the offset moved at a constant rate. Right for "when did the HWM reach X" and for
 *   charts over downsampled rows, and sound across flat runs because a flat run keeps its closing point.
 */

/** A forward-only reader of one series, for sweeping increasing times. */
export class PointCursor {
  readonly #points: readonly OffsetPoint[];
  #index = 0;

  constructor(points: readonly OffsetPoint[]) {
    this.#points = points;
  }

  /** Step value at `t`: the newest point at or before `t`, null before the first point. */
  stepAt(t: number): number | null {
    return this.#advance(t)?.offset ?? null;
  }

  /** The point stepAt() used, with its extra fields. */
  pointAt(t: number): OffsetPoint | null {
    return this.#advance(t);
  }

  /**
   * Linear value at `t`. Null before the first point and more than `holdMs` after the last one: past its last
   * observation a series is only trusted for a little while (it may have been deleted).
   */
  linearAt(t: number, holdMs: number): number | null {
    const before = this.#advance(t);
    if (!before) return null;
    const after = this.#points[this.#index + 1];
    if (!after) return t - before.t <= holdMs ? before.offset : null;
    if (after.t === before.t) return after.offset;
    return before.offset + ((after.offset - before.offset) * (t - before.t)) / (after.t - before.t);
  }

  #advance(t: number): OffsetPoint | null {
    const points = this.#points;
    while (this.#index + 1 < points.length && (points[this.#index + 1] as OffsetPoint).t <= t) this.#index += 1;
    const current = points[this.#index];
    return current && current.t <= t ? current : null;
  }
}

export interface PartitionSeries {
  commit: readonly OffsetPoint[];
  hwm: readonly HwmPoint[];
  logStart: readonly OffsetPoint[];
}

/**
 * The status window of one group-partition: a sample at every time any of the three series changed (and every
 * `gridMs` if given), with the values observed then. It starts at `fromMs` when the commit was already known,
 * else at the first commit.
 */
export function stepJoin({ commit, hwm, logStart }: PartitionSeries, fromMs: number, gridMs?: number): WindowSample[] {
  const first = commit[0];
  if (!first) return [];
  const start = Math.max(first.t, fromMs);
  const times = new Set<number>([start]);
  let end = start;
  for (const list of [commit, hwm, logStart]) {
    for (const p of list) {
      if (p.t <= start) continue;
      times.add(p.t);
      end = Math.max(end, p.t);
    }
  }
  if (gridMs !== undefined && gridMs > 0) for (let t = start + gridMs; t < end; t += gridMs) times.add(t);
  const c = new PointCursor(commit);
  const h = new PointCursor(hwm);
  const s = new PointCursor(logStart);
  const samples: WindowSample[] = [];
  for (const t of [...times].sort((a, b) => a - b)) {
    const committed = c.stepAt(t);
    if (committed === null) continue;
    const hwmPoint = h.pointAt(t) as HwmPoint | null;
    samples.push({ t, committed, highWatermark: hwmPoint?.offset ?? null, lastStableOffset: hwmPoint?.lso ?? null, logStartOffset: s.stepAt(t) });
  }
  return samples;
}

/** The times of a chart: `fromMs`, `fromMs + stepMs`, ... up to `toMs`. */
export function chartTimes(fromMs: number, toMs: number, stepMs: number): number[] {
  if (!(stepMs > 0)) throw new RangeError('stepMs must be positive');
  const times: number[] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) times.push(t);
  return times;
}

/**
 * Per chart step: the group's total lag, and the produce and consume rates over the step ending there. Values
 * are linear between stored points; rates are clamped at 0 (a rewind or a recreated topic is not a negative
 * rate; the status shows those).
 */
export function groupSeriesChart(partitions: readonly PartitionSeries[], fromMs: number, toMs: number, stepMs: number): GroupHistoryPoint[] {
  const cursors = partitions.map((p) => ({ c: new PointCursor(p.commit), h: new PointCursor(p.hwm), s: new PointCursor(p.logStart) }));
  const perSecond = 1000 / stepMs;
  const previousCommitted = cursors.map(({ c }) => c.linearAt(fromMs - stepMs, stepMs));
  const previousHwm = cursors.map(({ h }) => h.linearAt(fromMs - stepMs, stepMs));
  const chart: GroupHistoryPoint[] = [];
  for (const t of chartTimes(fromMs, toMs, stepMs)) {
    let lag: number | null = null;
    let produced: number | null = null;
    let consumed: number | null = null;
    for (const [i, { c, h, s }] of cursors.entries()) {
      const committed = c.linearAt(t, stepMs);
      const high = h.linearAt(t, stepMs);
      const start = s.linearAt(t, stepMs);
      if (committed !== null && high !== null) lag = (lag ?? 0) + Math.max(0, high - Math.max(committed, start ?? committed));
      const highBefore = previousHwm[i] ?? null;
      const committedBefore = previousCommitted[i] ?? null;
      if (high !== null && highBefore !== null) produced = (produced ?? 0) + Math.max(0, high - highBefore);
      if (committed !== null && committedBefore !== null) consumed = (consumed ?? 0) + Math.max(0, committed - committedBefore);
      previousHwm[i] = high;
      previousCommitted[i] = committed;
    }
    chart.push({ t, lag: roundOrNull(lag), produceRate: scale(produced, perSecond), consumeRate: scale(consumed, perSecond) });
  }
  return chart;
}

/** Per chart step: messages per second written to the topic over the step ending there. */
export function topicSeriesChart(partitions: readonly (readonly OffsetPoint[])[], fromMs: number, toMs: number, stepMs: number): TopicHistoryPoint[] {
  const cursors = partitions.map((points) => new PointCursor(points));
  const perSecond = 1000 / stepMs;
  const previousHwm = cursors.map((h) => h.linearAt(fromMs - stepMs, stepMs));
  const chart: TopicHistoryPoint[] = [];
  for (const t of chartTimes(fromMs, toMs, stepMs)) {
    let produced: number | null = null;
    for (const [i, h] of cursors.entries()) {
      const high = h.linearAt(t, stepMs);
      const highBefore = previousHwm[i] ?? null;
      if (high !== null && highBefore !== null) produced = (produced ?? 0) + Math.max(0, high - highBefore);
      previousHwm[i] = high;
    }
    chart.push({ t, produceRate: scale(produced, perSecond) });
  }
  return chart;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}

function scale(count: number | null, perSecond: number): number | null {
  return count === null ? null : count * perSecond;
}
