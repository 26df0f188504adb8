/** Record batch attribute bits (Kafka's RecordBatch v2). */
export const IS_TRANSACTIONAL = 1 << 4;
export const IS_CONTROL = 1 << 5;

/** Control record types (the int16 after the version in a control record's key). */
const CONTROL_ABORT = 0;

/** One entry of a Fetch response's aborted_transactions: [producer_id, first_offset]. */
export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

/** The fields of a record batch the read_committed filter looks at (a subset of the library's RecordsBatch). */
export interface TransactionBatch {
  firstOffset: bigint;
  lastOffsetDelta: number;
  producerId: bigint;
  attributes: number;
  records: readonly { key: Buffer | null }[];
}

/** A control batch whose marker is ABORT (its key: int16 version, int16 type; 0 is ABORT, 1 COMMIT). */
export function isAbortMarker(batch: TransactionBatch): boolean {
  if ((batch.attributes & IS_CONTROL) === 0) return false;
  const key = batch.records[0]?.key;
  return !!key && key.length >= 4 && key.readInt16BE(2) === CONTROL_ABORT;
}

/**
 * What a read_committed consumer drops, as Kafka's own consumer decides it (Java CompletedFetch): the broker sends
 * every batch below the last stable offset, aborted ones included, plus the list of aborted transactions that
 * overlap them. Going through the batches in offset order, a producer's aborted run starts at its transaction's
 * first offset and ends at that producer's ABORT marker; its transactional data batches in between are dropped.
 * The same producer may abort several transactions in one response (each one is a run of its own), and a COMMIT
 * marker ends nothing. Stateful: ask about every batch of the partition, in order, once.
 */
export class AbortedRuns {
  readonly #pending: AbortedTransaction[];
  #next = 0;
  readonly #open = new Set<bigint>();

  constructor(aborted: readonly AbortedTransaction[] | null | undefined) {
    this.#pending = [...(aborted ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  }

  /** True when `batch` is data of an aborted transaction (to be dropped). Control batches are never "aborted data". */
  isAborted(batch: TransactionBatch): boolean {
    const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    while (this.#next < this.#pending.length && this.#pending[this.#next]!.firstOffset <= last) this.#open.add(this.#pending[this.#next++]!.producerId);
    if (batch.attributes & IS_CONTROL) {
      if (isAbortMarker(batch)) this.#open.delete(batch.producerId);
      return false;
    }
    return (batch.attributes & IS_TRANSACTIONAL) !== 0 && this.#open.has(batch.producerId);
  }
}

/** For each batch (in offset order), whether a read_committed consumer drops it as aborted data. */
export function abortedBatches(batches: readonly TransactionBatch[], aborted: readonly AbortedTransaction[] | null | undefined): boolean[] {
  const runs = new AbortedRuns(aborted);
  return batches.map((b) => runs.isAborted(b));
}
