import type { BrowseDirection, BrowseStart, PartitionPosition, ScanStop } from '../contract/messages';
import { firstParam, type RawParam } from '../lists/url-params';

/**
 * The Messages page's browse state, kept in the address so a view can be shared or reloaded: which partitions,
 * where to start, which way to read, how many per page, the CEL filter and whether the live tail is on. Cursors
 * (the server's opaque page tokens) are not part of it: they stay in the page's state.
 *
 * Parsing never throws: a value that does not make sense falls back to its default and is reported in `issues`,
 * so the page can say what it ignored instead of silently showing something else.
 */

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 50;
/** The longest filter the page keeps (the tail request's cap). */
export const FILTER_MAX_LENGTH = 2048;
/** A topic has at most this many partitions in a selection (the tail request's cap). */
export const MAX_SELECTED_PARTITIONS = 10_000;
export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_DEFAULT_MAX = 10_000;
export const EXPORT_MAX = 100_000;

const STARTS: readonly BrowseStart[] = ['newest', 'oldest', 'offset', 'time'];
const DIRECTIONS: readonly BrowseDirection[] = ['forward', 'backward'];

export interface BrowseParams {
  /** Sorted, without duplicates; null = every partition. */
  partitions: number[] | null;
  start: BrowseStart;
  /** The offset to start from; set only with start 'offset'. */
  offset: number | null;
  /** Epoch ms to start from; set only with start 'time'. */
  time: number | null;
  /** Newest always reads backward (newest first), oldest forward; offset and time may go either way. */
  direction: BrowseDirection;
  limit: PageSize;
  /** A CEL expression; '' = no filter. */
  filter: string;
  /** The live tail instead of pages. */
  tail: boolean;
}

export const DEFAULT_BROWSE_PARAMS: BrowseParams = Object.freeze({
  partitions: null,
  start: 'newest',
  offset: null,
  time: null,
  direction: 'backward',
  limit: DEFAULT_PAGE_SIZE,
  filter: '',
  tail: false,
}) as BrowseParams;

/** The reading direction a start implies: newest reads backward (newest first), everything else forward. */
export function defaultDirection(start: BrowseStart): BrowseDirection {
  return start === 'newest' ? 'backward' : 'forward';
}

/** Whether the user may choose the direction for this start (newest and oldest have only one sensible way). */
export function directionChoosable(start: BrowseStart): boolean {
  return start === 'offset' || start === 'time';
}

/**
 * Brings a state to its canonical form: offset/time only with their start, the forced direction for
 * newest/oldest, partitions sorted and unique. Every state the page stores goes through this.
 */
export function normalizeBrowseParams(p: BrowseParams): BrowseParams {
  const partitions = p.partitions === null ? null : [...new Set(p.partitions.filter((n) => Number.isSafeInteger(n) && n >= 0))].sort((a, b) => a - b);
  return {
    partitions: partitions && partitions.length > 0 ? partitions.slice(0, MAX_SELECTED_PARTITIONS) : null,
    start: p.start,
    offset: p.start === 'offset' ? p.offset : null,
    time: p.start === 'time' ? p.time : null,
    direction: directionChoosable(p.start) ? p.direction : defaultDirection(p.start),
    limit: (PAGE_SIZES as readonly number[]).includes(p.limit) ? p.limit : DEFAULT_PAGE_SIZE,
    filter: p.filter.length > FILTER_MAX_LENGTH ? '' : p.filter,
    tail: p.tail,
  };
}

