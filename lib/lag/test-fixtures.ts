import type { HwmPoint } from './hwm-history';
import { appendHwmPoint } from './hwm-history';
import type { StatusSample } from './window';
import { seededRandom } from '../random';
export { seededRandom };

/**
 * Recorded-style series for the lag tests: a 5 s poll grid, ~50 msg/s with jitter and periodic bursts, consumers
 * that commit every 5 s. Deterministic (seeded), so a failing test fails the same way every time.
 */
export const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
export const POLL_MS = 5_000;
export const MINUTE = 60_000;

/** `count` poll times every `stepMs` from `start`. */
export function pollGrid(count: number, { start = T0, stepMs = POLL_MS }: { start?: number; stepMs?: number } = {}): number[] {
  return Array.from({ length: count }, (_, i) => start + i * stepMs);
}

export interface ProduceShape {
  start?: number;
  perSecond?: number;
  /** ± fraction of random variation per poll interval. */
  jitter?: number;
  /** Every `burstEvery`-th interval gets `burstSize` extra messages; 0 disables bursts. */
  burstEvery?: number;
  burstSize?: number;
  seed?: number;
  stepMs?: number;
}

/** High watermark at each of `count` polls. */
export function producedOffsets(
  count: number,
  { start = 1_000_000, perSecond = 50, jitter = 0.2, burstEvery = 12, burstSize = 600, seed = 7, stepMs = POLL_MS }: ProduceShape = {},
): number[] {
  const random = seededRandom(seed);
  const offsets: number[] = [];
  let offset = start;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      const steady = Math.round((perSecond * stepMs) / 1000 * (1 + jitter * (random() * 2 - 1)));
      offset += Math.max(0, steady) + (burstEvery > 0 && i % burstEvery === 0 ? burstSize : 0);
    }
    offsets.push(offset);
  }
  return offsets;
}

/** A healthy consumer that commits every 5 s what it had read by the previous poll. */
export function followingConsumer(hwm: readonly number[]): number[] {
  return hwm.map((_, i) => hwm[Math.max(0, i - 1)] ?? 0);
}

/** A consumer reading at a fixed `perSecond`, never past the HWM, starting from `start`. */
export function steadyConsumer(hwm: readonly number[], start: number, perSecond: number, stepMs = POLL_MS): number[] {
  return hwm.map((h, i) => Math.min(h, Math.round(start + (perSecond * stepMs * i) / 1000)));
}

export function statusSamples(
  times: readonly number[],
  hwm: readonly number[],
  committed: readonly (number | null)[],
  logStart: number | readonly number[] = 0,
): StatusSample[] {
  return times.map((t, i) => ({
    t,
    highWatermark: hwm[i] ?? 0,
    committed: committed[i] ?? null,
    logStartOffset: typeof logStart === 'number' ? logStart : (logStart[i] ?? 0),
  }));
}

/** The HWM history the server would have built from these polls. */
export function hwmHistory(times: readonly number[], hwm: readonly number[]): HwmPoint[] {
  let series: HwmPoint[] = [];
  times.forEach((t, i) => {
    series = appendHwmPoint(series, { t, offset: hwm[i] ?? 0 }).series;
  });
  return series;
}

/** Samples up to and including `nowMs`: what the engine has seen at that moment. */
export function seenBy<T extends { t: number }>(samples: readonly T[], nowMs: number): T[] {
  return samples.filter((sample) => sample.t <= nowMs);
}

/** Where NaN or ±Infinity hides anywhere in `value` (paths); the tests expect none. */
export function nonFiniteNumbersIn(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (Array.isArray(value)) return value.flatMap((item, i) => nonFiniteNumbersIn(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => nonFiniteNumbersIn(item, `${path}.${key}`));
  return [];
}
