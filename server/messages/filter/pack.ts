import type { FilterRecord } from './record';

/**
 * Records cross to a worker as one fresh ArrayBuffer of bytes plus a Float64Array index, both transferred.
 * Posting the records themselves would structured-clone each Buffer's whole backing store: a Buffer from a
 * Kafka fetch is a view into the fetch's large (often pooled) buffer.
 *
 * Index layout: RECORD_SLOTS numbers per record, then HEADER_SLOTS numbers per header. A byte range is a start
 * in `data` and a length, the length -1 for null.
 */
export interface PackedBatch {
  count: number;
  data: ArrayBuffer;
  index: Float64Array<ArrayBuffer>;
}

/** partition, offset, timestamp, key start, key length, value start, value length, first header slot, header count. */
const RECORD_SLOTS = 9;
/** name start, name length, value start, value length. */
const HEADER_SLOTS = 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function packRecords(records: readonly FilterRecord[]): PackedBatch {
  let bytes = 0;
  let headers = 0;
  for (const r of records) {
    bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0);
    for (const [name, value] of r.headers) bytes += Buffer.byteLength(name) + (value?.length ?? 0);
    headers += r.headers.length;
  }
  const data = new Uint8Array(bytes);
  const index = new Float64Array(records.length * RECORD_SLOTS + headers * HEADER_SLOTS);
  let at = 0;
  /** Copies `b` into data and writes its range at index[slot], index[slot + 1]. */
  const put = (b: Uint8Array | null, slot: number): void => {
    index[slot] = at;
    index[slot + 1] = b === null ? -1 : b.length;
    if (b !== null) {
      data.set(b, at);
      at += b.length;
    }
  };
  let headerSlot = records.length * RECORD_SLOTS;
  records.forEach((r, i) => {
    const slot = i * RECORD_SLOTS;
    index[slot] = r.partition;
    index[slot + 1] = r.offset;
    index[slot + 2] = r.timestamp;
    put(r.key, slot + 3);
    put(r.value, slot + 5);
    index[slot + 7] = headerSlot;
    index[slot + 8] = r.headers.length;
    for (const [name, value] of r.headers) {
      const written = encoder.encodeInto(name, data.subarray(at)).written;
      index[headerSlot] = at;
      index[headerSlot + 1] = written;
      at += written;
      put(value, headerSlot + 2);
      headerSlot += HEADER_SLOTS;
    }
  });
  return { count: records.length, data: data.buffer, index };
}

/** The records of a batch, their bytes as views into the batch's buffer (no copy). */
export function unpackRecords({ count, data, index }: PackedBatch): FilterRecord[] {
  const view = (slot: number): Uint8Array | null => {
    const length = index[slot + 1]!;
    return length < 0 ? null : new Uint8Array(data, index[slot]!, length);
  };
  const records: FilterRecord[] = [];
  for (let i = 0; i < count; i++) {
    const slot = i * RECORD_SLOTS;
    const headers: (readonly [string, Uint8Array | null])[] = [];
    const first = index[slot + 7]!;
    for (let h = 0; h < index[slot + 8]!; h++) {
      const headerSlot = first + h * HEADER_SLOTS;
      headers.push([decoder.decode(view(headerSlot)!), view(headerSlot + 2)]);
    }
    records.push({
      partition: index[slot]!,
      offset: index[slot + 1]!,
      timestamp: index[slot + 2]!,
      key: view(slot + 3),
      value: view(slot + 5),
      headers,
    });
  }
  return records;
}
