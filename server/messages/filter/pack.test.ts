import { describe, expect, it } from 'vitest';
import { packRecords, unpackRecords } from './pack';
import type { FilterRecord } from './record';

describe('packRecords', () => {
  it('copies only the bytes of the records, not the buffers they are views into', () => {
    // Like a Kafka fetch: every payload is a view into one large buffer.
    const fetch = Buffer.alloc(4 * 1024 * 1024, 0x61);
    const records: FilterRecord[] = [
      {
        partition: 2,
        offset: 9_007_199_254_740_000,
        timestamp: 1_700_000_000_123,
        key: fetch.subarray(10, 13),
        value: fetch.subarray(100, 200),
        headers: [
          ['trace-id', fetch.subarray(0, 4)],
          ['ünïcode', null],
        ],
      },
      { partition: 0, offset: 0, timestamp: -1, key: null, value: null, headers: [] },
      { partition: 1, offset: 5, timestamp: 0, key: new Uint8Array(0), value: new Uint8Array([0xff, 0x00, 0xfe]), headers: [['', new Uint8Array(0)]] },
    ];
    const packed = packRecords(records);
    const headerNameBytes = Buffer.byteLength('trace-id') + Buffer.byteLength('ünïcode');
    expect(packed.data.byteLength).toBe(3 + 100 + 4 + headerNameBytes + 3);
    expect(packed.count).toBe(3);

    const unpacked = unpackRecords(packed);
    expect(unpacked).toHaveLength(3);
    unpacked.forEach((record, i) => {
      const original = records[i]!;
      expect(record.partition).toBe(original.partition);
      expect(record.offset).toBe(original.offset);
      expect(record.timestamp).toBe(original.timestamp);
      expect(record.key === null ? null : [...record.key]).toEqual(original.key === null ? null : [...original.key]);
      expect(record.value === null ? null : [...record.value]).toEqual(original.value === null ? null : [...original.value]);
      expect(record.headers.map(([n, v]) => [n, v === null ? null : [...v]])).toEqual(original.headers.map(([n, v]) => [n, v === null ? null : [...v]]));
      // Views into the one transferred buffer.
      if (record.value) expect(record.value.buffer).toBe(packed.data);
    });
  });

  it('packs an empty batch', () => {
    expect(unpackRecords(packRecords([]))).toEqual([]);
  });
});
