import { murmur2, Producer } from '@platformatic/kafka';
import type { PartitionAck } from '../../lib/replay/job-progress';
import type { ClusterConfig } from '../config/schema';
import { clientOptions } from './connection-options';

/** Replay writes are recognisable in broker logs and hidden from the map like Topolog's other clients. */
const REPLAY_CLIENT_ID = 'topolog-replay';

export interface ReplayRecord {
  partition: number;
  key: Buffer | null;
  value: Buffer | null;
  /** A null value stays null (Kafka allows it). */
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

/**
 * One job's producer: idempotent (so the client's own retries never duplicate: Kafka drops a retried batch by
 * producer id and sequence), acks=all (an acknowledged record survives a leader change). Idempotence holds within
 * one producer session only; duplicates across a crash are prevented by the job's recovery scan, not here.
 */
export class ReplayProducer {
  readonly #producer: Producer;
  /** Header names repeat on every record: encoded once (a measurable share of the CPU at 100k records/s). */
  readonly #keys = new Map<string, Buffer>();

  constructor(cluster: ClusterConfig) {
    this.#producer = new Producer({
      ...clientOptions(cluster, REPLAY_CLIENT_ID),
      idempotent: true,
      acks: -1,
      // A few retries ride out a leader move; more would hide an outage from the job (which then fails, resumably).
      retries: 5,
      retryDelay: 500,
      autocreateTopics: false,
    });
  }

  /**
   * Writes the records (already assigned to partitions) and answers, per target partition, the first offset and
   * the count. One produce request holds one batch per partition, so a partition's records sit at
   * baseOffset … baseOffset + count - 1.
   */
  async send(topic: string, records: readonly ReplayRecord[]): Promise<PartitionAck[]> {
    if (records.length === 0) return [];
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.partition, (counts.get(r.partition) ?? 0) + 1);
    const result = await this.#producer.send({
      messages: records.map((r) => ({
        topic,
        partition: r.partition,
        ...(r.key === null ? {} : { key: r.key }),
        ...(r.value === null ? {} : { value: r.value }),
        // The client's typing says Buffer, but its writer encodes null as Kafka's null header value (length -1).
        headers: new Map(r.headers.map(([k, v]) => [this.#keyBuffer(k), v as Buffer])),
        timestamp: BigInt(r.timestamp),
      })),
    });
    const acks: PartitionAck[] = [];
    for (const o of result.offsets ?? []) {
      if (o.topic !== topic) continue;
      acks.push({ partition: o.partition, baseOffset: Number(o.offset), count: counts.get(o.partition) ?? 0 });
    }
    if (acks.length !== counts.size) throw new Error(`Kafka acknowledged ${acks.length} of the ${counts.size} partitions written.`);
    return acks;
  }

  #keyBuffer(key: string): Buffer {
    let b = this.#keys.get(key);
    if (!b) {
      b = Buffer.from(key, 'utf8');
      // Bounded: a topic with unbounded distinct header names must not grow memory for ever.
      if (this.#keys.size < 10_000) this.#keys.set(key, b);
    }
    return b;
  }

  async close(): Promise<void> {
    await this.#producer.close(true).catch(() => undefined);
  }
}
