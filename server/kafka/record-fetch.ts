import { Reader, createAPI, fetchV12, readKnownTaggedFields, readRecordsBatch, type RecordsBatch } from '@platformatic/kafka';
import { ApiKeys, pickVersion } from './api-versions';
import { kafkaErrorName } from './error-codes';
import type { BrokerAccess, BrokerEndpoint } from './offsets';
import { errorMessage, ISOLATION } from './offsets';
import type { AbortedTransaction } from './aborted-transactions';

export { IS_CONTROL } from './aborted-transactions';

const IS_COMPRESSED = 0b111;
/** Attribute bit 3: the broker stamped the batch (LogAppendTime); every record's time is then the batch's maxTimestamp. */
export const LOG_APPEND_TIME = 1 << 3;
/** Batch framing: baseOffset (int64) + batchLength (int32) precede the batchLength bytes. */
const BATCH_HEAD = 12;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export interface PartitionFetch {
  topic: string;
  partition: number;
  /** The leader epoch from metadata; -1 skips the fencing check. */
  leaderEpoch: number;
  fromOffset: number;
  maxBytes: number;
}

export interface RawBatch {
  lastOffset: number;
  /** null when the batch could not be decoded (its offsets are still known from the header). */
  decoded: RecordsBatch | null;
}

/**
 * read_uncommitted sees every record written, those of open and aborted transactions included (what browsing
 * shows); read_committed gets the batches below the last stable offset only, with the list of aborted transactions
 * among them, so the reader can drop their data as a read_committed consumer does.
 */
export type Isolation = 'uncommitted' | 'committed';

export interface RawPartition {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  logStartOffset: bigint;
  /** Aborted transactions overlapping the returned batches (read_committed only; empty for read_uncommitted). */
  abortedTransactions: AbortedTransaction[];
  recordsSize: number;
  batches: RawBatch[];
  decodeError: string | null;
}

/** One requested partition's answer: `raw` (which may carry a Kafka error code), or `error` when there is none. */
export interface PartitionFetchOutcome {
  raw: RawPartition | null;
  error: string | null;
}

/**
 * Several partitions on the same leader in ONE plain Fetch (each with its own start offset and byte limit, plus a
 * total limit): no consumer group is joined, created or committed to. read_uncommitted by default, so the writes of
 * open transactions are seen too; 'committed' stops at the last stable offset and lists the aborted transactions.
 * Kafka returns a whole first batch even when it is larger than the limits: that is expected. Outcomes are in the
 * order of `reqs`; nothing here throws for Kafka or transport errors.
 */
export async function fetchPartitions(
  access: BrokerAccess,
  leader: BrokerEndpoint,
  reqs: readonly PartitionFetch[],
  totalMaxBytes: number,
  maxWaitMs = 0,
  isolation: Isolation = 'uncommitted',
): Promise<PartitionFetchOutcome[]> {
  if (reqs.length === 0) return [];
  if (!pickVersion([fetchV12], ApiKeys.Fetch, access.apis)) throw new Error('the broker does not speak Fetch v12 (Kafka 2.7 or newer is needed)');
  const topics = new Map<string, PartitionFetch[]>();
  // A sessionless Fetch keeps one entry per partition: a repeat would silently get another request's answer.
  const seen = new Set<string>();
  const repeats = new Set<PartitionFetch>();
  for (const r of reqs) {
    const key = `${r.topic}\u0000${r.partition}`;
    if (seen.has(key)) {
      repeats.add(r);
      continue;
    }
    seen.add(key);
    let list = topics.get(r.topic);
    if (!list) topics.set(r.topic, (list = []));
    list.push(r);
  }
  let response: RawFetchResponse;
  try {
    const connection = await access.connection(leader);
    response = await RAW_FETCH.async(
      connection,
      maxWaitMs,
      0, // minBytes: answer with whatever is there
      totalMaxBytes,
      isolation === 'committed' ? ISOLATION.readCommitted : ISOLATION.readUncommitted,
      0, // sessionId: no fetch session
      -1, // sessionEpoch: a full, sessionless fetch
      // v12 takes topic names; the library calls the field topicId for every version.
      [...topics.entries()].map(([topic, list]) => ({
        topicId: topic,
        partitions: list.map((r) => ({ partition: r.partition, currentLeaderEpoch: r.leaderEpoch, fetchOffset: BigInt(r.fromOffset), lastFetchedEpoch: -1, partitionMaxBytes: r.maxBytes })),
      })),
      [],
      '',
    );
    access.stats.record('Fetch', leader.nodeId, response.errorCode === 0 ? 'ok' : 'error');
  } catch (err) {
    access.stats.record('Fetch', leader.nodeId, 'error');
    return reqs.map(() => ({ raw: null, error: errorMessage(err) }));
  }
  if (response.errorCode !== 0) return reqs.map(() => ({ raw: null, error: kafkaErrorName(response.errorCode) }));

  const answers = new Map<string, RawPartition>();
  for (const t of response.responses) for (const p of t.partitions) answers.set(`${t.topic}\u0000${p.partitionIndex}`, p);
  return reqs.map((r) => {
    if (repeats.has(r)) return { raw: null, error: 'DUPLICATE_PARTITION: each partition can be read once per Fetch' };
    const raw = answers.get(`${r.topic}\u0000${r.partition}`);
    return raw ? { raw, error: null } : { raw: null, error: 'NO_RESPONSE' };
  });
}