/** A non-negative safe integer written in decimal digits, else null. */
export function parseNonNegativeInt(raw: string): number | null {
  if (!/^\d{1,16}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

/** "0,2,5" (also "0, 2" and repeated values): sorted, unique. null when any entry is not a partition number. */
export function parsePartitionList(raw: string): number[] | null {
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0 || parts.length > MAX_SELECTED_PARTITIONS) return null;
  const out: number[] = [];
  for (const part of parts) {
    const n = parseNonNegativeInt(part);
    if (n === null) return null;
    out.push(n);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/** Epoch ms from digits, or from an ISO 8601 date-time (the form the page writes). Null when it is neither. */
export function parseTimeParam(raw: string): number | null {
  if (raw === '') return null;
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
  const ms = /^\d{1,16}$/.test(raw) ? Number(raw) : iso.test(raw) ? Date.parse(raw) : Number.NaN;
  // Up to year 9999: a timestamp past that is a typo, and Date cannot print it back as ISO.
  return Number.isSafeInteger(ms) && ms >= 0 && ms <= 253_402_300_799_999 ? ms : null;
}

/** The browse state from a query (as Next hands it to a page), with a sentence for each value it had to ignore. */
export function parseBrowseParamsWithIssues(search: Record<string, RawParam>): { params: BrowseParams; issues: string[] } {
  const issues: string[] = [];
  const p: BrowseParams = { ...DEFAULT_BROWSE_PARAMS };

  const partitions = firstParam(search.partitions, 100_000);
  if (partitions !== '' && partitions !== 'all') {
    const list = parsePartitionList(partitions);
    if (list) p.partitions = list;
    else issues.push(`Ignored partitions=${partitions.slice(0, 40)}: expected partition numbers like 0,2,5. Showing all partitions.`);
  }

  const start = firstParam(search.start, 20);
  if (start !== '') {
    if ((STARTS as readonly string[]).includes(start)) p.start = start as BrowseStart;
    else issues.push(`Ignored start=${start}: use newest, oldest, offset or time.`);
  }

  if (p.start === 'offset') {
    const offset = parseNonNegativeInt(firstParam(search.offset, 40));
    if (offset === null) {
      issues.push('Ignored start=offset: the address has no valid offset (a whole number, 0 or more). Showing the newest records.');
      p.start = 'newest';
    } else p.offset = offset;
  }
  if (p.start === 'time') {
    const time = parseTimeParam(firstParam(search.time, 60));
    if (time === null) {
      issues.push('Ignored start=time: the address has no valid time (epoch ms or an ISO date-time). Showing the newest records.');
      p.start = 'newest';
    } else p.time = time;
  }

  p.direction = defaultDirection(p.start);
  const direction = firstParam(search.direction, 20);
  if (direction !== '') {
    if (!(DIRECTIONS as readonly string[]).includes(direction)) issues.push(`Ignored direction=${direction}: use forward or backward.`);
    else if (directionChoosable(p.start)) p.direction = direction as BrowseDirection;
  }

  const limit = firstParam(search.limit, 10);
  if (limit !== '') {
    const n = parseNonNegativeInt(limit);
    if (n !== null && (PAGE_SIZES as readonly number[]).includes(n)) p.limit = n as PageSize;
    else issues.push(`Ignored limit=${limit}: page sizes are ${PAGE_SIZES.join(', ')}.`);
  }

  // Not trimmed inside and never cut: a shortened expression would filter something else than what was shared.
  const filter = firstParam(search.filter, FILTER_MAX_LENGTH + 1);
  if (filter.length > FILTER_MAX_LENGTH) issues.push(`Ignored the filter in the address: it is longer than ${FILTER_MAX_LENGTH.toLocaleString('en-US')} characters.`);
  else p.filter = filter;

  const tail = firstParam(search.tail, 5);
  p.tail = tail === '1' || tail === 'true';

  return { params: normalizeBrowseParams(p), issues };
}

export function parseBrowseParams(search: Record<string, RawParam>): BrowseParams {
  return parseBrowseParamsWithIssues(search).params;
}

/** The query (without "?") for the page's address: only what differs from the defaults, in a stable order. */
export function browseQuery(input: BrowseParams): string {
  const p = normalizeBrowseParams(input);
  const q = new URLSearchParams();
  if (p.partitions) q.set('partitions', p.partitions.join(','));
  if (p.start !== 'newest') q.set('start', p.start);
  if (p.start === 'offset' && p.offset !== null) q.set('offset', String(p.offset));
  if (p.start === 'time' && p.time !== null) q.set('time', new Date(p.time).toISOString());
  if (p.direction !== defaultDirection(p.start)) q.set('direction', p.direction);
  if (p.limit !== DEFAULT_PAGE_SIZE) q.set('limit', String(p.limit));
  if (p.filter !== '') q.set('filter', p.filter);
  if (p.tail) q.set('tail', '1');
  return q.toString();
}

/** The messages API of a topic. */
export function messagesApiBase(cluster: string, topic: string): string {
  return `/api/clusters/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}/messages`;
}

/** Where the browse reads from, for the API (not the page): partitions, start, offset, time, direction, filter. */
function rangeQuery(input: BrowseParams): URLSearchParams {
  const p = normalizeBrowseParams(input);
  const q = new URLSearchParams();
  if (p.partitions) q.set('partitions', p.partitions.join(','));
  q.set('start', p.start);
  if (p.start === 'offset' && p.offset !== null) q.set('offset', String(p.offset));
  if (p.start === 'time' && p.time !== null) q.set('time', String(p.time));
  q.set('direction', p.direction);
  return q;
}

/**
 * One page of the browse API. With a cursor (a response's `next` or `previous`) the cursor carries partitions,
 * direction and positions: only the limit and the filter go with it.
 */
export function browseApiUrl(cluster: string, topic: string, params: BrowseParams, cursor: string | null = null): string {
  const q = cursor === null ? rangeQuery(params) : new URLSearchParams({ cursor });
  q.set('limit', String(normalizeBrowseParams(params).limit));
  if (params.filter !== '') q.set('filter', params.filter);
  return `${messagesApiBase(cluster, topic)}?${q.toString()}`;
}

/** Export caps: a whole number between 1 and EXPORT_MAX; anything else is the default. */
export function clampExportMax(value: number): number {
  if (!Number.isFinite(value) || value < 1) return EXPORT_DEFAULT_MAX;
  return Math.min(EXPORT_MAX, Math.floor(value));
}

/** The download of the current browse range (not the current page: it starts where the browse starts). */
export function exportUrl(cluster: string, topic: string, params: BrowseParams, format: ExportFormat, max: number): string {
  const q = new URLSearchParams({ format, max: String(clampExportMax(max)) });
  for (const [k, v] of rangeQuery(params)) q.set(k, v);
  if (params.filter !== '') q.set('filter', params.filter);
  return `${messagesApiBase(cluster, topic)}/export?${q.toString()}`;
}

/** One record, with payloads up to the server's "full" cap. */
export function recordApiUrl(cluster: string, topic: string, partition: number, offset: number): string {
  return `${messagesApiBase(cluster, topic)}/${partition}/${offset}`;
}

/** The raw bytes of a record's key or value, as a download. */
export function rawPayloadUrl(cluster: string, topic: string, partition: number, offset: number, part: 'key' | 'value'): string {
  return `${recordApiUrl(cluster, topic, partition, offset)}/raw?part=${part}`;
}

/**
 * Which cursor each paging button follows. Reading backward (newest first) the next page is older; reading forward
 * the next page is newer. `previous` turns around.
 */
export function pagingCursors(direction: BrowseDirection, next: string | null, previous: string | null): { older: string | null; newer: string | null } {
  return direction === 'backward' ? { older: next, newer: previous } : { older: previous, newer: next };
}

/** "0–3, 5, 7–8": runs of consecutive partitions collapsed. */
export function formatPartitionList(list: readonly number[]): string {
  const sorted = [...new Set(list)].sort((a, b) => a - b);
  const runs: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j += 1;
    const first = sorted[i] as number;
    const last = sorted[j] as number;
    runs.push(first === last ? String(first) : last === first + 1 ? `${first}, ${last}` : `${first}–${last}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/** For the summary line: "all 6 partitions (0–5)", "partition 2", "partitions 0, 2 of 6". */
export function describePartitions(selected: readonly number[] | null, count: number | null): string {
  if (selected === null || (count !== null && count > 0 && selected.length === count && selected.every((p, i) => p === i))) {
    if (count === null) return 'all partitions';
    if (count === 1) return 'partition 0 (the only one)';
    return `all ${count} partitions (0–${count - 1})`;
  }
  const list = formatPartitionList(selected);
  const of = count !== null ? ` of ${count}` : '';
  return selected.length === 1 ? `partition ${list}${of}` : `partitions ${list}${of}`;
}

/** Reading order in words. */
export function describeDirection(direction: BrowseDirection): string {
  return direction === 'backward' ? 'newest first' : 'oldest first';
}

export function isBudgetStop(stopped: ScanStop): boolean {
  return stopped !== 'limit' && stopped !== 'end';
}

/** Why a filtered scan stopped early, in words. */
export function describeBudgetStop(stopped: ScanStop): string {
  switch (stopped) {
    case 'records-budget':
      return 'records budget reached';
    case 'bytes-budget':
      return 'bytes budget reached';
    case 'time-budget':
      return 'time budget reached';
    case 'filter-budget':
      return 'filter evaluation budget reached';
    case 'end':
      return 'reached the end';
    case 'limit':
      return 'page full';
  }
}

/** "partition 0 offset 123,456, partition 1 offset 9 and 4 more": where the scan stands. */
export function describePositions(positions: readonly PartitionPosition[], max = 3): string {
  if (positions.length === 0) return '';
  const shown = positions.slice(0, max).map((p) => `partition ${p.partition} offset ${p.offset.toLocaleString('en-US')}`);
  const more = positions.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Epoch ms as the value of an `<input type="datetime-local" step="1">`, in this browser's time zone. */
export function toDatetimeLocal(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A datetime-local value ("2024-05-01T03:00" or with seconds/ms), read in this browser's time zone; null if invalid. */
export function fromDatetimeLocal(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((frac ?? '0').padEnd(3, '0')));
  const ms = date.getTime();
  // new Date rolls over (Feb 30 → Mar 2): refuse what does not come back as written.
  if (!Number.isFinite(ms) || date.getFullYear() !== Number(y) || date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d) || ms < 0) return null;
  return ms;
}
