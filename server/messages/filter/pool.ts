import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompiledFilter } from './compile';
import { PER_RECORD_BUDGET_MS } from './limits';
import { packRecords } from './pack';
import { Progress, PROGRESS_BYTES, type BatchRequest, type BatchResponse, type WorkerData } from './protocol';
import type { FilterRecord } from './record';

/**
 * Filters run in worker threads so that a slow or memory-hungry filter can be stopped without touching the
 * server: each worker has V8 heap limits, and a watchdog terminates a worker whose current record has run past
 * the per-record budget. A terminated or crashed worker fails only its own batch; the next batch gets a fresh one.
 */

export interface FilterPoolOptions {
  /** Worker threads; default: one less than the CPUs, at least one. */
  size?: number;
  perRecordBudgetMs?: number;
  /** V8 old-generation heap per worker. */
  maxOldGenerationSizeMb?: number;
}

export interface FilterBatchResult {
  /** 1 for a match, 0 otherwise, in the order of the records. */
  matches: Uint8Array;
  /** Records whose evaluation failed (they do not match), e.g. a field missing from the JSON. */
  errors: number;
  /** The first such error, with the record's partition and offset. */
  firstError: string | null;
  /** Time the worker spent on the batch (unpacking and evaluating; not queueing, transfer or starting a worker). */
  elapsedMs: number;
}

/** One record took longer than the budget: the scan should stop and tell the user to simplify the filter. */
export class FilterBudgetError extends Error {
  constructor(
    readonly partition: number,
    readonly offset: number,
    readonly budgetMs: number,
  ) {
    super(
      `the filter took longer than ${budgetMs} ms on partition ${partition} offset ${offset}; ` +
        'simplify it (nested comprehensions over large lists are the usual cause)',
    );
    this.name = 'FilterBudgetError';
  }
}

/** The worker evaluating the batch stopped: out of memory, or the pool was closed. */
export class FilterWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterWorkerError';
  }
}

const WORKER_URL = new URL('./filter-worker.ts', import.meta.url);
/**
 * The worker is TypeScript: it loads tsx first, whether the server runs under `node --import tsx`, through
 * tsx's register() (bin/topolog.js, no flag to inherit) or under vitest. tsx is resolved from here, not from
 * the working directory, which can be anywhere when topolog is run as a command.
 */
const WORKER_EXEC_ARGV = ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
const DEFAULT_OLD_GENERATION_MB = 128;
const YOUNG_GENERATION_MB = 16;
const STACK_MB = 4;

interface Job {
  filter: CompiledFilter;
  records: readonly FilterRecord[];
  resolve: (result: FilterBatchResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  progress: Progress;
  job: Job | null;
  jobId: number;
  /** The record found past the budget in wall time, and the worker's CPU time then (null until known). */
  overrun: { jobId: number; index: number; cpuMs: number | null } | null;
}

export class FilterPool {
  private readonly size: number;
  private readonly budgetMs: number;
  private readonly oldGenerationMb: number;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private watchdog: NodeJS.Timeout | null = null;
  private nextJobId = 1;
  private closed = false;

  constructor(options: FilterPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism() - 1);
    this.budgetMs = options.perRecordBudgetMs ?? PER_RECORD_BUDGET_MS;
    this.oldGenerationMb = options.maxOldGenerationSizeMb ?? DEFAULT_OLD_GENERATION_MB;
  }

