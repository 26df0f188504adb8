import type { PartitionProducers } from '../kafka/producers';

/** Sequence numbers are int32 and wrap to 0 after 2^31 - 1. */
const SEQ_SPACE = 2 ** 31;

export interface ProducerSession {
  topic: string;
  partition: number;
  producerId: string;
  epoch: number;
  lastSequence: number;
  lastTimestamp: number | null;
  firstSeenAt: number;
  /** Wall clock of the poll where its sequence last moved (or its own last write, when first seen); null: never seen writing. */
  lastAdvanceAt: number | null;
  /** Records per second between the last two polls; null until two polls saw it. */
  rate: number | null;
  openTransaction: boolean;
  observedAt: number;
}

/**
 * Producer sessions per partition from DescribeProducers, and their record rates from sequence deltas
 * (research/lineage.md §2.1): no data is read. A session that is merely present is not writing: brokers keep
 * state for a day after the last write, so liveness comes from the sequence moving, never from presence.
 */
export class ProducerSessions {
  readonly #sessions = new Map<string, ProducerSession>();
  /** "topic/partition" → its session keys: expiry per answered partition without scanning every session. */
  readonly #byPartition = new Map<string, Set<string>>();

  /** Returns the sessions seen for the first time: the sampler reads a batch of theirs to learn who they are. */
  ingest(results: readonly PartitionProducers[], now: number): ProducerSession[] {
    const fresh: ProducerSession[] = [];
    for (const result of results) {
      if (result.error) continue; // keep the last known state: one failed poll says nothing about the producers
      const prefix = `${result.topic}/${result.partition}/`;
      const present = new Set<string>();
      for (const p of result.producers) {
        const key = prefix + p.producerId;
        present.add(key);
        const previous = this.#sessions.get(key);
        if (!previous) {
          const lastTimestamp = p.lastTimestamp;
          const session: ProducerSession = {
            topic: result.topic,
            partition: result.partition,
            producerId: p.producerId,
            epoch: p.producerEpoch,
            lastSequence: p.lastSequence,
            lastTimestamp,
            firstSeenAt: now,
            lastAdvanceAt: lastTimestamp === null ? null : Math.min(now, lastTimestamp),
            rate: null,
            openTransaction: p.currentTxnStartOffset !== null,
            observedAt: now,
          };
          this.#sessions.set(key, session);
          let keys = this.#byPartition.get(prefix);
          if (!keys) this.#byPartition.set(prefix, (keys = new Set()));
          keys.add(key);
          fresh.push(session);
          continue;
        }
        const written = recordsWritten(previous, p.producerEpoch, p.lastSequence);
        const seconds = (now - previous.observedAt) / 1000;
        previous.rate = seconds > 0 ? written / seconds : previous.rate;
        if (written > 0) previous.lastAdvanceAt = now;
        previous.epoch = p.producerEpoch;
        previous.lastSequence = p.lastSequence;
        previous.lastTimestamp = p.lastTimestamp;
        previous.openTransaction = p.currentTxnStartOffset !== null;
        previous.observedAt = now;
      }
      // Expired on the broker (producer.id.expiration.ms): gone.
      const keys = this.#byPartition.get(prefix);
      for (const key of keys ?? []) {
        if (present.has(key)) continue;
        this.#sessions.delete(key);
        keys!.delete(key);
      }
    }
    return fresh;
  }

  /**
   * Partitions not described this cycle because their end did not move: nothing was written, so their sessions'
   * rates are 0 now rather than the last measured value. Walks only partitions that have sessions.
   */
  markIdleExcept(described: ReadonlySet<string>, now: number): void {
    for (const [prefix, keys] of this.#byPartition) {
      if (described.has(prefix.slice(0, -1))) continue;
      for (const key of keys) {
        const s = this.#sessions.get(key);
        if (!s) continue;
        s.rate = 0;
        s.observedAt = now;
      }
    }
  }

  /** Drops the sessions of partitions that no longer exist. */
  retain(partitions: ReadonlySet<string>): void {
    for (const [prefix, keys] of this.#byPartition) {
      if (partitions.has(prefix.slice(0, -1))) continue;
      for (const key of keys) this.#sessions.delete(key);
      this.#byPartition.delete(prefix);
    }
  }

  all(): IterableIterator<ProducerSession> {
    return this.#sessions.values();
  }

  get size(): number {
    return this.#sessions.size;
  }
}

/**
 * Records a session wrote between two polls, from its last sequence. A new epoch restarts sequences at 0 (a
 * transactional producer re-initialised, or an idempotent one bumped after an error); a smaller sequence in the
 * same epoch is the int32 wrap-around.
 */
export function recordsWritten(previous: Pick<ProducerSession, 'epoch' | 'lastSequence'>, epoch: number, lastSequence: number): number {
  if (lastSequence < 0) return 0;
  if (epoch !== previous.epoch) return lastSequence + 1;
  if (previous.lastSequence < 0) return lastSequence + 1;
  if (lastSequence >= previous.lastSequence) return lastSequence - previous.lastSequence;
  return SEQ_SPACE - previous.lastSequence + lastSequence;
}
