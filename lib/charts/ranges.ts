/** The chart ranges the group and topic pages offer: 15 minutes for an incident, 24 h for "since last night". */
export const CHART_RANGES = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '6h', label: '6 h', ms: 6 * 3_600_000 },
  { id: '24h', label: '24 h', ms: 24 * 3_600_000 },
] as const;
export type ChartRangeId = (typeof CHART_RANGES)[number]['id'];

export function rangeMs(id: ChartRangeId): number {
  return CHART_RANGES.find((r) => r.id === id)?.ms ?? 3_600_000;
}

/** A range id from the address (`?range=`); anything else is the default hour. */
export function parseRange(raw: string | null): ChartRangeId {
  return CHART_RANGES.find((r) => r.id === raw)?.id ?? '1h';
}
