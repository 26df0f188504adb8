import type { RecordsBatch } from '@platformatic/kafka';
import { ApiKeys, LIST_OFFSETS, pickVersion } from './api-versions';
import { kafkaErrorName } from './error-codes';
import type { BrokerAccess, BrokerEndpoint, LeaderPartition } from './offsets';
import { errorMessage, ISOLATION, responseOf } from './offsets';
import { fetchPartitions, IS_CONTROL, LOG_APPEND_TIME, type RawPartition } from './record-fetch';

const IS_TRANSACTIONAL = 1 << 4;
const HEADER_HEX_BYTES = 32;
const CLOUD_EVENT_MAX_BYTES = 64 * 1024;

export interface SampledHeader {
  key: string;
  /** UTF-8 text when it decodes cleanly and has no control characters; otherwise "0x" + hex of at most the first 32 bytes; null for a null value. */
  value: string | null;
}

export interface SampledRecord {
  offset: number;
  timestamp: number;
  headers: SampledHeader[];
  /** 0 for a null value (tombstone) as for an empty one. */
  valueBytes: number;
  keyBytes: number;
  /**
   * Only for CloudEvents structured mode (content-type header starting with "application/cloudevents"): source, type
   * and id read from the JSON value. null when the value is missing, over 64 KiB, not JSON or not a JSON object; a
   * field is null when absent or not a string. The payload itself is never returned.
   */
  structuredCloudEvent: { source: string | null; type: string | null; id: string | null } | null;
}

export interface SampledBatch {
  /** null when -1: a plain (non-idempotent) producer. */
  producerId: string | null;
  producerEpoch: number;
  baseSequence: number;
  firstOffset: number;
  lastOffset: number;
  transactional: boolean;
  /** Records at or after the requested offset only (a batch can start before it). */
  records: SampledRecord[];
}

export interface SampleResult {
  topic: string;
  partition: number;
  /** Data batches in offset order; control batches (transaction markers) are left out. */
  batches: SampledBatch[];
  /** Size of the record data the broker returned for this partition: the raw records field, trailing partial batch included. */
  bytesRead: number;
  /** Where the next read should start: past the last complete batch seen (control batches included). */
  nextOffset: number;
  highWatermark: number | null;
  /** Kafka error name (OFFSET_OUT_OF_RANGE, UNKNOWN_TOPIC_OR_PARTITION, ...), a transport failure, or a batch that could not be decoded. */
  error: string | null;
}

export interface SampleRequest {
  topic: string;
  partition: number;
  /** The leader epoch from metadata; -1 skips the fencing check. */
  leaderEpoch: number;
  fromOffset: number;
  maxBytes: number;
}

/** Reads the records at `fromOffset` once, with a plain Fetch: no consumer group is joined, created or committed to. */
export async function sampleRecords(access: BrokerAccess, leader: BrokerEndpoint, req: SampleRequest): Promise<SampleResult> {
  const [result] = await sampleRecordsBatch(access, leader, [req], req.maxBytes);
  return result!;
}

/**
 * Several partitions on the same leader in ONE Fetch (each with its own start offset and byte limit, plus a total
 * limit). read_uncommitted, so the writes of open transactions are seen too. Kafka returns a whole first batch even
 * when it is larger than the limits: that is expected. Errors are per partition; nothing here throws for Kafka errors.
 */
export async function sampleRecordsBatch(access: BrokerAccess, leader: BrokerEndpoint, reqs: readonly SampleRequest[], totalMaxBytes: number): Promise<SampleResult[]> {
  const answers = await fetchPartitions(access, leader, reqs, totalMaxBytes);
  return reqs.map((r, i) => {
    const { raw, error } = answers[i]!;
    if (!raw) return emptyResult(r, error ?? 'NO_RESPONSE');
    if (raw.errorCode !== 0) return { ...emptyResult(r, kafkaErrorName(raw.errorCode)), bytesRead: raw.recordsSize };
    return toResult(r, raw);
  });
}

function emptyResult(r: SampleRequest, error: string): SampleResult {
  return { topic: r.topic, partition: r.partition, batches: [], bytesRead: 0, nextOffset: r.fromOffset, highWatermark: null, error };
}

function toResult(r: SampleRequest, p: RawPartition): SampleResult {
  const batches: SampledBatch[] = [];
  let nextOffset = r.fromOffset;
  for (const b of p.batches) {
    nextOffset = Math.max(nextOffset, b.lastOffset + 1);
    if (!b.decoded || b.decoded.attributes & IS_CONTROL) continue;
    batches.push(toBatch(b.decoded, r.fromOffset));
  }
  return {
    topic: r.topic,
    partition: r.partition,
    batches,
    bytesRead: p.recordsSize,
    nextOffset,
    highWatermark: p.highWatermark >= 0n ? Number(p.highWatermark) : null,
    error: p.decodeError,
  };
}

