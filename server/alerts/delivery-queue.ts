import type { AlertTransition, WebhookFormat } from '../../lib/contract';
import { buildPayload, type AlertNotification } from '../../lib/alerts/payloads';
import { formatDuration } from '../../lib/format';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, nextAttemptAt, type RetryPolicy } from '../../lib/alerts/retry-schedule';
import type { StoredDelivery } from '../store/alert-store';

export interface WebhookTarget {
  id: string;
  url: string;
  format: WebhookFormat;
  headers?: Record<string, string> | undefined;
}

/** A delivery's status as the store keeps it. */
export type DeliveryRecord = StoredDelivery;

export interface DeliveryQueueOptions {
  webhooks: readonly WebhookTarget[];
  /** Requests in flight at once, over all webhooks. */
  concurrency?: number;
  /** Per request; a receiver that hangs costs one slot for this long, never the poller. */
  timeoutMs?: number;
  /** Notifications waiting at most; beyond it the oldest waiting one is dropped (and says so). */
  maxQueued?: number;
  /** Finished deliveries remembered (dedupe, and the alert list's status until the store has them). */
  recentLimit?: number;
  retry?: Partial<RetryPolicy>;
  /** Every status change of a delivery (queued, each attempt, delivered, failed, dropped), to persist it. */
  onStatus?: (record: DeliveryRecord) => void;
  log?: (line: string) => void;
  now?: () => number;
  random?: () => number;
}

export interface SendResult {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  retryable: boolean;
  durationMs: number;
}

interface Job {
  key: string;
  record: DeliveryRecord;
  target: WebhookTarget;
  body: string;
}

const RECENT_LIMIT = 2_000;

function jobKey(alertId: string, webhook: string, transition: AlertTransition): string {
  return `${alertId}\u0000${webhook}\u0000${transition}`;
}

/** The host only: logs and the UI must never show a full webhook URL (a Slack URL is a secret). */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Turns a fetch failure into words: refused, timed out, DNS, TLS. A TypeError without a cause is fetch refusing
 * the request before sending it (an invalid header name or value, or URL); its message quotes the offending
 * value, which may be a secret (an Authorization token), so it is replaced by a fixed message.
 */
