import {
  Admin, createAPI, crc32c, initProducerIdV0, initProducerIdV1, initProducerIdV2, initProducerIdV3, initProducerIdV4, initProducerIdV5,
  murmur2, produceV9, produceV10, produceV11, Writer, type Connection,
} from '@platformatic/kafka';
import { backoffDelayMs } from '../../lib/backoff';
import type { PartitionAck } from '../../lib/replay/job-progress';
import type { ClusterConfig } from '../config/schema';
import { ApiKeys, pickVersion } from './api-versions';
import { clientOptions } from './connection-options';
import { kafkaErrorName } from './error-codes';
import type { TopicLayout } from './messages-client';
import { errorMessage, responseOf } from './offsets';

/** Replay writes are recognisable in broker logs and hidden from the map like Topolog's other clients. */
const REPLAY_CLIENT_ID = 'topolog-replay';
/** Produce v9+ is the flexible encoding (compact strings and arrays, tagged fields; Kafka 2.8+): the only one written here. */
const PRODUCE = [produceV11, produceV10, produceV9] as const;
/** InitProducerId tries (about 15 s in all with the backoff) before the run fails and the job's own retry takes over. */
const INIT_ATTEMPTS = 10;

async function withRetries<T>(work: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(attempt, { baseMs: 250, maxMs: 3_000 })));
    }
  }
}

const INIT_PRODUCER_ID = [initProducerIdV5, initProducerIdV4, initProducerIdV3, initProducerIdV2, initProducerIdV1, initProducerIdV0] as const;
/** acks=all: an acknowledged record is on every in-sync replica, so it survives a leader change. */
const ACKS_ALL = -1;
/** How long the leader waits for the in-sync replicas before answering REQUEST_TIMED_OUT. */
const PRODUCE_TIMEOUT_MS = 30_000;
/** The client gives up later than the broker, so a slow acknowledgement arrives as Kafka's answer, not a local timeout. */
const REQUEST_TIMEOUT_MS = PRODUCE_TIMEOUT_MS + 15_000;

export interface ReplayRecord {
  partition: number;
  key: Buffer | null;
  value: Buffer | null;
  /** Names may repeat (Kafka allows it; all are kept, in order). A null value stays null. */
  headers: (readonly [string, Buffer | null])[];
  timestamp: number;
}

/**
 * The target partition the Java client's default partitioner picks for a key (murmur2, positive, modulo), so a
 * replay "by key" lands where the services' own producers would put the same key. Null keys go round-robin.
 */
export function partitionForKey(key: Buffer | null, partitions: number, roundRobin: number): number {
  if (key === null) return roundRobin % partitions;
  return (murmur2(key) & 0x7fffffff) % partitions;
}

// ---------------------------------------------------------------------------------------------------------------
// RecordBatch v2 encoding (https://kafka.apache.org/documentation/#recordbatch), computed size first, then written
// once into one Buffer: no intermediate pieces, no concatenation.

/**
 * baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8, crc uint32, attributes int16,
 * lastOffsetDelta int32, baseTimestamp int64, maxTimestamp int64, producerId int64, producerEpoch int16,
 * baseSequence int32, recordCount int32.
 */
export const BATCH_HEADER_BYTES = 61;
/** batchLength counts the bytes after itself (baseOffset and batchLength are the log's framing). */
const BATCH_FRAMING_BYTES = 12;
const CRC_OFFSET = 17;
/** The CRC-32C covers attributes through the end of the batch (so the broker can rewrite the leader epoch). */
const CRC_FROM = 21;
const MAGIC_V2 = 2;
/** Sequence numbers are int32 and wrap to 0 past Integer.MAX_VALUE (as the broker computes them). */
const SEQUENCE_MODULUS = 2 ** 31;

export interface BatchProducer {
  producerId: bigint;
  producerEpoch: number;
  /** The sequence of the batch's first record, per partition. */
  baseSequence: number;
}

/** Header names repeat on every record: each is encoded to UTF-8 once (bounded, for topics with unbounded names). */
export class HeaderNames {
  readonly #cache = new Map<string, Buffer>();

