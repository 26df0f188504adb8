import { randomUUID } from 'node:crypto';
import { backoffDelayMs } from '../../lib/backoff';
import type { ReplayJob, ReplayJobState } from '../../lib/contract/replay';
import { WriteRefused } from '../audit/write-guard';
import { ReplayWriteError } from '../kafka/replay-batch-writer';
import type { ClusterConfig } from '../config/schema';
import { MessagesError } from '../messages/errors';
import type { MessagesService } from '../messages/messages-service';
import type { AuditLog } from '../store/audit-log';
import type { ReplayStore, StoredJob } from '../store/replay-store';
import { JobRunner, type RunOutcome } from './job-runner';
import { initialProgress, JobError, jobBodySchema, jobProgressSchema, type JobBody, type JobProgress } from './job-types';

export interface ReplayJobServiceOptions {
  store: ReplayStore;
  messages: MessagesService;
  clusters: readonly ClusterConfig[];
  readOnly: (cluster: string) => boolean;
  /** See the config's replay.recoverySettleMs; defaults to 60 s. */
  recoverySettleMs?: number;
  /** Where a job's end (completed, failed, cancelled) is recorded, next to the start that people audited. */
  audit?: AuditLog;
  log?: (line: string) => void;
}

interface Live {
  runner: JobRunner;
  /** 'running', or 'pausing'/'cancelling' once asked to stop. */
  state: ReplayJobState;
  done: Promise<void>;
}

const ACTIVE: ReadonlySet<ReplayJobState> = new Set(['running', 'pausing', 'cancelling']);
/**
 * A run that fails on Kafka (broker restart, leader move, network) is retried on its own, after the recovery settle
 * time (60 s by default) or a backoff up to 30 s, whichever is longer: 9 tries before the job is marked failed for
 * a person to look at. Each retry starts with the
 * recovery scan, so nothing is written twice. Errors that retrying cannot fix (JobError, MessagesError) fail at once.
 */
const AUTO_RETRIES = 9;
const END_STATES: ReadonlySet<ReplayJobState> = new Set(['completed', 'failed', 'cancelled']);

/**
 * Re-produce jobs on the server, independent of any browser: created by execute, run by a JobRunner each, stopped
 * and resumed on request, and resumed at startup when Topolog stopped while they ran (a crash included: the
 * runner's recovery then checks the target first). State and checkpoint live in store.replay.
 */
export class ReplayJobService {
  readonly #o: ReplayJobServiceOptions;
  readonly #clusters: Map<string, ClusterConfig>;
  readonly #live = new Map<string, Live>();
  /** Jobs waiting to retry after a failed run: the timer and how many retries so far. */
  readonly #retries = new Map<string, { timer: NodeJS.Timeout | null; attempt: number }>();
  #closed = false;

  constructor(options: ReplayJobServiceOptions) {
    this.#o = options;
    this.#clusters = new Map(options.clusters.map((c) => [c.id, c]));
  }

  /** At startup: jobs left running go on; jobs left stopping finish stopping (their next run will check the target). */
  start(): void {
    for (const stored of this.#o.store.jobs(null, 100_000)) {
      if (!ACTIVE.has(stored.state)) continue;
      try {
        const progress = this.#progressOf(stored);
        if (stored.state === 'pausing') this.#save(stored.id, 'paused', progress);
        else if (stored.state === 'cancelling') this.#save(stored.id, 'cancelled', { ...progress, finishedAt: Date.now() });
        else {
          const blocked = this.#blocked(stored);
          if (blocked) this.#save(stored.id, 'failed', { ...progress, error: blocked });
          else this.#launch(stored.id);
        }
      } catch (err) {
        // One damaged row (written by another version, edited by hand) must not keep the server or other jobs down.
        this.#o.log?.(`replay job ${stored.id} cannot be resumed: ${(err as Error).message}`);
      }
    }
  }

  /** Stores a new job and starts it. `cluster` is the source cluster (the one whose job list shows it). */
  create(cluster: string, body: JobBody): ReplayJob {
    const now = Date.now();
    const id = randomUUID();
    this.#o.store.addJob({ id, cluster, state: 'running', createdAt: now, updatedAt: now, body, progress: initialProgress(body.ranges) });
    this.#launch(id);
    return this.get(id)!;
  }

