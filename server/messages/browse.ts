import type { BrowseDirection, BrowseResponse, BrowseStart } from '../../lib/contract';
import type { KafkaMessagesClient, TopicLayout, Watermarks } from '../kafka/messages-client';
import { FETCH_LEADER_BYTES, PAGE_BUDGET, type ScanBudget } from './budgets';
import { decodeCursor, encodeCursor } from './cursor';
import { MessagesError } from './errors';
import { scanPage, type RecordFilter, type ScanResult } from './scan';

export interface BrowseQuery {
  /** null: every partition. */
  partitions: number[] | null;
  start: BrowseStart;
  offset: number | null;
  /** Epoch ms. */
  time: number | null;
  /** null: backward from `newest`, forward from the other starts. */
  direction: BrowseDirection | null;
  limit: number;
  cursor: string | null;
}

export interface ResolvedBrowse {
  layout: TopicLayout;
  direction: BrowseDirection;
  /** Each partition's boundary where the page starts (see ScanInput.positions). */
  positions: Map<number, number>;
  marks: Map<number, Watermarks>;
  /** Log start offset per partition: where a backward scan ends. */
  lows: Map<number, number>;
}

/** Turns a query (or a cursor) into a direction and a start position per partition, from fresh watermarks. */
export async function resolveBrowse(client: KafkaMessagesClient, topic: string, query: BrowseQuery): Promise<ResolvedBrowse> {
  const cursor = query.cursor === null ? null : decodeCursor(query.cursor);
  if (query.cursor !== null && !cursor) {
    throw new MessagesError(400, 'bad_request', 'The cursor is not one this server wrote.', 'Start again from the page controls; cursors are not meant to be edited.');
  }
  const layout = await client.layout(topic);
  const known = new Set(layout.partitions.map((p) => p.partition));
  const wanted = cursor ? cursor.positions.map((p) => p.partition) : (query.partitions ?? [...known]);
  const unknown = wanted.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    throw new MessagesError(400, 'unknown_partition', `Topic "${topic}" has no partition ${unknown.join(', ')}.`, `Its partitions are 0 to ${layout.partitions.length - 1}.`);
  }
  const selected = layout.partitions.filter((p) => wanted.includes(p.partition));
  const { marks, errors } = await client.watermarks(layout, selected);
  if (errors.size > 0) {
    const [partition, error] = [...errors.entries()][0]!;
    throw new MessagesError(503, 'partition_unavailable', `Kafka answered ${error} for partition ${partition} of "${topic}".`, 'A leader may be moving; try again in a few seconds.');
  }
  const direction = cursor?.direction ?? query.direction ?? (query.start === 'newest' ? 'backward' : 'forward');
  const positions = new Map<number, number>();
  const clamp = (partition: number, offset: number) => {
    const m = marks.get(partition)!;
    return Math.min(Math.max(offset, m.low), m.high);
  };
  if (cursor) {
    for (const p of cursor.positions) positions.set(p.partition, clamp(p.partition, p.offset));
  } else if (query.start === 'time') {
    if (query.time === null) throw new MessagesError(400, 'bad_request', 'start=time needs time=<epoch ms or ISO date>.');
    const found = await client.offsetsAt(layout, selected, query.time);
    // No record that recent: the boundary is the end of the partition.
    for (const p of selected) positions.set(p.partition, clamp(p.partition, found.get(p.partition) ?? marks.get(p.partition)!.high));
  } else {
    for (const p of selected) {
      const m = marks.get(p.partition)!;
      if (query.start === 'newest') positions.set(p.partition, m.high);
      else if (query.start === 'oldest') positions.set(p.partition, m.low);
      else {
        if (query.offset === null) throw new MessagesError(400, 'bad_request', 'start=offset needs offset=<number>.');
        // Backward from an offset includes the record at that offset.
        positions.set(p.partition, clamp(p.partition, direction === 'forward' ? query.offset : query.offset + 1));
      }
    }
  }
  return { layout, direction, positions, marks, lows: new Map([...marks.values()].map((m) => [m.partition, m.low])) };
}

/** One page: the records, cursors both ways, and an honest report of the scan. */
export async function browsePage(
  client: KafkaMessagesClient,
  cluster: string,
  topic: string,
  resolved: ResolvedBrowse,
  options: { limit: number; filter: RecordFilter | null; budget?: ScanBudget; signal?: AbortSignal },
): Promise<{ response: Omit<BrowseResponse, 'records'>; scan: ScanResult }> {
  const scan = await scanPage({
    direction: resolved.direction,
    positions: resolved.positions,
    lows: resolved.lows,
    limit: options.limit,
    filter: options.filter,
    budget: options.budget ?? PAGE_BUDGET,
    read: (reqs) => client.read(resolved.layout, reqs, FETCH_LEADER_BYTES),
    signal: options.signal,
  });
  const toPositions = (m: Map<number, number>) => [...m.entries()].map(([partition, offset]) => ({ partition, offset }));
  // The way back starts where this page started; nothing lies that way when every partition is at its edge.
  const atEdge = [...resolved.positions.entries()].every(([p, o]) => (resolved.direction === 'forward' ? o <= resolved.marks.get(p)!.low : o >= resolved.marks.get(p)!.high));
  const turned: BrowseDirection = resolved.direction === 'forward' ? 'backward' : 'forward';
  return {
    scan,
    response: {
      cluster,
      topic,
      observedAt: Date.now(),
      direction: resolved.direction,
      partitions: [...resolved.marks.values()].sort((a, b) => a.partition - b.partition),
      next: scan.stopped === 'end' ? null : encodeCursor({ direction: resolved.direction, positions: toPositions(scan.positions) }),
      previous: atEdge ? null : encodeCursor({ direction: turned, positions: toPositions(resolved.positions) }),
      scan: {
        scanned: scan.scanned,
        matched: scan.records.length,
        bytes: scan.bytes,
        elapsedMs: Math.round(scan.elapsedMs),
        filterMs: scan.filterMs === null ? null : Math.round(scan.filterMs),
        stopped: scan.stopped,
        position: toPositions(scan.positions),
      },
    },
  };
}
