/**
 * One Kafka record as the filter sees it: raw bytes, so the filter decides how to read them. A TopicRecord from
 * the Kafka reader (Buffers are Uint8Arrays) fits as is.
 */
export interface FilterRecord {
  partition: number;
  offset: number;
  /** Epoch milliseconds. */
  timestamp: number;
  key: Uint8Array | null;
  /** null for a tombstone. */
  value: Uint8Array | null;
  headers: ReadonlyArray<readonly [string, Uint8Array | null]>;
}