  get(name: string): Buffer {
    let b = this.#cache.get(name);
    if (!b) {
      b = Buffer.from(name, 'utf8');
      if (this.#cache.size < 10_000) this.#cache.set(name, b);
    }
    return b;
  }
}

/**
 * One partition's records as a RecordBatch v2: no compression, CreateTime, record attributes 0, baseOffset 0 (the
 * broker assigns offsets). Idempotence rides on producerId/epoch/baseSequence in the header: the broker rejects a
 * batch whose sequence does not follow the previous one of the same producer (OUT_OF_ORDER_SEQUENCE_NUMBER).
 */
export function encodeRecordBatch(records: readonly ReplayRecord[], producer: BatchProducer, names: HeaderNames = new HeaderNames()): Buffer {
  if (records.length === 0) throw new Error('a record batch holds at least one record');
  const baseTimestamp = records[0]!.timestamp;
  let maxTimestamp = baseTimestamp;
  const bodySizes = new Array<number>(records.length);
  let size = BATCH_HEADER_BYTES;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
    const body = recordBodySize(r, i, r.timestamp - baseTimestamp, names);
    bodySizes[i] = body;
    size += varintSize(body) + body;
  }

  const w = new FixedWriter(Buffer.allocUnsafe(size));
  w.int64(0);
  w.int32(size - BATCH_FRAMING_BYTES);
  w.int32(-1); // partitionLeaderEpoch: producers send -1, the leader stamps its own
  w.int8(MAGIC_V2);
  w.int32(0); // crc, filled in below
  w.int16(0); // attributes: no compression, CreateTime, not transactional, not control
  w.int32(records.length - 1); // lastOffsetDelta
  w.int64(baseTimestamp);
  w.int64(maxTimestamp);
  w.buf.writeBigInt64BE(producer.producerId, w.pos);
  w.pos += 8;
  w.int16(producer.producerEpoch);
  w.int32(producer.baseSequence);
  w.int32(records.length);
  for (let i = 0; i < records.length; i++) writeRecord(w, records[i]!, i, records[i]!.timestamp - baseTimestamp, bodySizes[i]!, names);
  if (w.pos !== size) throw new Error(`record batch encoding wrote ${w.pos} bytes, sized ${size}`);
  w.buf.writeUInt32BE(batchCrc(w.buf), CRC_OFFSET);
  return w.buf;
}

/**
 * The library's crc32c copies a plain Buffer into a fresh Uint8Array first (a second ~1 MB allocation per batch,
 * and GC work); a DynamicBuffer holding one piece is read in place. The CRC covers attributes…end.
 */
function batchCrc(batch: Buffer): number {
  return crc32c(Writer.create().append(batch.subarray(CRC_FROM)).dynamicBuffer);
}

/**
 * Record: length varint, attributes int8, timestampDelta varlong, offsetDelta varint, key (varint length, -1 for
 * null), value (same), header count varint, headers (name: varint length + UTF-8; value: varint length, -1 for null).
 * The length counts what follows it; this is that count.
 */
function recordBodySize(r: ReplayRecord, offsetDelta: number, timestampDelta: number, names: HeaderNames): number {
  const headers = r.headers;
  let size = 1 + varintSize(timestampDelta) + varintSize(offsetDelta) + bytesSize(r.key) + bytesSize(r.value) + varintSize(headers.length);
  for (let i = 0; i < headers.length; i++) size += bytesSize(names.get(headers[i]![0])) + bytesSize(headers[i]![1]);
  return size;
}

function writeRecord(w: FixedWriter, r: ReplayRecord, offsetDelta: number, timestampDelta: number, bodySize: number, names: HeaderNames): void {
  w.varint(bodySize);
  w.int8(0);
  w.varint(timestampDelta);
  w.varint(offsetDelta);
  w.bytes(r.key);
  w.bytes(r.value);
  const headers = r.headers;
  w.varint(headers.length);
  for (let i = 0; i < headers.length; i++) {
    w.bytes(names.get(headers[i]![0]));
    w.bytes(headers[i]![1]);
  }
}