// Fetch v12 with a parser of our own. The library's parser decodes every batch of the response in one go: one batch
// it cannot decode (a codec it lacks, a pre-0.11 message set) throws away the whole response, and the raw size of
// each partition's record data is lost. This one keeps both per partition; the request is the library's.

interface RawFetchResponse {
  errorCode: number;
  responses: { topic: string; partitions: RawPartition[] }[];
}

const RAW_FETCH = createAPI<Parameters<typeof fetchV12.createRequest>, RawFetchResponse>(1, 12, fetchV12.createRequest, parseFetchV12);

/* Fetch Response v12, as in the library's fetch-v12.js: throttle_time_ms error_code session_id [responses] TAG_BUFFER. */
function parseFetchV12(_correlationId: number, _apiKey: number, _apiVersion: number, reader: Reader): RawFetchResponse {
  reader.readInt32(); // throttle_time_ms
  const errorCode = reader.readInt16();
  reader.readInt32(); // session_id
  const responses = reader.readArray((r) => ({
    topic: r.readString(),
    partitions: r.readArray((r) => {
      const partitionIndex = r.readInt32();
      const partitionError = r.readInt16();
      const highWatermark = r.readInt64();
      r.readInt64(); // last_stable_offset: the replay reads it with ListOffsets (read_committed) instead
      const logStartOffset = r.readInt64();
      // aborted_transactions: [producer_id, first_offset] TAG_BUFFER each; null for read_uncommitted.
      const abortedTransactions =
        r.readNullableArray((r) => {
          const producerId = r.readInt64();
          const firstOffset = r.readInt64();
          return { producerId, firstOffset };
        }) ?? [];
      r.readInt32(); // preferred_read_replica
      // COMPACT_RECORDS: length + 1, 0 for null.
      const recordsSize = Math.max(0, r.readUnsignedVarInt() - 1);
      const { batches, decodeError } = decodeBatches(Reader.from(r.buffer.subarray(r.position, r.position + recordsSize)));
      r.skip(recordsSize);
      readKnownTaggedFields(r, {}); // diverging_epoch, current_leader, snapshot_id: not needed to sample
      return { partitionIndex, errorCode: partitionError, highWatermark, logStartOffset, abortedTransactions, recordsSize, batches, decodeError };
    }, true, false),
  }));
  readKnownTaggedFields(reader, {});
  return { errorCode, responses };
}

/** Frames the batches one by one so a batch that cannot be decoded is reported and skipped, not fatal. */
function decodeBatches(reader: Reader): { batches: RawBatch[]; decodeError: string | null } {
  const batches: RawBatch[] = [];
  let decodeError: string | null = null;
  // A trailing batch cut at the byte limit is incomplete: consumers drop it too and read it on the next fetch.
  while (reader.remaining >= BATCH_HEAD && reader.remaining - BATCH_HEAD >= reader.peekInt32(reader.position + 8)) {
    const start = reader.position;
    const end = start + BATCH_HEAD + reader.peekInt32(start + 8);
    const firstOffset = Number(reader.peekInt64(start));
    const magic = reader.peekInt8(start + 16);
    if (magic < 2) {
      // Message format v0/v1 (written before Kafka 0.11): no producer ids or headers to sample; its offset is the last one.
      decodeError ??= `message format v${magic} (before Kafka 0.11) is not decoded`;
      batches.push({ lastOffset: firstOffset, decoded: null });
    } else {
      const lastOffset = firstOffset + reader.peekInt32(start + 23);
      try {
        batches.push({ lastOffset, decoded: readRecordsBatch(Reader.from(reader.buffer.subarray(start, end))) });
      } catch (err) {
        const codec = CODECS[reader.peekInt16(start + 21) & IS_COMPRESSED] ?? 'unknown';
        decodeError ??= `batch at offset ${firstOffset} (${codec}) could not be decoded: ${errorMessage(err)}`;
        batches.push({ lastOffset, decoded: null });
      }
    }
    reader.skip(end - start);
  }
  return { batches, decodeError };
}
