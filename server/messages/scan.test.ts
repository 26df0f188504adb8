import { describe, expect, it } from 'vitest';
import type { PartitionRead, TopicRecord } from '../kafka/record-reader';
import { PAGE_BUDGET } from './budgets';
import { scanPage, type ReadPartitions, type ScanInput } from './scan';

/**
 * A partition log as Kafka keeps it, for the merge and paging logic: offsets with gaps (compaction), a trailing
 * transaction marker (an offset with no data record), and timestamps that go backwards (CreateTime).
 */
interface Log {
  records: TopicRecord[];
  high: number;
}

function log(partition: number, offsets: number[], time: (o: number) => number, high = Math.max(...offsets) + 1): Log {
  return { high, records: offsets.map((offset) => ({ partition, offset, timestamp: time(offset), logAppendTime: false, key: null, value: Buffer.from(`${partition}:${offset}`), headers: [] })) };
}

/**
 * Serves reads like a broker: up to `perRead` records from the offset asked (whole "batches" of one record),
 * nextOffset past the last returned, the high watermark. With `starve`, every partition after the first of a
 * multi-partition request gets nothing, as when the leader's byte limit went to the first.
 */
function broker(logs: Map<number, Log>, { perRead = 3, starve = false } = {}): { read: ReadPartitions; calls: number } {
  const state = { calls: 0, read: (async () => []) as ReadPartitions };
  state.read = async (reqs) => {
    state.calls++;
    return reqs.map((r, i): PartitionRead => {
      const l = logs.get(r.partition)!;
      const base: PartitionRead = { topic: 't', partition: r.partition, records: [], nextOffset: r.fromOffset, highWatermark: l.high, logStartOffset: 0, bytesRead: 0, error: null, undecoded: null };
      if (starve && i > 0) return base;
      const records = l.records.filter((x) => x.offset >= r.fromOffset).slice(0, perRead);
      const last = records.at(-1);
      // Past the last data record only the marker remains: reading it moves nextOffset to the high watermark.
      const nextOffset = last ? last.offset + 1 : Math.max(r.fromOffset, r.fromOffset < l.high ? l.high : r.fromOffset);
      return { ...base, records, nextOffset, bytesRead: records.length * 10 };
    });
  };
  return state;
}

const logs = new Map<number, Log>([
  // Partition 0: compacted (gaps), then a transaction marker at offset 12.
  [0, log(0, [0, 1, 4, 5, 9, 11], (o) => 1000 + o * 10, 13)],
  // Partition 1: CreateTime goes backwards at offset 3.
  [1, log(1, [0, 1, 2, 3, 4, 5, 6], (o) => (o === 3 ? 1005 : 1002 + o * 15))],
  // Partition 2: empty.
  [2, { records: [], high: 0 }],
]);
const ids = (rs: TopicRecord[]) => rs.map((r) => `${r.partition}:${r.offset}`);

async function pages(input: Omit<ScanInput, 'positions' | 'read'>, positions: Map<number, number>, read: ReadPartitions): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const page = await scanPage({ ...input, positions, read });
    seen.push(...ids(page.records));
    if (page.stopped === 'end') return seen;
    positions = page.positions;
  }
}

const lows = new Map([[0, 0], [1, 0], [2, 0]]);

describe('scanPage', () => {
  it('pages forward through gaps, markers and an empty partition: every record once, each partition in offset order', async () => {
    const all = await pages({ direction: 'forward', lows, limit: 4, filter: null, budget: PAGE_BUDGET }, new Map([[0, 0], [1, 0], [2, 0]]), broker(logs).read);
    expect([...all].sort()).toEqual([...logs.get(0)!.records, ...logs.get(1)!.records].map((r) => `${r.partition}:${r.offset}`).sort());
    for (const p of [0, 1]) {
      const offsets = all.filter((id) => id.startsWith(`${p}:`)).map((id) => Number(id.split(':')[1]));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
    // The merge takes the earlier head: 1:3 (time 1005) comes before 0:1 (1010) once 1:2 is out.
    expect(all.slice(0, 3)).toEqual(['0:0', '1:0', '0:1']);
  });

  it('pages backward through the same records, newest first, even when the leader byte limit starves partitions', async () => {
    const forward = await pages({ direction: 'forward', lows, limit: 5, filter: null, budget: PAGE_BUDGET }, new Map([[0, 0], [1, 0], [2, 0]]), broker(logs).read);
    const backward = await pages({ direction: 'backward', lows, limit: 5, filter: null, budget: PAGE_BUDGET }, new Map([[0, 13], [1, 7], [2, 0]]), broker(logs, { starve: true }).read);
    expect([...backward].sort()).toEqual([...forward].sort());
    for (const p of [0, 1]) {
      const offsets = backward.filter((id) => id.startsWith(`${p}:`)).map((id) => Number(id.split(':')[1]));
      expect(offsets).toEqual([...offsets].sort((a, b) => b - a));
    }
    // Newest first: 0:11 (time 1110), then 1:6 (1092).
    expect(backward.slice(0, 2)).toEqual(['0:11', '1:6']);
  });

  it('keeps only matches and reports a budget stop with the positions to continue from', async () => {
    const filter = { match: async (rs: readonly TopicRecord[]) => ({ matches: rs.map((r) => r.offset % 2 === 1), elapsedMs: 1 }) };
    const page = await scanPage({ direction: 'forward', lows, limit: 100, filter, budget: { ...PAGE_BUDGET, maxRecords: 4 }, positions: new Map([[0, 0], [1, 0]]), read: broker(logs).read });
    expect(page.stopped).toBe('records-budget');
    expect(page.scanned).toBe(6);
    expect(ids(page.records)).toEqual(['0:1', '1:1']);
    // Partition 0 read 0, 1, 4; partition 1 read 0, 1, 2: the next scan starts after them.
    expect([...page.positions.entries()]).toEqual([[0, 5], [1, 3]]);
    // One round: both partitions' six records went to the filter as one batch.
    expect(page.filterMs).toBe(1);
  });
});