  get(id: string): ReplayJob | null {
    const stored = this.#o.store.job(id);
    return stored ? this.#toPayload(stored) : null;
  }

  list(cluster: string | null): ReplayJob[] {
    return this.#o.store.jobs(cluster).flatMap((s) => {
      try {
        return [this.#toPayload(s)];
      } catch (err) {
        this.#o.log?.(`replay job ${s.id} is left out of the list: its stored row does not parse (${(err as Error).message})`);
        return [];
      }
    });
  }

  /** The job's target cluster: the audit entries of its actions are filed under it, and its read-only flag applies. */
  targetCluster(id: string): string | null {
    const stored = this.#o.store.job(id);
    return stored ? jobBodySchema.parse(stored.body).request.target.cluster : null;
  }

  pause(id: string): ReplayJob {
    if (this.#stopRetry(id)) {
      // The "retrying by itself" note no longer holds; the failure that caused it stays in the log.
      this.#save(id, 'paused', { ...this.#progressOf(this.#o.store.job(id)!), error: null });
      return this.get(id)!;
    }
    const live = this.#live.get(id);
    if (!live || live.state !== 'running') throw this.#cannot(id, 'pause', 'Only a running job can be paused.');
    live.state = 'pausing';
    this.#save(id, 'pausing', this.#progressOf(this.#o.store.job(id)!));
    live.runner.stop('pause');
    return this.get(id)!;
  }

  resume(id: string): ReplayJob {
    const stored = this.#o.store.job(id);
    if (!stored || this.#live.has(id) || (stored.state !== 'paused' && stored.state !== 'failed')) throw this.#cannot(id, 'resume', 'Only a paused or failed job can be resumed.');
    const blocked = this.#blocked(stored);
    if (blocked) throw new WriteRefused(409, 'job_blocked', blocked.message, blocked.hint);
    this.#save(id, 'running', { ...this.#progressOf(stored), error: null });
    this.#launch(id);
    return this.get(id)!;
  }

  /** Stops after the current batch. Records already written stay in the target (Kafka has no delete for them). */
  cancel(id: string): ReplayJob {
    if (this.#stopRetry(id)) {
      this.#save(id, 'cancelled', { ...this.#progressOf(this.#o.store.job(id)!), error: null, finishedAt: Date.now() });
      return this.get(id)!;
    }
    const live = this.#live.get(id);
    if (live) {
      if (live.state === 'cancelling') return this.get(id)!;
      live.state = 'cancelling';
      this.#save(id, 'cancelling', this.#progressOf(this.#o.store.job(id)!));
      live.runner.stop('cancel');
      return this.get(id)!;
    }
    const stored = this.#o.store.job(id);
    if (!stored || (stored.state !== 'paused' && stored.state !== 'failed')) throw this.#cannot(id, 'cancel', 'Only a running, paused or failed job can be cancelled.');
    this.#save(id, 'cancelled', { ...this.#progressOf(stored), finishedAt: Date.now() });
    return this.get(id)!;
  }

  /** Resolves when the job's current run has ended (at once when none runs): for tests and the benchmark. */
  async settled(id: string): Promise<ReplayJob | null> {
    await this.#live.get(id)?.done;
    return this.get(id);
  }

  /** Stops every run after its current batch; running jobs stay 'running' and go on at the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const id of [...this.#retries.keys()]) this.#stopRetry(id);
    for (const live of this.#live.values()) live.runner.stop('shutdown');
    await Promise.all([...this.#live.values()].map((l) => l.done));
  }

  #launch(id: string): void {
    if (this.#closed) return;
    const stored = this.#o.store.job(id)!;
    const body = jobBodySchema.parse(stored.body);
    const progress = this.#progressOf(stored);
    const { request } = body;
    let runner: JobRunner;
    try {
      runner = new JobRunner({
        jobId: id,
        request,
        ranges: body.ranges,
        source: this.#o.messages.client(request.source.cluster),
        target: this.#o.messages.client(request.target.cluster),
        targetCluster: this.#clusters.get(request.target.cluster)!,
        filter: this.#o.messages.filter(request.filter),
        progress,
        checkpoint: (p) => this.#save(id, this.#live.get(id)?.state ?? 'running', p),
        // From the previous run's last send (saved with its checkpoints); a row without one: its last checkpoint.
        settleUntil: progress.clean ? null : (progress.lastSendAt ?? stored.updatedAt) + (this.#o.recoverySettleMs ?? 60_000),
        log: this.#o.log,
      });
    } catch (err) {
      this.#save(id, 'failed', { ...progress, error: explain(err) });
      return;
    }
    const live: Live = { runner, state: 'running', done: Promise.resolve() };
    this.#live.set(id, live);
    live.done = runner.run().then(
      (outcome) => this.#finish(id, live, outcome),
      (err: unknown) => {
        this.#live.delete(id);
        const error = explain(err);
        const attempt = (this.#retries.get(id)?.attempt ?? 0) + 1;
        const retry = retryable(err) && live.state === 'running' && !this.#closed && attempt <= AUTO_RETRIES;
        // After sends with an unknown outcome, never sooner than the settle time: the next run's recovery scan would
        // wait for it anyway. A run that failed before sending anything just backs off.
        const lastSend = runner.progress.lastSendAt ?? Date.now();
        const settle = runner.progress.clean ? 0 : Math.max(0, lastSend + (this.#o.recoverySettleMs ?? 60_000) - Date.now());
        const delay = retry ? Math.max(backoffDelayMs(attempt, { maxMs: 30_000 }), settle) : 0;
        this.#o.log?.(`replay job ${id} ${retry ? `stopped, retry ${attempt} of ${AUTO_RETRIES} in ${Math.round(delay / 1000)} s` : 'failed'}: ${error.message}`);
        try {
          if (!retry) {
            this.#retries.delete(id);
            // Shutting down: a running job stays 'running' (its checkpoint is not clean), so the next start resumes it.
            const state = live.state === 'cancelling' ? 'cancelled' : live.state === 'pausing' ? 'paused' : this.#closed ? 'running' : 'failed';
            this.#save(id, state, { ...runner.progress, error });
            return;
          }
          // Still 'running' to the outside, with the error and when the next try is: the job page shows both.
          this.#save(id, 'running', { ...runner.progress, error: { message: error.message, hint: `Retrying by itself in ${Math.round(delay / 1000)} s (attempt ${attempt} of ${AUTO_RETRIES}); pause or cancel it to stop.` } });
          const timer = setTimeout(() => {
            const entry = this.#retries.get(id);
            if (entry) entry.timer = null;
            this.#launch(id);
          }, delay);
          this.#retries.set(id, { timer, attempt });
        } catch {
          // Logged by #save; the row keeps its last checkpoint and state, and the next start recovers from it.
        }
      },
    ).catch(() => undefined);
  }

  #finish(id: string, live: Live, outcome: RunOutcome): void {
    this.#live.delete(id);
    // A run that got to its end (or was stopped on request) resets the retry count.
    this.#retries.delete(id);
    const progress = live.runner.progress;
    if (outcome.kind === 'completed') {
      this.#save(id, 'completed', { ...progress, finishedAt: Date.now() });
      this.#o.log?.(`replay job ${id} completed: ${progress.written} records written`);
    } else if (live.state === 'cancelling') this.#save(id, 'cancelled', { ...progress, finishedAt: Date.now() });
    else if (live.state === 'pausing') this.#save(id, 'paused', progress);
    // Shut down while running: it stays 'running' (cleanly stopped) and goes on at the next start.
    else this.#save(id, 'running', progress);
  }

  #save(id: string, state: ReplayJobState, progress: JobProgress): void {
    const before = END_STATES.has(state) ? this.#o.store.job(id)?.state : undefined;
    try {
      this.#o.store.saveJob(id, state, progress, Date.now());
      if (before !== undefined && before !== state) this.#auditEnd(id, state, progress);
    } catch (err) {
      // The store is the job's memory: without it, stop sending rather than write what cannot be counted.
      this.#o.log?.(`replay job ${id}: the checkpoint could not be saved (${(err as Error).message}); stopping the job`);
      this.#live.get(id)?.runner.stop('shutdown');
      throw err;
    }
  }

  /** The job's last word in the audit log; a failure to write it is logged, the job's own row already holds it. */
  #auditEnd(id: string, state: ReplayJobState, progress: JobProgress): void {
    const stored = this.#o.store.job(id);
    if (!this.#o.audit || !stored) return;
    try {
      const { request, auditId } = jobBodySchema.parse(stored.body);
      const entry = this.#o.audit.intent({ actor: 'topolog (replay job)', cluster: request.target.cluster, action: 'replay.end', target: `job:${id}`, params: { startedBy: auditId, source: request.source.topic, target: request.target.topic } });
      this.#o.audit.finish(entry, state === 'failed' ? 'failed' : 'ok', { state, written: progress.written, scanned: progress.scanned, bytes: progress.bytes, recoveries: progress.recoveries, error: progress.error });
    } catch (err) {
      this.#o.log?.(`replay job ${id}: the audit log could not record its end (${(err as Error).message})`);
    }
  }

  /** Cancels a pending retry; true when there was one (the job is between runs). */
  #stopRetry(id: string): boolean {
    const entry = this.#retries.get(id);
    if (!entry || entry.timer === null) return false;
    clearTimeout(entry.timer);
    this.#retries.delete(id);
    return true;
  }

  #progressOf(stored: StoredJob): JobProgress {
    const parsed = jobProgressSchema.safeParse(stored.progress);
    if (parsed.success) return parsed.data;
    // A damaged row: start over from the ranges but check the target first, so nothing is written twice.
    const body = jobBodySchema.parse(stored.body);
    return { ...initialProgress(body.ranges), clean: false };
  }

  /** Why a job cannot run now (a cluster no longer configured, or made read-only), or null. */
  #blocked(stored: StoredJob): { message: string; hint: string } | null {
    const { request } = jobBodySchema.parse(stored.body);
    for (const c of [request.source.cluster, request.target.cluster]) {
      if (!this.#clusters.has(c)) return { message: `Cluster "${c}" is no longer configured.`, hint: 'Add it back to the Topolog config and resume the job, or cancel it.' };
    }
    // Start refuses a read-only source or target; a cluster made read-only since then stops the job the same way.
    for (const c of new Set([request.source.cluster, request.target.cluster])) {
      if (this.#o.readOnly(c)) return { message: `Cluster "${c}" is read-only now.`, hint: 'Set readOnly: false for it in the config and resume the job, or cancel it.' };
    }
    return null;
  }

  #cannot(id: string, action: string, why: string): WriteRefused {
    const stored = this.#o.store.job(id);
    if (!stored) return new WriteRefused(404, 'unknown_job', `No replay job "${id}".`, 'GET /api/clusters/:cluster/replay/jobs lists them.');
    return new WriteRefused(409, 'bad_state', `Cannot ${action} job ${id}: it is ${this.#live.get(id)?.state ?? stored.state}.`, why);
  }

  #toPayload(stored: StoredJob): ReplayJob {
    const body = jobBodySchema.parse(stored.body);
    const progress = this.#progressOf(stored);
    const live = this.#live.get(stored.id);
    return {
      id: stored.id,
      cluster: stored.cluster,
      request: body.request,
      ranges: body.ranges,
      state: live?.state ?? stored.state,
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
      finishedAt: progress.finishedAt,
      positions: progress.positions,
      scanned: progress.scanned,
      written: progress.written,
      bytes: progress.bytes,
      estimate: body.estimate,
      rate: live ? live.runner.rate : null,
      error: progress.error,
      recoveries: progress.recoveries,
      auditId: body.auditId,
    };
  }
}

/** Kafka-side failures are worth retrying; most JobErrors and MessagesErrors need a person (config, topic, partitions). */
function retryable(err: unknown): boolean {
  if (err instanceof JobError) return err.transient;
  if (err instanceof ReplayWriteError) return !err.permanent;
  // 5xx: Kafka did not answer (unavailable, leader moving); 4xx: the topic is gone or the request is wrong.
  if (err instanceof MessagesError) return err.status >= 500;
  return true;
}

function explain(err: unknown): { message: string; hint: string } {
  if (err instanceof ReplayWriteError && err.permanent) {
    return { message: err.message, hint: 'Kafka refuses these records as they are (size, format or access): fix that on the target (e.g. its max.message.bytes, or write access), then resume the job.' };
  }
  if (err instanceof JobError || err instanceof MessagesError) return { message: err.message, hint: err.hint ?? 'Fix the cause, then resume the job.' };
  const message = err instanceof Error ? err.message : String(err);
  return { message: `The job stopped: ${message}`, hint: 'Check that both clusters are up, then resume the job: it checks the target first, so nothing is written twice.' };
}