/**
 * Kafka's varint/varlong: zigzag (small magnitudes of either sign stay short), then 7 bits per byte, low group
 * first. Done in floating point rather than 32-bit integer ops: a timestamp delta can exceed int32 (records weeks
 * apart) and stays exact up to 2^53.
 */
function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function varintSize(n: number): number {
  let z = zigzag(n);
  if (z < 0x80) return 1;
  if (z < 0x4000) return 2;
  if (z < 0x200000) return 3;
  let size = 3;
  while (z >= 0x200000) {
    z = Math.floor(z / 128);
    size++;
  }
  return size;
}

function bytesSize(b: Buffer | null): number {
  return b === null ? 1 : varintSize(b.length) + b.length;
}

/** A cursor over a Buffer of the exact size: just the writes a record batch needs. */
class FixedWriter {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  int8(n: number): void {
    this.buf[this.pos++] = n;
  }

  int16(n: number): void {
    this.pos = this.buf.writeInt16BE(n, this.pos);
  }

  int32(n: number): void {
    this.pos = this.buf.writeInt32BE(n, this.pos);
  }

  /** A JS number (a timestamp in ms) as int64: exact up to 2^53, which a timestamp never reaches. */
  int64(n: number): void {
    const high = Math.floor(n / 2 ** 32);
    this.buf.writeInt32BE(high, this.pos);
    this.buf.writeUInt32BE(n - high * 2 ** 32, this.pos + 4);
    this.pos += 8;
  }

  varint(n: number): void {
    let z = zigzag(n);
    while (z >= 128) {
      this.buf[this.pos++] = (z % 128) | 0x80;
      z = Math.floor(z / 128);
    }
    this.buf[this.pos++] = z;
  }

