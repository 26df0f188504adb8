import { kafkaErrorName } from './error-codes';
import type { BrokerAccess, BrokerEndpoint } from './offsets';
import { AbortedRuns } from './aborted-transactions';
import { fetchPartitions, IS_CONTROL, LOG_APPEND_TIME, type Isolation, type PartitionFetch } from './record-fetch';

export type { Isolation } from './record-fetch';

/** One record as the broker stored it: raw bytes, so decoding and filtering decide how to read them. */
export interface TopicRecord {
  partition: number;
  offset: number;
  timestamp: number;
  /** LogAppendTime when the broker stamped the batch (the topic's message.timestamp.type); CreateTime otherwise. */
  logAppendTime: boolean;
  key: Buffer | null;
  value: Buffer | null;
  headers: (readonly [string, Buffer | null])[];
}

export interface PartitionRead {
  topic: string;
  partition: number;
  /**
   * Data records at or after the requested offset, in offset order; transaction markers are left out. Read
   * committed, the records of aborted transactions are left out too (and nothing at or past the last stable offset
   * is returned).
   */
  records: TopicRecord[];
  /** Where the next read should start: past the last complete batch (markers included), never before the request. */
  nextOffset: number;
  highWatermark: number | null;
  logStartOffset: number | null;
  /** Read committed: offsets (at or after the requested one) of the records dropped as data of aborted transactions. */
  abortedOffsets?: number[];
  /** Size of the record data the broker returned (the trailing partial batch included). */
  bytesRead: number;
  /** A Kafka error name or a transport failure: nothing was read. */
  error: string | null;
  /** A batch that could not be decoded (a codec Topolog lacks, pre-0.11 format): skipped, the read goes on past it. */
  undecoded: string | null;
}

/**
 * Reads whole records (keys, values, headers) from several partitions on one leader with one plain Fetch: no
 * consumer group is joined, created or committed to, so browsing and tailing leave no trace on the cluster.
 * read_uncommitted by default (browsing shows everything written); 'committed' reads what a read_committed
 * consumer gets: up to the last stable offset, without the data of aborted transactions.
 */
export async function readPartitions(
  access: BrokerAccess,
  leader: BrokerEndpoint,
  reqs: readonly PartitionFetch[],
  totalMaxBytes: number,
  maxWaitMs = 0,
  isolation: Isolation = 'uncommitted',
): Promise<PartitionRead[]> {
  const answers = await fetchPartitions(access, leader, reqs, totalMaxBytes, maxWaitMs, isolation);
  return reqs.map((r, i): PartitionRead => {
    const { raw, error } = answers[i]!;
    const empty: PartitionRead = { topic: r.topic, partition: r.partition, records: [], nextOffset: r.fromOffset, highWatermark: null, logStartOffset: null, bytesRead: 0, error, undecoded: null };
    if (!raw) return empty;
    const logStartOffset = raw.logStartOffset >= 0n ? Number(raw.logStartOffset) : null;
    if (raw.errorCode !== 0) return { ...empty, bytesRead: raw.recordsSize, logStartOffset, error: kafkaErrorName(raw.errorCode) };
    const records: TopicRecord[] = [];
    let nextOffset = r.fromOffset;
    const abortedOffsets: number[] = [];
    // read_uncommitted: the broker sends no aborted transactions, so nothing is dropped.
    const aborted = isolation === 'committed' ? new AbortedRuns(raw.abortedTransactions) : null;
    for (const b of raw.batches) {
      nextOffset = Math.max(nextOffset, b.lastOffset + 1);
      const batch = b.decoded;
      if (!batch) continue;
      if (aborted?.isAborted(batch)) {
        for (const record of batch.records) {
          const offset = Number(batch.firstOffset) + record.offsetDelta;
          if (offset >= r.fromOffset) abortedOffsets.push(offset);
        }
        continue;
      }
      if (batch.attributes & IS_CONTROL) continue;
      const base = Number(batch.firstOffset);
      const logAppendTime = (batch.attributes & LOG_APPEND_TIME) !== 0;
      for (const record of batch.records) {
        const offset = base + record.offsetDelta;
        if (offset < r.fromOffset) continue;
        records.push({
          partition: r.partition,
          offset,
          timestamp: Number(logAppendTime ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta),
          logAppendTime,
          key: record.key ?? null,
          value: record.value ?? null,
          headers: record.headers.map(([k, v]) => [k ? k.toString('utf8') : '', v ?? null] as const),
        });
      }
    }
    return {
      topic: r.topic,
      partition: r.partition,
      records,
      nextOffset,
      highWatermark: raw.highWatermark >= 0n ? Number(raw.highWatermark) : null,
      logStartOffset,
      abortedOffsets,
      bytesRead: raw.recordsSize,
      error: null,
      undecoded: raw.decodeError,
    };
  });
}