function toBatch(batch: RecordsBatch, fromOffset: number): SampledBatch {
  const base = Number(batch.firstOffset);
  const logAppendTime = (batch.attributes & LOG_APPEND_TIME) !== 0;
  const records: SampledRecord[] = [];
  for (const record of batch.records) {
    const offset = base + record.offsetDelta;
    if (offset < fromOffset) continue;
    const headers = record.headers.map(([key, value]): SampledHeader => ({ key: key ? key.toString('utf8') : '', value: headerText(value) }));
    records.push({
      offset,
      timestamp: Number(logAppendTime ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta),
      headers,
      valueBytes: record.value?.length ?? 0,
      keyBytes: record.key?.length ?? 0,
      structuredCloudEvent: structuredCloudEvent(headers, record.value),
    });
  }
  return {
    producerId: batch.producerId >= 0n ? batch.producerId.toString() : null,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.firstSequence,
    firstOffset: base,
    lastOffset: base + batch.lastOffsetDelta,
    transactional: (batch.attributes & IS_TRANSACTIONAL) !== 0,
    records,
  };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** Header values are arbitrary bytes: show text only when it really is text, else a short hex prefix. */
export function headerText(value: Buffer | null): string | null {
  if (value === null) return null;
  try {
    const text = UTF8.decode(value);
    if (!CONTROL_CHARS.test(text)) return text;
  } catch {
    // not UTF-8: hex below
  }
  return `0x${value.subarray(0, HEADER_HEX_BYTES).toString('hex')}`;
}

/** CloudEvents Kafka binding, structured mode: the event attributes live in the JSON value, not in ce_* headers. */
function structuredCloudEvent(headers: readonly SampledHeader[], value: Buffer | null): SampledRecord['structuredCloudEvent'] {
  const contentType = headers.find((h) => h.key.toLowerCase() === 'content-type')?.value;
  if (!contentType || !contentType.trim().toLowerCase().startsWith('application/cloudevents')) return null;
  if (!value || value.length > CLOUD_EVENT_MAX_BYTES) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return null;
  }
  // A batch-mode array (application/cloudevents-batch+json) is not one event.
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const event = parsed as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return { source: text(event.source), type: text(event.type), id: text(event.id) };
}

export interface OffsetForTime {
  topic: string;
  partition: number;
  /** null when no record is that recent (or on error). */
  offset: number | null;
  error: string | null;
}

/**
 * ListOffsets by timestamp (what KafkaConsumer.offsetsForTimes does): per partition, the first offset whose
 * timestamp is >= `timestamp`, null when no record is that recent. One request per leader; errors per partition.
 * Results are in the order of `reqs`. The broker rejects a partition listed twice in one request (INVALID_REQUEST),
 * so several timestamps for the same partition go out in extra requests, one per repeat.
 */
export async function offsetsForTimes(
  access: BrokerAccess,
  brokers: ReadonlyMap<number, BrokerEndpoint>,
  reqs: readonly (LeaderPartition & { timestamp: number })[],
): Promise<OffsetForTime[]> {
  const module = pickVersion(LIST_OFFSETS, ApiKeys.ListOffsets, access.apis);
  if (!module) throw new Error('the brokers support no ListOffsets version Topolog speaks (Kafka 3.0 or newer is needed)');
  const results: OffsetForTime[] = reqs.map((r) => ({ topic: r.topic, partition: r.partition, offset: null, error: 'NO_RESPONSE' }));
  // Per leader, rounds of requests; each round holds a partition at most once. Values are indexes into reqs.
  const byLeader = new Map<number, Map<string, number>[]>();
  reqs.forEach((r, i) => {
    if (r.leader < 0 || !brokers.has(r.leader)) {
      results[i]!.error = 'LEADER_NOT_AVAILABLE';
      return;
    }
    let rounds = byLeader.get(r.leader);
    if (!rounds) byLeader.set(r.leader, (rounds = []));
    const key = `${r.topic}\u0000${r.partition}`;
    let round = rounds.find((m) => !m.has(key));
    if (!round) rounds.push((round = new Map()));
    round.set(key, i);
  });

  const requests = [...byLeader.entries()].flatMap(([leader, rounds]) => rounds.map((round) => ({ leader, round })));
  await Promise.all(
    requests.map(async ({ leader, round }) => {
      const topics = new Map<string, { partitionIndex: number; currentLeaderEpoch: number; timestamp: bigint }[]>();
      for (const i of round.values()) {
        const r = reqs[i]!;
        let list = topics.get(r.topic);
        if (!list) topics.set(r.topic, (list = []));
        // Negative timestamps are the special "latest"/"earliest" specs: a time lookup never means those.
        list.push({ partitionIndex: r.partition, currentLeaderEpoch: r.leaderEpoch, timestamp: BigInt(Math.max(0, Math.floor(r.timestamp))) });
      }
      let response: { topics: { name: string; partitions: { partitionIndex: number; errorCode: number; offset: bigint }[] }[] } | null = null;
      let failure: string | null = null;
      try {
        const connection = await access.connection(brokers.get(leader)!);
        response = await module.api.async(connection, -1, ISOLATION.readUncommitted, [...topics.entries()].map(([name, partitions]) => ({ name, partitions })));
        access.stats.record('ListOffsets', leader, 'ok');
      } catch (err) {
        // A partition-level error still carries the parsed response: keep the good partitions.
        response = responseOf(err) as typeof response;
        failure = response ? null : errorMessage(err);
        access.stats.record('ListOffsets', leader, 'error');
      }
      if (failure) for (const i of round.values()) results[i]!.error = failure;
      for (const t of response?.topics ?? []) {
        for (const p of t.partitions) {
          const i = round.get(`${t.name}\u0000${p.partitionIndex}`);
          if (i === undefined) continue;
          // offset -1 with no error: no record at or after that time.
          results[i] = { topic: t.name, partition: p.partitionIndex, offset: p.errorCode === 0 && p.offset >= 0n ? Number(p.offset) : null, error: p.errorCode === 0 ? null : kafkaErrorName(p.errorCode) };
        }
      }
    }),
  );
  return results;
}