export function describeFailure(err: unknown, timeoutMs: number, webhook: string): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (e.name === 'AbortError') return 'cancelled: Topolog is shutting down';
  if (e instanceof TypeError && e.cause === undefined) {
    return `the request to webhook "${webhook}" could not be built: a header name or value (or the URL) in its alerts.webhooks entry is invalid; check the config`;
  }
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED): is the receiver running?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code}): check the URL`;
  if (code) return `${code}: ${e.cause?.message ?? e.message}`;
  return e.cause?.message ?? e.message;
}

/**
 * Webhook notifications, off the poller's path: `notify()` only queues and returns; a pump sends up to
 * `concurrency` requests at once, each with a timeout, and retries failures with exponential backoff and jitter
 * until `maxAttempts` or `maxAgeMs`. A 4xx other than 408/429 is not retried: the request itself is wrong. The
 * queue is bounded, and notifications are deduplicated by (alert, webhook, transition). For one alert and
 * webhook, the resolve waits until the firing notification is done, so a receiver never sees them reversed.
 */
export class WebhookDeliveryQueue {
  readonly #targets: Map<string, WebhookTarget>;
  readonly #concurrency: number;
  readonly #timeoutMs: number;
  readonly #maxQueued: number;
  readonly #recentLimit: number;
  readonly #policy: RetryPolicy;
  readonly #onStatus: (record: DeliveryRecord) => void;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #random: () => number;
  /** Waiting (first time or for a retry), oldest first. */
  readonly #waiting: Job[] = [];
  readonly #inFlight = new Map<string, Job>();
  /** Finished deliveries, newest last, bounded: the dedupe memory and the UI's status while the store catches up. */
  readonly #recent = new Map<string, DeliveryRecord>();
  /**
   * Every record above (waiting, in flight, recent) by alert id, for statusOf: the alert list asks once per alert.
   * Bounded like them: a record leaves when it falls out of #recent.
   */
  readonly #byAlert = new Map<string, DeliveryRecord[]>();
  readonly #closing = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #idleWaiters: (() => void)[] = [];

  constructor(options: DeliveryQueueOptions) {
    this.#targets = new Map(options.webhooks.map((w) => [w.id, w]));
    this.#concurrency = Math.max(1, options.concurrency ?? 2);
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#maxQueued = Math.max(1, options.maxQueued ?? 1_000);
    this.#recentLimit = Math.max(1, options.recentLimit ?? RECENT_LIMIT);
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#onStatus = options.onStatus ?? (() => undefined);
    this.#log = options.log ?? (() => undefined);
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /**
   * Queues one notification and returns at once. False when it is a duplicate (already queued, in flight or
   * delivered recently) or the webhook is not configured. `resume` re-queues a stored delivery after a restart.
   */
  notify(alertId: string, webhook: string, notification: AlertNotification, resume?: Pick<DeliveryRecord, 'attempts' | 'queuedAt'>): boolean {
    const target = this.#targets.get(webhook);
    if (!target || this.#closing.signal.aborted || notification.event === 'test') return false;
    const transition = notification.event;
    const key = jobKey(alertId, webhook, transition);
    if (this.#inFlight.has(key) || this.#recent.has(key) || this.#waiting.some((j) => j.key === key)) return false;
    const now = this.#now();
    const record: DeliveryRecord = {
      alertId,
      webhook,
      transition,
      state: 'queued',
      attempts: resume?.attempts ?? 0,
      queuedAt: resume?.queuedAt ?? now,
      lastAttemptAt: null,
      lastError: null,
      deliveredAt: null,
      nextAttemptAt: now,
    };
    const job: Job = { key, record, target, body: '' };
    this.#track(record);
    if (resume && now - record.queuedAt > this.#policy.maxAgeMs) {
      // Stored as queued when the server stopped, and older now than any retry would have been allowed to get.
      Object.assign(record, { state: 'failed', nextAttemptAt: null, lastError: `too old to send after the restart (queued ${formatDuration((now - record.queuedAt) / 1000)} ago; notifications older than ${formatDuration(this.#policy.maxAgeMs / 1000)} are not sent)` });
      this.#log(`alerts: did not send the ${transition} notification of ${alertId} to webhook "${webhook}": ${record.lastError}`);
      this.#finish(job);
      this.#emit(record);
      return false;
    }
    if (this.#waiting.length + this.#inFlight.size >= this.#maxQueued) this.#dropOldest();
    job.body = JSON.stringify(buildPayload(target.format, notification));
    this.#waiting.push(job);
    this.#emit(record);
    this.#pump();
    return true;
  }

  /** Sends a notification now, outside the queue and without retries: the "Send test" button. */
  async test(webhook: string, notification: AlertNotification): Promise<SendResult | null> {
    const target = this.#targets.get(webhook);
    if (!target) return null;
    return this.#send(target, JSON.stringify(buildPayload(target.format, notification)));
  }

  /** The live status of an alert's deliveries (queued, in flight, or finished recently). */
  statusOf(alertId: string): DeliveryRecord[] {
    return (this.#byAlert.get(alertId) ?? []).map((r) => ({ ...r }));
  }

  /** Alerts with a delivery in memory (bounded by maxQueued plus the recent memory). */
  get trackedAlerts(): number {
    return this.#byAlert.size;
  }

  get size(): number {
    return this.#waiting.length + this.#inFlight.size;
  }

  /** Resolves once nothing is waiting or in flight (tests, and a graceful shutdown). */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops retrying and cancels requests in flight; what was still queued stays "queued" in the store for the next start. */
  close(): void {
    this.#closing.abort();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #pump(): void {
    if (this.#closing.signal.aborted) return;
    const now = this.#now();
    while (this.#inFlight.size < this.#concurrency) {
      const index = this.#waiting.findIndex((j) => (j.record.nextAttemptAt ?? 0) <= now && !this.#blockedByFiring(j));
      if (index < 0) break;
      const [job] = this.#waiting.splice(index, 1) as [Job];
      this.#inFlight.set(job.key, job);
      void this.#attempt(job);
    }
    this.#armTimer(now);
    this.#checkIdle();
  }

  /** A resolve waits for its alert's firing notification to the same webhook. */
  #blockedByFiring(job: Job): boolean {
    if (job.record.transition !== 'resolved') return false;
    const firing = jobKey(job.record.alertId, job.record.webhook, 'firing');
    return this.#inFlight.has(firing) || this.#waiting.some((j) => j.key === firing);
  }

  #armTimer(now: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#waiting.length === 0 || this.#inFlight.size >= this.#concurrency) return;
    // A blocked resolve is woken by its firing's end (which pumps), not by time.
    const ready = this.#waiting.filter((j) => !this.#blockedByFiring(j));
    if (ready.length === 0) return;
    const next = Math.max(now + 1, Math.min(...ready.map((j) => j.record.nextAttemptAt ?? now)));
    this.#timer = setTimeout(() => this.#pump(), next - now);
    this.#timer.unref();
  }

  async #attempt(job: Job): Promise<void> {
    const result = await this.#send(job.target, job.body);
    this.#inFlight.delete(job.key);
    if (this.#closing.signal.aborted) return;
    const now = this.#now();
    const record = job.record;
    record.attempts += 1;
    record.lastAttemptAt = now;
    const host = webhookHost(job.target.url);
    if (result.ok) {
      Object.assign(record, { state: 'delivered', deliveredAt: now, lastError: null, nextAttemptAt: null });
      this.#finish(job);
    } else {
      record.lastError = result.error;
      const next = result.retryable ? nextAttemptAt(record.attempts, record.queuedAt, now, this.#policy, this.#random) : null;
      if (next === null) {
        Object.assign(record, { state: 'failed', nextAttemptAt: null });
        this.#log(
          `alerts: gave up sending the ${record.transition} notification of ${record.alertId} to webhook "${record.webhook}" (${host}) after ${record.attempts} attempt(s): ${result.error}. ` +
            'Check the receiver and alerts.webhooks in the config; "Send test" on the Alerts page tries it now.',
        );
        this.#finish(job);
      } else {
        record.nextAttemptAt = next;
        this.#log(`alerts: webhook "${record.webhook}" (${host}) failed: ${result.error}; retry ${record.attempts + 1} in ${Math.round((next - now) / 1000)} s`);
        this.#waiting.push(job);
      }
    }
    this.#emit(record);
    this.#pump();
  }

  async #send(target: WebhookTarget, body: string): Promise<SendResult> {
    const started = this.#now();
    const signal = AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#closing.signal]);
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'topolog-alerts', ...target.headers },
        body,
        signal,
        redirect: 'error',
      });
      // Read a little of the answer for the error message; never buffer a large body.
      const text = res.ok ? '' : await readSome(res, 200);
      if (res.ok) await res.body?.cancel().catch(() => undefined);
      const error = res.ok ? null : `HTTP ${res.status}${text ? `: ${text}` : ''}${isRetryableStatus(res.status) ? '' : ' (not retried: check the URL and the receiver’s authentication)'}`;
      return { ok: res.ok, httpStatus: res.status, error, retryable: isRetryableStatus(res.status), durationMs: this.#now() - started };
    } catch (err) {
      const error = describeFailure(err, this.#timeoutMs, target.id);
      // A request fetch will not even build fails the same way every time: retrying cannot help.
      const retryable = !(err instanceof TypeError && (err as Error).cause === undefined);
      return { ok: false, httpStatus: null, error, retryable, durationMs: this.#now() - started };
    }
  }

  #finish(job: Job): void {
    this.#recent.set(job.key, job.record);
    if (this.#recent.size > this.#recentLimit) {
      const oldest = this.#recent.keys().next().value as string;
      const record = this.#recent.get(oldest)!;
      this.#recent.delete(oldest);
      this.#untrack(record);
    }
  }

  #track(record: DeliveryRecord): void {
    const list = this.#byAlert.get(record.alertId);
    if (list) list.push(record);
    else this.#byAlert.set(record.alertId, [record]);
  }

  #untrack(record: DeliveryRecord): void {
    const list = this.#byAlert.get(record.alertId);
    if (!list) return;
    const rest = list.filter((r) => r !== record);
    if (rest.length > 0) this.#byAlert.set(record.alertId, rest);
    else this.#byAlert.delete(record.alertId);
  }

  #dropOldest(): void {
    const job = this.#waiting.shift();
    if (!job) return;
    Object.assign(job.record, { state: 'dropped', nextAttemptAt: null, lastError: `dropped: more than ${this.#maxQueued} notifications were waiting` });
    this.#log(`alerts: notification queue full (${this.#maxQueued}); dropped the ${job.record.transition} notification of ${job.record.alertId} to "${job.record.webhook}". A receiver is down or too slow.`);
    this.#finish(job);
    this.#emit(job.record);
  }

  #emit(record: DeliveryRecord): void {
    try {
      this.#onStatus({ ...record });
    } catch (err) {
      this.#log(`alerts: cannot record a delivery status (${(err as Error).message})`);
    }
  }

  #checkIdle(): void {
    if (this.size > 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

async function readSome(res: Response, limit: number): Promise<string> {
  try {
    const reader = res.body?.getReader();
    if (!reader) return '';
    const { value } = await reader.read();
    await reader.cancel().catch(() => undefined);
    return new TextDecoder().decode(value ?? new Uint8Array()).slice(0, limit).replace(/\s+/g, ' ').trim();
  } catch {
    return '';
  }
}
