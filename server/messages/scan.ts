import type { BrowseDirection, ScanStop } from '../../lib/contract';
import type { PartitionRead, TopicRecord } from '../kafka/record-reader';
import { BACKWARD_WINDOW, FETCH_PARTITION_BYTES, type ScanBudget } from './budgets';

/** What a scan needs from Kafka: KafkaMessagesClient.read bound to one topic. */
export type ReadPartitions = (reqs: { partition: number; fromOffset: number; maxBytes: number }[]) => Promise<PartitionRead[]>;

/** The compiled filter, evaluated off the main thread; `matches[i]` is truthy for a match of `records[i]`. */
export interface RecordFilter {
  match(records: readonly TopicRecord[]): Promise<{ matches: ArrayLike<unknown>; elapsedMs: number }>;
}

export interface ScanInput {
  direction: BrowseDirection;
  /** Forward: each partition's next offset to read. Backward: the offset just past the next one (exclusive end). */
  positions: ReadonlyMap<number, number>;
  /** Log start offset per partition: where a backward scan ends. */
  lows: ReadonlyMap<number, number>;
  limit: number;
  filter: RecordFilter | null;
  budget: ScanBudget;
  read: ReadPartitions;
  /** Stops the scan between reads (the browser went away). */
  signal?: AbortSignal;
}

export interface ScanResult {
  /** In reading order: oldest first forward, newest first backward (by timestamp, then partition and offset). */
  records: TopicRecord[];
  /** Where each partition stands after this page, in the same sense as the input positions. */
  positions: Map<number, number>;
  stopped: ScanStop;
  scanned: number;
  bytes: number;
  elapsedMs: number;
  filterMs: number | null;
}

/** A Kafka answer the scan cannot go on from (leader moved, partition gone): the API answers 503 with it. */
export class ScanReadError extends Error {}

interface Lane {
  partition: number;
  /** Forward: next offset to fetch. Backward: exclusive end of what is still unread. */
  edge: number;
  /** Matched records not yet on a page, in reading order. */
  buffer: TopicRecord[];
  done: boolean;
  /** Backward only: offsets to step back on the next read (grows while a filter finds nothing). */
  window: number;
}

const FILTER_BATCH = 500;
const MAX_BACKWARD_WINDOW = 64 * 1024;
/** Record bytes one backward window may hold before it is read again smaller. */
const WINDOW_BYTES = 32 * 1024 * 1024;
/** Filter batches in flight per scan: enough to keep the workers busy, few enough to drop on a failure. */
const FILTER_PARALLEL = 2;

/**
 * One page of records over several partitions, merged into one order. Each partition is read in offset order into
 * a lane; the merge takes the earliest (forward) or latest (backward) lane head by timestamp, and only when every
 * unfinished lane has a head, so a page is exactly the next `limit` records of the merged order. The positions it
 * returns make the next page continue without a gap or a repeat. A budget stop hands out what it has matched and
 * says where it stopped.
 */