  /** Evaluates `filter` on `records` (one batch, e.g. DEFAULT_BATCH_SIZE records); batches queue in order. */
  match(filter: CompiledFilter, records: readonly FilterRecord[]): Promise<FilterBatchResult> {
    if (this.closed) return Promise.reject(new FilterWorkerError('the filter pool is closed'));
    if (records.length === 0) return Promise.resolve({ matches: new Uint8Array(0), errors: 0, firstError: null, elapsedMs: 0 });
    return new Promise((resolve, reject) => {
      this.queue.push({ filter, records, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; batches in flight or queued fail with FilterWorkerError. */
  async close(): Promise<void> {
    this.closed = true;
    const stopping = [...this.slots].map((slot) => this.retire(slot, new FilterWorkerError('the filter pool was closed')));
    for (const job of this.queue.splice(0)) job.reject(new FilterWorkerError('the filter pool was closed'));
    await Promise.all(stopping);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.idleSlot();
      if (!slot) return;
      const job = this.queue.shift()!;
      let request: BatchRequest;
      try {
        request = { id: this.nextJobId++, source: job.filter.source, batch: packRecords(job.records) };
      } catch (e) {
        job.reject(e instanceof Error ? e : new Error(String(e)));
        continue;
      }
      slot.job = job;
      slot.jobId = request.id;
      slot.progress.idle();
      slot.worker.ref();
      slot.worker.postMessage(request, [request.batch.data, request.batch.index.buffer]);
      this.watchdog ??= setInterval(() => this.checkBudgets(), Math.max(1, Math.min(10, this.budgetMs / 5))).unref();
    }
  }

  /** An idle worker, starting one when the pool is not full yet. */
  private idleSlot(): Slot | null {
    for (const slot of this.slots) if (slot.job === null) return slot;
    return this.slots.size < this.size ? this.startWorker() : null;
  }

  private startWorker(): Slot {
    const progress = new SharedArrayBuffer(PROGRESS_BYTES);
    const worker = new Worker(WORKER_URL, {
      execArgv: WORKER_EXEC_ARGV,
      workerData: { progress } satisfies WorkerData,
      resourceLimits: {
        maxOldGenerationSizeMb: this.oldGenerationMb,
        maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
        stackSizeMb: STACK_MB,
      },
    });
    const slot: Slot = { worker, progress: new Progress(progress), job: null, jobId: 0, overrun: null };
    worker.on('message', (response: BatchResponse) => this.finish(slot, response));
    worker.on('error', (error) => void this.retire(slot, this.crashError(slot, error)));
    worker.on('exit', (code) => void this.retire(slot, new FilterWorkerError(`the filter worker stopped (exit code ${code})`)));
    this.slots.add(slot);
    return slot;
  }

  private finish(slot: Slot, response: BatchResponse): void {
    const job = slot.job;
    if (!job || response.id !== slot.jobId) return;
    slot.job = null;
    slot.worker.unref();
    if (response.ok) {
      const { matches, errors, firstError, elapsedMs } = response;
      job.resolve({ matches, errors, firstError, elapsedMs });
    } else {
      job.reject(new FilterWorkerError(`the filter could not run: ${response.message}`));
    }
    this.afterChange();
  }

  /** Removes a worker from the pool (at most once) and fails its batch with `error`. */
  private async retire(slot: Slot, error: Error): Promise<void> {
    if (!this.slots.delete(slot)) return;
    slot.job?.reject(error);
    slot.job = null;
    this.afterChange();
    await slot.worker.terminate();
  }

  private afterChange(): void {
    if (!this.closed) this.dispatch();
    if (this.watchdog && ![...this.slots].some((s) => s.job !== null)) {
      clearInterval(this.watchdog);
      this.watchdog = null;
    }
  }

  private crashError(slot: Slot, error: Error & { code?: string }): FilterWorkerError {
    const current = slot.job ? slot.progress.current() : null;
    const record = current ? slot.job?.records[current.index] : undefined;
    const where = record ? ` on partition ${record.partition} offset ${record.offset}` : '';
    if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new FilterWorkerError(`the filter needed more than ${this.oldGenerationMb} MB of memory${where}; simplify it`);
    }
    return new FilterWorkerError(`the filter worker failed${where}: ${error.message}`);
  }

  /**
   * Terminates workers whose current record has run past the budget. Wall time alone would also catch a worker
   * the OS did not schedule for a while (a busy machine) or paused for GC, so a record past the budget must also
   * keep burning CPU (half the budget more) before its worker is terminated: a runaway filter is stopped after
   * about 1.5 budgets, a record that was merely delayed finishes first.
   */
  private checkBudgets(): void {
    for (const slot of this.slots) {
      const current = slot.job ? slot.progress.current() : null;
      if (!current || current.runningMs <= this.budgetMs) {
        slot.overrun = null;
        continue;
      }
      // Without worker.cpuUsage() (Node before 24.6), wall time has to do.
      if (typeof slot.worker.cpuUsage !== 'function') {
        this.overBudget(slot, current.index);
        continue;
      }
      const overrun = slot.overrun;
      if (overrun?.jobId !== slot.jobId || overrun.index !== current.index) {
        const fresh = { jobId: slot.jobId, index: current.index, cpuMs: null as number | null };
        slot.overrun = fresh;
        void cpuMs(slot.worker).then((ms) => (fresh.cpuMs = ms));
      } else if (overrun.cpuMs !== null) {
        const since = overrun.cpuMs;
        void cpuMs(slot.worker).then((ms) => {
          if (slot.overrun === overrun && ms !== null && ms - since >= this.budgetMs / 2) this.overBudget(slot, overrun.index);
        });
      }
    }
  }

  private overBudget(slot: Slot, index: number): void {
    const record = slot.job?.records[index];
    void this.retire(slot, new FilterBudgetError(record?.partition ?? -1, record?.offset ?? -1, this.budgetMs));
  }
}

/** CPU time the worker thread has used, in ms; null once it is gone. */
async function cpuMs(worker: Worker): Promise<number | null> {
  try {
    const usage = await worker.cpuUsage();
    return (usage.user + usage.system) / 1000;
  } catch {
    return null;
  }
}
