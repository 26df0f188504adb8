/** A group's total lag at one moment, for the list's sparkline; null when the lag was not known then. */
export interface TrendPoint {
  t: number;
  lag: number | null;
}

export interface TrendRingOptions {
  /** At most one point per step: a newer sample in the same step replaces the last point. */
  stepMs: number;
  /** How far back the ring reaches; older points are overwritten. */
  windowMs: number;
}

export const DEFAULT_TREND_OPTIONS: TrendRingOptions = { stepMs: 15_000, windowMs: 15 * 60_000 };

/**
 * A fixed-size ring of (t, lag): two typed arrays of `windowMs / stepMs + 1` slots, so 10,000 groups cost about 10 MB
 * however long the server runs. Points snap to step buckets (floor(t / step)); the newest point of a bucket wins, so
 * the sparkline's last point is always the latest figure. Unknown lag is NaN inside and null outside.
 * Pure (no Node or DOM): the server keeps one per group, the browser too, so both draw the same line.
 */
export class TrendRing {
  readonly options: TrendRingOptions;
  readonly #t: Float64Array;
  readonly #lag: Float64Array;
  /** Index of the oldest point and number of points held. */
  #start = 0;
  #size = 0;

  constructor(options: TrendRingOptions = DEFAULT_TREND_OPTIONS) {
    this.options = options;
    const capacity = Math.ceil(options.windowMs / options.stepMs) + 1;
    this.#t = new Float64Array(capacity);
    this.#lag = new Float64Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  get capacity(): number {
    return this.#t.length;
  }

  /** Time of the newest point, or null when empty. */
  get lastT(): number | null {
    return this.#size === 0 ? null : this.#t[this.#index(this.#size - 1)]!;
  }

  /** Adds a sample; one older than the newest point is ignored (a late or replayed update). */
  add(t: number, lag: number | null): void {
    if (!Number.isFinite(t)) return;
    const value = typeof lag === 'number' && Number.isFinite(lag) ? Math.max(0, lag) : Number.NaN;
    const last = this.lastT;
    if (last !== null) {
      if (t < last) return;
      if (this.#bucket(t) === this.#bucket(last)) {
        const i = this.#index(this.#size - 1);
        this.#t[i] = t;
        this.#lag[i] = value;
        return;
      }
    }
    if (this.#size < this.capacity) {
      const i = this.#index(this.#size);
      this.#t[i] = t;
      this.#lag[i] = value;
      this.#size += 1;
    } else {
      this.#t[this.#start] = t;
      this.#lag[this.#start] = value;
      this.#start = (this.#start + 1) % this.capacity;
    }
  }

  /**
   * Fills in history from before the first point (seeding from the store after a restart): points at or after the
   * oldest held point are ignored, the live ones win.
   */
  prepend(history: readonly TrendPoint[]): void {
    const first = this.#size === 0 ? Number.POSITIVE_INFINITY : this.#t[this.#start]!;
    const held = this.points();
    const older = history.filter((p) => Number.isFinite(p.t) && p.t < first && (this.#size === 0 || this.#bucket(p.t) !== this.#bucket(first))).sort((a, b) => a.t - b.t);
    if (older.length === 0) return;
    this.#start = 0;
    this.#size = 0;
    for (const p of older) this.add(p.t, p.lag);
    for (const p of held) this.add(p.t, p.lag);
  }

  /** The points within `windowMs` of `nowMs` (default: of the newest point), oldest first. */
  points(nowMs?: number): TrendPoint[] {
    const out: TrendPoint[] = [];
    const newest = this.lastT;
    if (newest === null) return out;
    const from = (nowMs ?? newest) - this.options.windowMs;
    for (let k = 0; k < this.#size; k += 1) {
      const i = this.#index(k);
      const t = this.#t[i]!;
      if (t < from) continue;
      const lag = this.#lag[i]!;
      out.push({ t, lag: Number.isNaN(lag) ? null : lag });
    }
    return out;
  }

  #index(k: number): number {
    return (this.#start + k) % this.capacity;
  }

  #bucket(t: number): number {
    return Math.floor(t / this.options.stepMs);
  }
}

export type TrendDirection = 'rising' | 'falling' | 'flat' | 'unknown';

/**
 * Whether lag went up or down over the points: first and last known values compared, with a dead band so a healthy
 * consumer's lag jittering between 0 and a few messages reads flat, not as a red alarm.
 */
export function trendDirection(points: readonly TrendPoint[]): TrendDirection {
  const known = points.filter((p): p is { t: number; lag: number } => p.lag !== null);
  if (known.length < 2) return 'unknown';
  const first = known[0]!.lag;
  const last = known[known.length - 1]!.lag;
  const deadBand = Math.max(10, 0.05 * Math.max(first, last));
  if (last - first > deadBand) return 'rising';
  if (first - last > deadBand) return 'falling';
  return 'flat';
}
