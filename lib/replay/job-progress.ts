import type { SourceRange } from '../contract/replay';

/**
 * Checkpoint arithmetic of a replay job (pure). The checkpoint is only ever a contiguous prefix of acknowledged
 * work: per source partition the next source offset (everything below is written or filtered out), and per target
 * partition a "mark" below which every record this job wrote is counted in the checkpoint. Recovery after an
 * unclean stop scans the target from the marks only.
 */

/** What Kafka acknowledged for one send: per target partition, the first offset and how many records. */
export interface PartitionAck {
  partition: number;
  baseOffset: number;
  count: number;
}

export type OffsetMap = Record<string, number>;

/** Marks after acknowledged sends: max(mark, last acked offset + 1). A mark never moves back. */
export function advanceMarks(marks: OffsetMap, acks: readonly PartitionAck[]): OffsetMap {
  const next = { ...marks };
  for (const a of acks) {
    if (a.count <= 0 || a.baseOffset < 0) continue;
    const end = a.baseOffset + a.count;
    const key = String(a.partition);
    next[key] = Math.max(next[key] ?? 0, end);
  }
  return next;
}

/** Every source partition has reached the end of its range. */
export function rangesDone(ranges: readonly SourceRange[], positions: OffsetMap): boolean {
  return ranges.every((r) => (positions[String(r.partition)] ?? r.from) >= r.to);
}

/** Offsets still to go over (an upper bound of the records left: compaction leaves gaps). */
export function remaining(ranges: readonly SourceRange[], positions: OffsetMap): number {
  let left = 0;
  for (const r of ranges) left += Math.max(0, r.to - Math.max(r.from, positions[String(r.partition)] ?? r.from));
  return left;
}

/**
 * Per source partition, where the checkpoint stands once batches 0..b of a chunk are acknowledged: the offset of
 * the first record of that partition still waiting in a later batch, else the end of what the chunk read. `batches`
 * hold source (partition, offset) pairs in sending order; `chunkEnd` is where the chunk's reads stopped.
 */
export function positionsAfterBatches(batches: readonly (readonly { partition: number; offset: number }[])[], chunkEnd: ReadonlyMap<number, number>): OffsetMap[] {
  const after: OffsetMap[] = new Array(batches.length);
  const pending: OffsetMap = {};
  for (const [p, end] of chunkEnd) pending[String(p)] = end;
  // Backwards: the first record of p in a later batch is the lowest offset of p seen so far from the end.
  for (let b = batches.length - 1; b >= 0; b--) {
    after[b] = { ...pending };
    for (const r of batches[b]!) {
      const key = String(r.partition);
      pending[key] = Math.min(pending[key] ?? r.offset, r.offset);
    }
  }
  return after;
}

/** The plan's estimate: exact when the whole range was read, else the matched share of the offsets in range. */
export function estimateMatches(matched: number, scanned: number, inRange: number, complete: boolean): number {
  if (complete || scanned === 0) return complete ? matched : inRange;
  return Math.min(inRange, Math.round((matched / scanned) * inRange));
}

/** The provenance source header: cluster/topic/partition/offset. Topic names cannot hold "/" but a cluster id might, so it is parsed from the right. */
export function formatSource(cluster: string, topic: string, partition: number, offset: number): string {
  return `${cluster}/${topic}/${partition}/${offset}`;
}

export function parseSource(text: string): { cluster: string; topic: string; partition: number; offset: number } | null {
  const parts = text.split('/');
  if (parts.length < 4) return null;
  const offset = Number(parts.pop());
  const partition = Number(parts.pop());
  const topic = parts.pop()!;
  const cluster = parts.join('/');
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(partition) || partition < 0 || !topic || !cluster) return null;
  return { cluster, topic, partition, offset };
}
