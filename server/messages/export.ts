import type { ScanStop } from '../../lib/contract';
import { CSV_HEADER, toCsvRow, toJsonlLine, type ExportRecord } from '../../lib/messages/export-format';
import type { KafkaMessagesClient } from '../kafka/messages-client';
import type { TopicRecord } from '../kafka/record-reader';
import { FETCH_LEADER_BYTES, MAX_PAGE_SIZE, type ScanBudget } from './budgets';
import type { ResolvedBrowse } from './browse';
import { scanPage, type RecordFilter } from './scan';

export const MAX_EXPORT_RECORDS = 100_000;
/** The whole export's budget (a page's is smaller): enough for 100,000 records behind a selective filter. */
export const EXPORT_BUDGET: ScanBudget = { maxRecords: 5_000_000, maxBytes: 4 * 1024 * 1024 * 1024, maxMs: 120_000, maxFilterMs: 110_000 };

export type ExportFormat = 'jsonl' | 'csv';

const asExportRecord = (r: TopicRecord): ExportRecord => ({ ...r, timestampType: r.logAppendTime ? 'LogAppendTime' : 'CreateTime' });

/**
 * The rows of an export, page by page, so a large range streams instead of sitting in memory. When a budget stops
 * it before `max` records or the end, or Kafka or the filter fails, the last row says so (JSONL: an object with `topologExportStopped`; CSV: a
 * row whose first cell starts with `# `), so a partial file never passes for a complete one.
 */
export async function* exportRows(
  client: KafkaMessagesClient,
  resolved: ResolvedBrowse,
  options: { format: ExportFormat; max: number; filter: RecordFilter | null; signal?: AbortSignal; budget?: ScanBudget },
): AsyncGenerator<string> {
  const budget = options.budget ?? EXPORT_BUDGET;
  const started = performance.now();
  let positions = resolved.positions;
  let written = 0;
  let scanned = 0;
  let bytes = 0;
  let filterMs = 0;
  let stopped: ScanStop = 'limit';
  if (options.format === 'csv') yield CSV_HEADER;
  try {
    while (written < options.max) {
      const page = await scanPage({
        direction: resolved.direction,
        positions,
        lows: resolved.lows,
        limit: Math.min(MAX_PAGE_SIZE, options.max - written),
        filter: options.filter,
        // What is left of the whole export's budget.
        budget: {
          maxRecords: budget.maxRecords - scanned,
          maxBytes: budget.maxBytes - bytes,
          maxMs: budget.maxMs - (performance.now() - started),
          maxFilterMs: budget.maxFilterMs - filterMs,
        },
        read: (reqs) => client.read(resolved.layout, reqs, FETCH_LEADER_BYTES),
        signal: options.signal,
      });
      scanned += page.scanned;
      bytes += page.bytes;
      filterMs += page.filterMs ?? 0;
      positions = page.positions;
      written += page.records.length;
      let chunk = '';
      for (const r of page.records) chunk += options.format === 'csv' ? toCsvRow(asExportRecord(r)) : toJsonlLine(asExportRecord(r));
      if (chunk) yield chunk;
      stopped = page.stopped;
      if (stopped !== 'limit' || options.signal?.aborted) break;
    }
  } catch (err) {
    // The status line went out with the first row: the failure can only be told in the file itself.
    yield stopRow(options.format, `failed (${err instanceof Error ? err.message : String(err)})`, scanned, positions);
    return;
  }
  if (stopped === 'limit' || stopped === 'end') return;
  yield stopRow(options.format, `stopped early (${stopped})`, scanned, positions);
}

/** The last row of an export that did not reach its end: what happened and where to continue. */
function stopRow(format: ExportFormat, what: string, scanned: number, positions: ReadonlyMap<number, number>): string {
  const where = [...positions.entries()].map(([partition, offset]) => ({ partition, offset }));
  const message = `Export ${what} after scanning ${scanned} records; continue from ${where.map((p) => `partition ${p.partition} offset ${p.offset}`).join(', ')}`;
  return format === 'csv' ? `${JSON.stringify(`# ${message}`.replace(/"/g, "'"))}\r\n` : `${JSON.stringify({ topologExportStopped: what, message, position: where })}\n`;
}
