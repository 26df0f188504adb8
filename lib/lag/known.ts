/**
 * Small guards shared by the lag engine. Unknown is `null`, never NaN or ±Infinity: a NaN silently poisons sums
 * and charts (kafka-lag-exporter #45/#125), so every number we hand out passes through one of these.
 */

export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A usable Kafka offset: finite and not negative (Kafka uses -1 for "none"). */
export function offsetOrNull(value: number | null | undefined): number | null {
  const known = finiteOrNull(value);
  return known !== null && known >= 0 ? known : null;
}

/** Sum of the known values; null when none is known, so "no data" never reads as 0. */
export function sumKnown(values: Iterable<number | null | undefined>): number | null {
  let sum: number | null = null;
  for (const value of values) {
    const known = finiteOrNull(value);
    if (known !== null) sum = (sum ?? 0) + known;
  }
  return finiteOrNull(sum);
}

/** Smallest known value; null when none is known. */
export function minKnown(values: Iterable<number | null | undefined>): number | null {
  let min: number | null = null;
  for (const value of values) {
    const known = finiteOrNull(value);
    if (known !== null && (min === null || known < min)) min = known;
  }
  return min;
}

/** Largest known value; null when none is known. */
export function maxKnown(values: Iterable<number | null | undefined>): number | null {
  let max: number | null = null;
  for (const value of values) {
    const known = finiteOrNull(value);
    if (known !== null && (max === null || known > max)) max = known;
  }
  return max;
}
