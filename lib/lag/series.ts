/** Why the newest monotonic stretch of a series begins where it does. */
export type RunBreak = 'none' | 'offset_dropped' | 'time_not_increasing';

export interface MonotonicRun<T> {
  /** Oldest first, like the input. */
  run: T[];
  brokeAt: RunBreak;
}

/**
 * The newest stretch of `items` (oldest first) in which time strictly increases and the offset never decreases.
 * An offset drop means the topic was recreated or truncated, and time going backwards means the clock was stepped;
 * either way nothing before the break can be compared with what follows it. An exact repeat of the newer item
 * (same time, same offset) is skipped, because submitting one poll twice is harmless.
 */
export function trailingMonotonicRun<T extends { t: number }>(items: readonly T[], offsetOf: (item: T) => number): MonotonicRun<T> {
  const newestFirst: T[] = [];
  let brokeAt: RunBreak = 'none';
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item === undefined) continue;
    const newer = newestFirst.at(-1);
    if (newer !== undefined) {
      if (item.t === newer.t && offsetOf(item) === offsetOf(newer)) continue;
      if (item.t >= newer.t) {
        brokeAt = 'time_not_increasing';
        break;
      }
      if (offsetOf(item) > offsetOf(newer)) {
        brokeAt = 'offset_dropped';
        break;
      }
    }
    newestFirst.push(item);
  }
  return { run: newestFirst.reverse(), brokeAt };
}
