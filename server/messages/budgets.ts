/**
 * Limits of one browse page, export or tail, so a filter that matches nothing cannot read a whole cluster for
 * ever. A scan that reaches one stops, says which, and hands back a cursor to go on from there.
 */
export interface ScanBudget {
  /** Records read from Kafka (before the filter). */
  maxRecords: number;
  /** Record bytes read from Kafka. */
  maxBytes: number;
  /** Wall-clock time of the scan. */
  maxMs: number;
  /** Time spent evaluating the filter (worker time, summed over batches). */
  maxFilterMs: number;
}

export const PAGE_BUDGET: ScanBudget = { maxRecords: 1_000_000, maxBytes: 512 * 1024 * 1024, maxMs: 15_000, maxFilterMs: 12_000 };

/** Per partition and per leader bytes of one Fetch: big enough to scan fast, small enough to stay responsive. */
export const FETCH_PARTITION_BYTES = 4 * 1024 * 1024;
export const FETCH_LEADER_BYTES = 16 * 1024 * 1024;
/** Going backward, how many offsets one read steps back per partition at least. */
export const BACKWARD_WINDOW = 500;

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;
/** Scans running at once on this server; more get a 429 that says to retry. */
export const MAX_CONCURRENT_SCANS = 4;
/** Bytes of each key/value sent in a page (the rest on "show full"), and of each header value. */
export const LIST_PAYLOAD_BYTES = 16 * 1024;
export const HEADER_PAYLOAD_BYTES = 4 * 1024;
export const FULL_PAYLOAD_BYTES = 1024 * 1024;
