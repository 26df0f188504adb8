import { Admin, Producer, metadataV12 } from '@platformatic/kafka';
import type { ClusterConfig } from '../config/schema';
import type { ApiVersionRange } from './capabilities';
import { bootstrapEndpoints, clientOptions } from './connection-options';
import { kafkaErrorName } from './error-codes';
import { ISOLATION, listOffsetsByLeader, responseOf, type BrokerAccess, type BrokerEndpoint, type LeaderPartition } from './offsets';
import { offsetsForTimes } from './record-sampler';
import { readPartitions, type Isolation, type PartitionRead, type TopicRecord } from './record-reader';
import { RequestStats } from './request-stats';

/** Browsing, tailing and producing: a client of its own, recognisable in broker logs and hidden from the map. */
const MESSAGES_CLIENT_ID = 'topolog-messages';

export interface TopicLayout {
  topic: string;
  partitions: LeaderPartition[];
  brokers: Map<number, BrokerEndpoint>;
}

export interface Watermarks {
  partition: number;
  low: number;
  high: number;
  /**
   * The last stable offset (what a read_committed consumer reads up to: the first offset of the oldest open
   * transaction, else the high watermark); only when asked with `{ stable: true }`.
   */
  stable?: number;
}

export interface ReadOptions {
  /** 'uncommitted' (the default) sees everything written; 'committed' reads as a read_committed consumer does. */
  isolation?: Isolation;
}

export interface PartitionReadRequest {
  partition: number;
  fromOffset: number;
  maxBytes: number;
}

export interface ProducedRecord {
  partition: number | null;
  key: Buffer | null;
  value: Buffer | null;
  headers: (readonly [string, Buffer])[];
}

/** A request about a topic that does not exist: the API turns it into a 404. */
export class UnknownTopicError extends Error {
  constructor(readonly topic: string) {
    super(`No topic "${topic}" on this cluster.`);
  }
}

/**
 * The messages side of the Kafka port for one cluster. It has its own connections: a long scan must not queue
 * behind (or in front of) the poller's requests, since a broker answers one connection's requests in order. Every
 * read is a plain Fetch or ListOffsets: no consumer group is ever joined, created or committed to.
 */
export class KafkaMessagesClient {
  readonly #cluster: ClusterConfig;
  #admin: Admin;
  #producer: Producer | null = null;
  #apis: ApiVersionRange[] | null = null;
  readonly stats = new RequestStats();

  constructor(cluster: ClusterConfig) {
    this.#cluster = cluster;
    this.#admin = new Admin(clientOptions(cluster, MESSAGES_CLIENT_ID));
  }

  async #access(): Promise<BrokerAccess> {
    this.#apis ??= await this.#admin.listApis();
    return { connection: (b) => this.#admin.connections.get({ host: b.host, port: b.port }), apis: this.#apis, stats: this.stats };
  }

