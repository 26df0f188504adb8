import { crc32c, readRecordsBatch, Reader } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { BATCH_HEADER_BYTES, encodeRecordBatch, partitionForKey, type ReplayRecord } from './replay-batch-writer';

const producer = { producerId: 123_456_789_012n, producerEpoch: 7, baseSequence: 2_000_000_000 };

function rec(over: Partial<ReplayRecord>): ReplayRecord {
  return { partition: 0, key: null, value: null, headers: [], timestamp: 1_700_000_000_000, ...over };
}

/** Decodes with the client library's own reader: an independent check of the wire format. */
function decode(batch: Buffer) {
  const reader = Reader.from(batch);
  const decoded = readRecordsBatch(reader);
  expect(reader.remaining).toBe(0);
  return decoded;
}

describe('encodeRecordBatch', () => {
  it('writes every header field of RecordBatch v2 and a CRC-32C over attributes…end', () => {
    const records = [rec({ timestamp: 1_700_000_000_500 }), rec({ timestamp: 1_700_000_000_100 }), rec({ timestamp: 1_700_000_000_900 }), rec({ timestamp: 1_700_000_000_200 })];
    const batch = encodeRecordBatch(records, producer);
    const b = decode(batch);
    expect(b.firstOffset).toBe(0n);
    expect(b.length).toBe(batch.length - 12);
    expect(b.partitionLeaderEpoch).toBe(-1);
    expect(b.magic).toBe(2);
    expect(b.crc).toBe(crc32c(batch.subarray(21)));
    expect(b.attributes).toBe(0);
    expect(b.lastOffsetDelta).toBe(3);
    expect(b.firstTimestamp).toBe(1_700_000_000_500n);
    expect(b.maxTimestamp).toBe(1_700_000_000_900n);
    expect(b.producerId).toBe(producer.producerId);
    expect(b.producerEpoch).toBe(7);
    expect(b.firstSequence).toBe(2_000_000_000);
    expect(b.records.map((r) => [r.offsetDelta, r.timestampDelta, r.attributes])).toEqual([
      [0, 0n, 0],
      [1, -400n, 0],
      [2, 400n, 0],
      [3, -300n, 0],
    ]);
  });

  it('keeps keys, values and headers: nulls, empty bytes, repeated names, non-ASCII names, large values', () => {
    const big = Buffer.alloc(300_000, 7); // a 3-byte varint length
    const records: ReplayRecord[] = [
      rec({ key: Buffer.from('k1'), value: Buffer.from('v1'), headers: [['a', Buffer.from('1')], ['a', Buffer.from('2')], ['a', null], ['b', Buffer.alloc(0)]] }),
      rec({ key: null, value: null, headers: [] }),
      rec({ key: Buffer.alloc(0), value: big, headers: [['naïve-名前', Buffer.from('x')], ['a', Buffer.from('3')]] }),
    ];
    const b = decode(encodeRecordBatch(records, producer));
    expect(b.records).toHaveLength(3);
    b.records.forEach((r, i) => {
      const want = records[i]!;
      expect(r.key).toEqual(want.key);
      expect(r.value).toEqual(want.value);
      expect(r.headers.map(([k, v]) => [k?.toString('utf8'), v])).toEqual(want.headers);
    });
    // Record length: what follows the length varint, up to the next record.
    expect(b.records[1]!.length).toBe(1 + 1 + 1 + 1 + 1 + 1);
  });

  it('encodes timestamp deltas beyond int32 (records weeks apart) and timestamps before the first', () => {
    const base = 1_600_000_000_000;
    const records = [rec({ timestamp: base }), rec({ timestamp: base + 90 * 86_400_000 }), rec({ timestamp: base - 40 * 86_400_000 })];
    const b = decode(encodeRecordBatch(records, producer));
    expect(b.records.map((r) => r.timestampDelta)).toEqual([0n, BigInt(90 * 86_400_000), BigInt(-40 * 86_400_000)]);
    expect(b.maxTimestamp).toBe(BigInt(base + 90 * 86_400_000));
  });

  it('sizes the buffer exactly for many records (offset deltas and lengths of every varint width)', () => {
    const records = Array.from({ length: 20_000 }, (_, i) => rec({ key: Buffer.from(`k${i}`), value: Buffer.alloc(i % 200, 1), headers: [['h', Buffer.from(String(i))]], timestamp: 1_700_000_000_000 + i }));
    const batch = encodeRecordBatch(records, { ...producer, baseSequence: 0 });
    const b = decode(batch);
    expect(b.records).toHaveLength(20_000);
    expect(b.records[19_999]!.offsetDelta).toBe(19_999);
    expect(b.records[19_999]!.value!.length).toBe(19_999 % 200);
    expect(b.crc).toBe(crc32c(batch.subarray(21)));
  });

  it('refuses an empty batch', () => {
    expect(() => encodeRecordBatch([], producer)).toThrow();
    expect(BATCH_HEADER_BYTES).toBe(61);
  });
});

describe('partitionForKey', () => {
  it('is stable per key and goes round-robin for null keys', () => {
    const p = partitionForKey(Buffer.from('a'), 7, 0);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(partitionForKey(Buffer.from('a'), 7, 99)).toBe(p);
    expect(partitionForKey(null, 4, 6)).toBe(2);
  });
});