export async function scanPage(input: ScanInput): Promise<ScanResult> {
  const started = performance.now();
  const forward = input.direction === 'forward';
  const lanes: Lane[] = [...input.positions.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([partition, edge]) => ({ partition, edge, buffer: [], done: !forward && edge <= (input.lows.get(partition) ?? 0), window: BACKWARD_WINDOW }));
  const out: TopicRecord[] = [];
  let scanned = 0;
  let bytes = 0;
  let filterMs = input.filter ? 0 : null;
  let stopped: ScanStop | null = null;

  const later = forward ? isBefore : (a: TopicRecord, b: TopicRecord) => isBefore(b, a);
  while (stopped === null) {
    // Merge while every unfinished lane has a head.
    while (out.length < input.limit) {
      let best: Lane | null = null;
      let blocked = false;
      for (const lane of lanes) {
        if (lane.buffer.length === 0) {
          if (!lane.done) blocked = true;
          continue;
        }
        if (!best || later(lane.buffer[0]!, best.buffer[0]!)) best = lane;
      }
      if (blocked || !best) break;
      out.push(best.buffer.shift()!);
    }
    if (out.length >= input.limit) {
      stopped = 'limit';
      break;
    }
    const hungry = lanes.filter((l) => !l.done && l.buffer.length === 0);
    if (hungry.length === 0) {
      stopped = 'end';
      break;
    }
    const overBudget = budgetStop(input.budget, scanned, bytes, performance.now() - started, filterMs);
    if (overBudget || input.signal?.aborted) {
      stopped = overBudget ?? 'time-budget';
      break;
    }

    const reads = forward ? await readForward(input, hungry) : await readBackward(input, hungry);
    const fetched: TopicRecord[] = [];
    for (const { records, bytesRead } of reads) {
      scanned += records.length;
      bytes += bytesRead;
      for (const r of records) fetched.push(r);
    }
    const keep = await applyFilter(input.filter, fetched);
    if (keep) filterMs! += keep.elapsedMs;
    let i = 0;
    for (const { lane, records } of reads) {
      const matched = keep ? records.filter((_, j) => keep.matches[i + j]) : records;
      i += records.length;
      for (const r of matched) lane.buffer.push(r);
      if (!forward && matched.length === 0) lane.window = Math.min(lane.window * 2, MAX_BACKWARD_WINDOW);
    }
  }

  // A budget stop: hand out what was matched, merged over the lanes that have records (lane order kept).
  if (stopped !== 'limit' && stopped !== 'end') {
    while (out.length < input.limit) {
      let best: Lane | null = null;
      for (const lane of lanes) if (lane.buffer.length > 0 && (!best || later(lane.buffer[0]!, best.buffer[0]!))) best = lane;
      if (!best) break;
      out.push(best.buffer.shift()!);
    }
  }
  const positions = new Map<number, number>();
  for (const lane of lanes) {
    const head = lane.buffer[0];
    positions.set(lane.partition, head ? (forward ? head.offset : head.offset + 1) : lane.edge);
  }
  return { records: out, positions, stopped, scanned, bytes, elapsedMs: performance.now() - started, filterMs };
}

/** Forward order: by timestamp, then partition, then offset (a total order, so paging is stable). */
function isBefore(a: TopicRecord, b: TopicRecord): boolean {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
  if (a.partition !== b.partition) return a.partition < b.partition;
  return a.offset < b.offset;
}

function budgetStop(budget: ScanBudget, scanned: number, bytes: number, elapsedMs: number, filterMs: number | null): ScanStop | null {
  if (scanned >= budget.maxRecords) return 'records-budget';
  if (bytes >= budget.maxBytes) return 'bytes-budget';
  if (filterMs !== null && filterMs >= budget.maxFilterMs) return 'filter-budget';
  if (elapsedMs >= budget.maxMs) return 'time-budget';
  return null;
}

interface LaneRead {
  lane: Lane;
  /** In the lane's reading order. */
  records: TopicRecord[];
  bytesRead: number;
}

async function readForward(input: ScanInput, lanes: Lane[]): Promise<LaneRead[]> {
  const reads = await input.read(lanes.map((l) => ({ partition: l.partition, fromOffset: l.edge, maxBytes: FETCH_PARTITION_BYTES })));
  return lanes.map((lane, i) => {
    const read = reads[i]!;
    if (read.error === 'OFFSET_OUT_OF_RANGE') {
      // Retention removed the start while we read: go on from the log start.
      const low = read.logStartOffset ?? input.lows.get(lane.partition);
      if (low !== undefined && lane.edge < low) {
        lane.edge = low;
        return { lane, records: [], bytesRead: 0 };
      }
    }
    failOn(read);
    lane.edge = Math.max(lane.edge, read.nextOffset);
    // Nothing more to read: caught up with the high watermark.
    if (read.records.length === 0 && (read.highWatermark === null || lane.edge >= read.highWatermark)) lane.done = true;
    return { lane, records: read.records, bytesRead: read.bytesRead };
  });
}