  /** Fresh leaders for one topic (a browse must not read from a leader the poller saw minutes ago). */
  async layout(topic: string): Promise<TopicLayout> {
    const connection = await this.#admin.connections.getFirstAvailable(bootstrapEndpoints(this.#cluster));
    let response;
    try {
      response = await metadataV12.api.async(connection, [topic], false, false);
    } catch (err) {
      // A topic-level error still comes with the parsed response.
      response = responseOf(err) as typeof response | undefined;
      if (!response) throw err;
    }
    const t = response.topics.find((x) => x.name === topic);
    // 3 UNKNOWN_TOPIC_OR_PARTITION; 17 INVALID_TOPIC_EXCEPTION (a name Kafka cannot hold, such as one with spaces).
    if (!t || t.errorCode === 3 || t.errorCode === 17) throw new UnknownTopicError(topic);
    if (t.errorCode !== 0) throw new Error(`Kafka answered ${kafkaErrorName(t.errorCode)} for topic "${topic}"`);
    const brokers = new Map(response.brokers.map((b) => [b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port }]));
    const partitions = t.partitions
      .map((p) => ({ topic, partition: p.partitionIndex, leader: p.leaderId, leaderEpoch: p.leaderEpoch }))
      .sort((a, b) => a.partition - b.partition);
    return { topic, partitions, brokers };
  }

  /**
   * Log start offset and high watermark of each partition (and the last stable offset with `stable`: ListOffsets
   * "latest" read_committed); a partition that cannot answer is left out, with its error.
   */
  async watermarks(layout: TopicLayout, partitions: readonly LeaderPartition[], options: { stable?: boolean } = {}): Promise<{ marks: Map<number, Watermarks>; errors: Map<number, string> }> {
    const access = await this.#access();
    const [lows, highs, stables] = await Promise.all([
      listOffsetsByLeader(access, layout.brokers, partitions, 'earliest'),
      listOffsetsByLeader(access, layout.brokers, partitions, 'latest'),
      options.stable ? listOffsetsByLeader(access, layout.brokers, partitions, 'latest', ISOLATION.readCommitted) : null,
    ]);
    const marks = new Map<number, Watermarks>();
    const errors = new Map<number, string>();
    const high = new Map(highs.map((h) => [h.partition, h]));
    const stable = stables && new Map(stables.map((s) => [s.partition, s]));
    for (const l of lows) {
      const h = high.get(l.partition);
      const s = stable?.get(l.partition);
      if (l.offset === null || !h || h.offset === null || (stable && (!s || s.offset === null))) {
        errors.set(l.partition, l.error ?? h?.error ?? s?.error ?? 'NO_RESPONSE');
        continue;
      }
      const mark: Watermarks = { partition: l.partition, low: l.offset, high: h.offset };
      // Asked one after the other, the LSO may be newer than the HW read beside it: never past it.
      if (s && s.offset !== null) mark.stable = Math.max(l.offset, Math.min(s.offset, h.offset));
      marks.set(l.partition, mark);
    }
    return { marks, errors };
  }

  /** Per partition, the first offset whose timestamp is at or after `timestamp` (null: none that recent). */
  async offsetsAt(layout: TopicLayout, partitions: readonly LeaderPartition[], timestamp: number): Promise<Map<number, number | null>> {
    const access = await this.#access();
    const found = await offsetsForTimes(access, layout.brokers, partitions.map((p) => ({ ...p, timestamp })));
    const result = new Map<number, number | null>();
    for (const f of found) {
      if (f.error) throw new Error(`Kafka could not look up offsets by time for partition ${f.partition}: ${f.error}`);
      result.set(f.partition, f.offset);
    }
    return result;
  }

  /** One Fetch per leader for the partitions asked; results in the order asked. read_uncommitted unless `isolation` says otherwise. */
  async read(layout: TopicLayout, reqs: readonly PartitionReadRequest[], maxBytesPerLeader: number, maxWaitMs = 0, options: ReadOptions = {}): Promise<PartitionRead[]> {
    const access = await this.#access();
    const byPartition = new Map(layout.partitions.map((p) => [p.partition, p]));
    const byLeader = new Map<number, PartitionReadRequest[]>();
    const results = new Map<number, PartitionRead>();
    for (const r of reqs) {
      const p = byPartition.get(r.partition);
      const leader = p && layout.brokers.get(p.leader);
      if (!p || !leader) {
        results.set(r.partition, { topic: layout.topic, partition: r.partition, records: [], nextOffset: r.fromOffset, highWatermark: null, logStartOffset: null, bytesRead: 0, error: p ? 'LEADER_NOT_AVAILABLE' : 'UNKNOWN_PARTITION', undecoded: null });
        continue;
      }
      let list = byLeader.get(p.leader);
      if (!list) byLeader.set(p.leader, (list = []));
      list.push(r);
    }
    await Promise.all(
      [...byLeader.entries()].map(async ([leader, list]) => {
        const reads = await readPartitions(
          access,
          layout.brokers.get(leader)!,
          list.map((r) => ({ topic: layout.topic, partition: r.partition, leaderEpoch: byPartition.get(r.partition)!.leaderEpoch, fromOffset: r.fromOffset, maxBytes: r.maxBytes })),
          maxBytesPerLeader,
          maxWaitMs,
          options.isolation ?? 'uncommitted',
        );
        for (const read of reads) results.set(read.partition, read);
      }),
    );
    return reqs.map((r) => results.get(r.partition)!);
  }

  /** The record at exactly `offset`, or null (removed by retention or compaction, not written yet, no such partition). */
  async readOne(topic: string, partition: number, offset: number): Promise<TopicRecord | null> {
    const layout = await this.layout(topic);
    if (!layout.partitions.some((p) => p.partition === partition)) return null;
    // One byte is enough: Kafka always returns the whole first batch, however large (KIP-74).
    const [read] = await this.read(layout, [{ partition, fromOffset: offset, maxBytes: 1 }], 1);
    if (read!.error === 'OFFSET_OUT_OF_RANGE') return null;
    if (read!.error) throw new Error(`Kafka answered ${read!.error} for partition ${partition}`);
    return read!.records.find((r) => r.offset === offset) ?? null;
  }

  /** Writes one record (acks=all) and answers where it landed. */
  async produce(topic: string, record: ProducedRecord): Promise<{ partition: number; offset: number; timestamp: number }> {
    this.#producer ??= new Producer({ ...clientOptions(this.#cluster, MESSAGES_CLIENT_ID), acks: -1, autocreateTopics: false });
    const timestamp = Date.now();
    const result = await this.#producer.send({
      messages: [
        {
          topic,
          ...(record.partition === null ? {} : { partition: record.partition }),
          ...(record.key === null ? {} : { key: record.key }),
          ...(record.value === null ? {} : { value: record.value }),
          headers: new Map(record.headers.map(([k, v]) => [Buffer.from(k, 'utf8'), v])),
          timestamp: BigInt(timestamp),
        },
      ],
    });
    const written = result.offsets?.[0];
    if (!written) throw new Error('Kafka did not say where the record was written.');
    return { partition: written.partition, offset: Number(written.offset), timestamp };
  }

  /** After a failure: drop every connection so a dead socket is never reused. */
  async reset(): Promise<void> {
    const old = this.#admin;
    this.#admin = new Admin(clientOptions(this.#cluster, MESSAGES_CLIENT_ID));
    this.#apis = null;
    await old.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all([this.#admin.close().catch(() => undefined), this.#producer?.close().catch(() => undefined)]);
  }
}
