import type { SortDirection } from '../groups/sort-groups';

/** A query-string value as Next hands it over: one string, repeated strings, or nothing. */
export type RawParam = string | string[] | undefined;

/** The first value of a query parameter, trimmed and capped so a pasted address cannot make the page work hard. */
export function firstParam(value: RawParam, maxLength = 200): string {
  const one = Array.isArray(value) ? value[0] : value;
  return typeof one === 'string' ? one.trim().slice(0, maxLength) : '';
}

/** `?sort=name` is ascending and `?sort=-lag` descending; an unknown key falls back to the default. */
export function parseSortParam<K extends string>(value: RawParam, keys: readonly K[], fallback: { key: K; direction: SortDirection }): { key: K; direction: SortDirection } {
  const raw = firstParam(value, 40);
  const direction: SortDirection = raw.startsWith('-') ? 'desc' : 'asc';
  const key = raw.replace(/^-/, '') as K;
  return keys.includes(key) ? { key, direction } : fallback;
}

export function formatSortParam(sort: { key: string; direction: SortDirection }): string {
  return `${sort.direction === 'desc' ? '-' : ''}${sort.key}`;
}

/** A query string from the non-default values, in a stable order; '' when everything is default. */
export function buildQuery(entries: [string, string | null][]): string {
  const params = new URLSearchParams();
  for (const [name, value] of entries) if (value !== null && value !== '') params.set(name, value);
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** Clicking a column header: the same column flips direction, another starts in its natural direction. */
export function nextSort<K extends string>(current: { key: K; direction: SortDirection }, key: K, firstDirection: (key: K) => SortDirection): { key: K; direction: SortDirection } {
  return current.key === key ? { key, direction: current.direction === 'asc' ? 'desc' : 'asc' } : { key, direction: firstDirection(key) };
}