/**
 * Backward: read the window [edge - window, edge) of each lane (a fetch can stop short of the end on its byte
 * limit, so it repeats until the window is covered), then hand its records newest first. A window whose records
 * outgrow WINDOW_BYTES is read again smaller, so large records cannot pile up in memory.
 */
async function readBackward(input: ScanInput, lanes: Lane[]): Promise<LaneRead[]> {
  const windows = lanes.map((lane) => {
    const from = Math.max(input.lows.get(lane.partition) ?? 0, lane.edge - lane.window);
    return { lane, from, cursor: from, records: [] as TopicRecord[], bytes: 0, bytesRead: 0 };
  });
  let open = windows.filter((w) => w.cursor < w.lane.edge);
  while (open.length > 0) {
    const reads = await input.read(open.map((w) => ({ partition: w.lane.partition, fromOffset: w.cursor, maxBytes: FETCH_PARTITION_BYTES })));
    const stuck: typeof open = [];
    open.forEach((w, i) => {
      const read = reads[i]!;
      failOn(read);
      w.bytesRead += read.bytesRead;
      w.bytes += read.bytesRead;
      for (const r of read.records) if (r.offset < w.lane.edge) w.records.push(r);
      if (read.nextOffset > w.cursor) w.cursor = read.nextOffset;
      // Past the high watermark nothing is stored: the window is covered.
      else if (read.highWatermark !== null && w.cursor >= read.highWatermark) w.cursor = w.lane.edge;
      // No progress below the high watermark: the fetch's byte limits went to other partitions. Read it alone.
      else stuck.push(w);
      const smaller = Math.max(1, Math.floor(w.records.length / 2));
      if (w.bytes > WINDOW_BYTES && w.cursor < w.lane.edge && w.lane.edge - smaller > w.from) {
        // Too much for one window: start again closer to the edge, with half the records that fitted.
        w.lane.window = smaller;
        w.from = w.cursor = w.lane.edge - smaller;
        w.records = [];
        w.bytes = 0;
      }
    });
    for (const w of stuck) {
      // Alone, the first batch always comes back whole (KIP-74), so this read makes progress.
      const [read] = await input.read([{ partition: w.lane.partition, fromOffset: w.cursor, maxBytes: FETCH_PARTITION_BYTES }]);
      failOn(read!);
      w.bytesRead += read!.bytesRead;
      w.bytes += read!.bytesRead;
      for (const r of read!.records) if (r.offset < w.lane.edge) w.records.push(r);
      w.cursor = read!.nextOffset > w.cursor ? read!.nextOffset : w.lane.edge;
    }
    open = open.filter((w) => w.cursor < w.lane.edge);
  }
  return windows.map((w) => {
    const low = input.lows.get(w.lane.partition) ?? 0;
    w.lane.edge = w.from;
    if (w.from <= low) w.lane.done = true;
    return { lane: w.lane, records: w.records.reverse(), bytesRead: w.bytesRead };
  });
}

function failOn(read: PartitionRead): void {
  if (read.error) throw new ScanReadError(`Kafka answered ${read.error} for partition ${read.partition}.`);
}

/** The filter over records in batches of FILTER_BATCH; null without a filter. */
export async function applyFilter(filter: RecordFilter | null, records: TopicRecord[]): Promise<{ matches: boolean[]; elapsedMs: number } | null> {
  if (!filter) return null;
  const matches: boolean[] = new Array(records.length);
  let elapsedMs = 0;
  const starts: number[] = [];
  for (let start = 0; start < records.length; start += FILTER_BATCH) starts.push(start);
  // A few batches at a time: on a failure the rest are never queued, so an abandoned scan does not hold the pool.
  for (let k = 0; k < starts.length; k += FILTER_PARALLEL) {
    await Promise.all(
      starts.slice(k, k + FILTER_PARALLEL).map(async (start) => {
        const slice = records.slice(start, start + FILTER_BATCH);
        const result = await filter.match(slice);
        elapsedMs += result.elapsedMs;
        for (let j = 0; j < slice.length; j++) matches[start + j] = Boolean(result.matches[j]);
      }),
    );
  }
  return { matches, elapsedMs };
}