  /** Kafka's nullable bytes in a record: varint length (-1 for null), then the bytes. */
  bytes(b: Buffer | null): void {
    if (b === null) return this.varint(-1);
    this.varint(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The writer: one InitProducerId, then raw Produce requests, one per leader per send.

interface PartitionBatch {
  partition: number;
  count: number;
  batch: Buffer;
}

type ProduceResponse = ReturnType<typeof produceV11.parseResponse>;
type ProduceApi = (connection: Connection, batches: { topic: string; partitions: PartitionBatch[] }) => Promise<ProduceResponse>;

/**
 * The replay job's writer: each send becomes ONE Produce request per leader, holding one RecordBatch v2 per target
 * partition encoded here (the client library's encoder cost more CPU than the rest of the replay together).
 *
 * Idempotent (producer id + per-partition sequence) and acks=all. The error policy is deliberately simple: ANY
 * failure (transport, a partition error such as NOT_LEADER_OR_FOLLOWER or OUT_OF_ORDER_SEQUENCE_NUMBER, a missing
 * partition in the answer) rejects that send and every later one: the writer is dead. There are no retries here:
 * the job treats a failed send as an unknown outcome, stops, and its next run scans the target for what landed
 * (provenance headers) and writes the rest with a new writer and producer id.
 *
 * Ordering: a broker handles one connection's requests in order, and an idempotent producer may have at most 5
 * requests in flight per connection. Each leader gets ONE connection of this writer's own, and a send issues its
 * requests synchronously, so requests reach every leader in send order; the caller keeps at most a few sends in
 * flight (the job runner: 4).
 */
export class ReplayBatchWriter {
  readonly #admin: Admin;
  readonly #topic: string;
  readonly #leaders: Map<number, Connection>;
  readonly #produce: ProduceApi;
  readonly #producerId: bigint;
  readonly #producerEpoch: number;
  readonly #sequences = new Map<number, number>();
  readonly #names = new HeaderNames();
  /** The last send's outcome: a send resolves only after every earlier one did, and rejects if any earlier one failed. */
  #last: Promise<unknown> = Promise.resolve();
  #failure: Error | null = null;

  private constructor(admin: Admin, topic: string, leaders: Map<number, Connection>, produce: ProduceApi, producer: { producerId: bigint; producerEpoch: number }) {
    this.#admin = admin;
    this.#topic = topic;
    this.#leaders = leaders;
    this.#produce = produce;
    this.#producerId = producer.producerId;
    this.#producerEpoch = producer.producerEpoch;
  }

  /**
   * Connects to the leaders of `layout` (fetched just before: leaders are not looked up again; a moved leader
   * fails a send, and the job's next run starts from fresh metadata) and gets a producer id.
   */
  static async open(cluster: ClusterConfig, layout: TopicLayout): Promise<ReplayBatchWriter> {
    const admin = new Admin({ ...clientOptions(cluster, REPLAY_CLIENT_ID), requestTimeout: REQUEST_TIMEOUT_MS });
    try {
      const apis = await admin.listApis();
      const produce = pickVersion(PRODUCE, ApiKeys.Produce, apis);
      if (!produce) throw new Error('the target brokers do not speak Produce v9 or newer (Kafka 2.8 or newer is needed)');
      const initProducerId = pickVersion(INIT_PRODUCER_ID, ApiKeys.InitProducerId, apis);
      if (!initProducerId) throw new Error('the target brokers do not support idempotent producers (InitProducerId)');
      const byNode = new Map<number, Connection>();
      const leaders = new Map<number, Connection>();
      for (const p of layout.partitions) {
        const broker = layout.brokers.get(p.leader);
        if (!broker) continue; // no leader now: a send to this partition fails
        let connection = byNode.get(broker.nodeId);
        if (!connection) byNode.set(broker.nodeId, (connection = await admin.connections.get({ host: broker.host, port: broker.port })));
        leaders.set(p.partition, connection);
      }
      const first = byNode.values().next().value;
      if (!first) throw new Error(`no partition of "${layout.topic}" has a leader`);
      // No transactional id: any broker hands out an idempotent producer id. A young cluster answers
      // COORDINATOR_LOAD_IN_PROGRESS / NOT_COORDINATOR for a while; nothing is written yet, so asking again is safe.
      // A fresh connection per try: a timed-out request closes the one it went over.
      const endpoint = [...layout.brokers.values()].find((b) => byNode.get(b.nodeId) === first)!;
      const ids = await withRetries(async () => initProducerId.api.async(await admin.connections.get({ host: endpoint.host, port: endpoint.port }), null, PRODUCE_TIMEOUT_MS), INIT_ATTEMPTS);
      const api = createAPI<[{ topic: string; partitions: PartitionBatch[] }], ProduceResponse>(ApiKeys.Produce, produce.api.version, produceRequest, produce.parseResponse);
      return new ReplayBatchWriter(admin, layout.topic, leaders, api.async, ids);
    } catch (err) {
      await admin.close().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Writes the records (already assigned to partitions). Each partition's records become one batch, so they sit at
   * baseOffset … baseOffset + count - 1; the answer has one entry per partition written.
   */
  send(topic: string, records: readonly ReplayRecord[]): Promise<PartitionAck[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    let requests: Promise<PartitionAck[]>[];
    try {
      if (topic !== this.#topic) throw new Error(`this writer writes to "${this.#topic}", not "${topic}"`);
      requests = [...this.#byLeader(records)].map(([connection, partitions]) => this.#request(connection, partitions));
    } catch (err) {
      return Promise.reject(this.#fail(err));
    }
    const previous = this.#last;
    const result = Promise.all([previous, Promise.all(requests)]).then(
      ([, acks]) => acks.flat(),
      (err: unknown) => Promise.reject(this.#fail(err)),
    );
    this.#last = result;
    // A failure is reported by the send it belongs to and the ones after it, never as unhandled.
    result.catch(() => undefined);
    return result;
  }

  /** Encodes every partition's batch (advancing its sequence) and groups the batches by leader connection. */
  #byLeader(records: readonly ReplayRecord[]): Map<Connection, PartitionBatch[]> {
    const byPartition = new Map<number, ReplayRecord[]>();
    for (const r of records) {
      let list = byPartition.get(r.partition);
      if (!list) byPartition.set(r.partition, (list = []));
      list.push(r);
    }
    const byLeader = new Map<Connection, PartitionBatch[]>();
    for (const [partition, list] of byPartition) {
      const connection = this.#leaders.get(partition);
      if (!connection) throw new Error(`target partition ${partition} of "${this.#topic}" has no leader (LEADER_NOT_AVAILABLE)`);
      const baseSequence = this.#sequences.get(partition) ?? 0;
      const batch = encodeRecordBatch(list, { producerId: this.#producerId, producerEpoch: this.#producerEpoch, baseSequence }, this.#names);
      this.#sequences.set(partition, (baseSequence + list.length) % SEQUENCE_MODULUS);
      let batches = byLeader.get(connection);
      if (!batches) byLeader.set(connection, (batches = []));
      batches.push({ partition, count: list.length, batch });
    }
    return byLeader;
  }

  /** One Produce request, issued now (synchronously: that keeps the connection's order); every partition must succeed. */
  async #request(connection: Connection, partitions: PartitionBatch[]): Promise<PartitionAck[]> {
    let response: ProduceResponse;
    try {
      response = await this.#produce(connection, { topic: this.#topic, partitions });
    } catch (err) {
      const code = firstPartitionError(err);
      throw new ReplayWriteError(`Kafka did not accept a replay write to "${this.#topic}": ${code ? `${code.name} on partition ${code.partition}${code.message ? ` (${code.message})` : ''}` : errorMessage(err)}`, code !== null && PERMANENT_ERRORS.has(code.name), err);
    }
    const answers = new Map<number, ProduceResponse['responses'][number]['partitionResponses'][number]>();
    for (const t of response.responses) if (t.name === this.#topic) for (const p of t.partitionResponses) answers.set(p.index, p);
    return partitions.map(({ partition, count }) => {
      const a = answers.get(partition);
      if (!a) throw new Error(`Kafka's answer to a replay write left out partition ${partition} of "${this.#topic}"`);
      return { partition, baseOffset: Number(a.baseOffset), count };
    });
  }

  #fail(err: unknown): Error {
    this.#failure ??= err instanceof Error ? err : new Error(String(err));
    return this.#failure;
  }

  /** Requests still in flight fail with the connections (the job counts only what was acknowledged before). */
  async close(): Promise<void> {
    this.#fail(new Error('the replay writer is closed'));
    await this.#admin.close().catch(() => undefined);
  }
}

/**
 * Produce Request v9–v11 (flexible): transactional_id COMPACT_NULLABLE_STRING, acks INT16, timeout_ms INT32,
 * [topic_data: name COMPACT_STRING, [partition_data: index INT32, records COMPACT_RECORDS] TAG_BUFFER] TAG_BUFFER,
 * TAG_BUFFER. Each batch Buffer is appended as it is: the connection joins the pieces once when it frames the request.
 */
function produceRequest(data: { topic: string; partitions: PartitionBatch[] }): Writer {
  return Writer.create()
    .appendString(null) // transactional_id: none (idempotent, not transactional)
    .appendInt16(ACKS_ALL)
    .appendInt32(PRODUCE_TIMEOUT_MS)
    .appendArray([data], (w, t) => {
      w.appendString(t.topic).appendArray(t.partitions, (w, p) => {
        w.appendInt32(p.partition).appendUnsignedVarInt(p.batch.length + 1).append(p.batch);
      });
    })
    .appendTaggedFields();
}

/**
 * Answers that another try cannot change: the records or the request are refused as such, or access is denied. The
 * job fails at once with the reason instead of retrying for minutes.
 */
const PERMANENT_ERRORS = new Set([
  'MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'INVALID_TIMESTAMP', 'INVALID_REQUIRED_ACKS',
  'TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'UNSUPPORTED_VERSION', 'UNSUPPORTED_FOR_MESSAGE_FORMAT',
]);

/** A failed replay write; `permanent` when retrying cannot help (see PERMANENT_ERRORS). */
export class ReplayWriteError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** The library's parser throws on any partition error, with the parsed answer attached: the first error code. */
function firstPartitionError(err: unknown): { name: string; partition: number; message: string | null } | null {
  const response = responseOf(err) as ProduceResponse | null;
  for (const t of response?.responses ?? []) {
    for (const p of t.partitionResponses) if (p.errorCode !== 0) return { name: kafkaErrorName(p.errorCode), partition: p.index, message: p.errorMessage ?? null };
  }
  return null;
}
