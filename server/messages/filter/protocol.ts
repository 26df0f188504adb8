import type { PackedBatch } from './pack';

/** What the pool and a filter worker say to each other. */

export interface WorkerData {
  /** PROGRESS_BYTES of shared memory where the worker publishes which record it is on (see Progress). */
  progress: SharedArrayBuffer;
}

export interface BatchRequest {
  id: number;
  source: string;
  batch: PackedBatch;
}

export type BatchResponse =
  | {
      id: number;
      ok: true;
      /** 1 for a match, 0 otherwise, one byte per record. */
      matches: Uint8Array<ArrayBuffer>;
      errors: number;
      firstError: string | null;
      elapsedMs: number;
    }
  /** The batch as a whole failed (the filter could not be planned): a bug rather than a user mistake. */
  | { id: number; ok: false; message: string };

export const PROGRESS_BYTES = 16;

/**
 * Which record a worker is evaluating and since when, in shared memory, so the parent's watchdog can see a
 * record that takes too long while the worker is busy and cannot answer messages. The worker writes the start
 * time before the index (Atomics.store orders the two) and the parent reads the index first, so the parent never
 * pairs an index with an older record's start time.
 */
export class Progress {
  private readonly startedAt: Float64Array;
  private readonly index: Int32Array;

  constructor(shared: SharedArrayBuffer) {
    this.startedAt = new Float64Array(shared, 0, 1);
    this.index = new Int32Array(shared, 8, 1);
  }

  /** Worker: record `index` starts now. */
  start(index: number): void {
    this.startedAt[0] = monotonicMs();
    Atomics.store(this.index, 0, index);
  }

  /** Between batches: nothing runs. */
  idle(): void {
    Atomics.store(this.index, 0, -1);
  }

  /** Parent: the record being evaluated and for how long, or null when no batch is running. */
  current(): { index: number; runningMs: number } | null {
    const index = Atomics.load(this.index, 0);
    return index < 0 ? null : { index, runningMs: monotonicMs() - this.startedAt[0]! };
  }
}

/**
 * Milliseconds on the process-wide monotonic clock. performance.now() counts from each thread's own start, so
 * the difference to process.hrtime (shared by all threads) is taken once per thread to compare across threads.
 */
const origin = Number(process.hrtime.bigint()) / 1e6 - performance.now();

export function monotonicMs(): number {
  return origin + performance.now();
}
