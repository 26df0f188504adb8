import { createHash, randomUUID } from 'node:crypto';
import { WriteRefused } from '../audit/write-guard';

/** How long a preview stays executable: long enough to read it, short enough that it is still true. */
export const PLAN_TTL_MS = 10 * 60_000;
const MAX_PLANS = 500;

interface Entry<T> {
  planId: string;
  planHash: string;
  expiresAt: number;
  plan: T;
  /** Set by the first execute: a second execute of the same plan gets the same answer (idempotency key = planId). */
  execution: Promise<unknown> | null;
}

/** A stable hash of what was previewed: the same plan content always hashes the same. */
export function hashPlan(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Previews waiting to be executed (plan → execute, research/security.md §4.6). Kept in memory: a restart drops
 * them and the user previews again, which is the safe direction.
 */
export class PlanCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Stores a plan; `content` is what the hash covers (what the user saw and is agreeing to). */
  add(plan: T, content: unknown): { planId: string; planHash: string; expiresAt: number } {
    this.#prune();
    const entry: Entry<T> = { planId: randomUUID(), planHash: hashPlan(content), expiresAt: this.#now() + PLAN_TTL_MS, plan, execution: null };
    this.#entries.set(entry.planId, entry);
    return { planId: entry.planId, planHash: entry.planHash, expiresAt: entry.expiresAt };
  }

  /**
   * Runs `work` for the plan once. A repeated call with the same planId gets the first call's result (a double
   * click or a retried request does not write twice). Unknown, expired or altered plans are refused.
   */
  async executeOnce<R>(planId: string, planHash: string, work: (plan: T) => Promise<R>): Promise<R> {
    const entry = this.#entries.get(planId);
    if (!entry) throw new WriteRefused(404, 'plan_not_found', 'This preview is not known (expired, or Topolog restarted since).', 'Preview again, then confirm.');
    if (entry.planHash !== planHash) throw new WriteRefused(409, 'plan_mismatch', 'The confirmation does not match the preview it names.', 'Preview again, then confirm.');
    if (entry.execution) return entry.execution as Promise<R>;
    if (entry.expiresAt < this.#now()) throw new WriteRefused(410, 'plan_expired', 'This preview is more than 10 minutes old.', 'Preview again: the offsets may have moved.');
    entry.execution = work(entry.plan);
    // A refused or failed execution can be tried again with the same plan (e.g. after stopping the members).
    entry.execution.catch(() => {
      entry.execution = null;
    });
    return entry.execution as Promise<R>;
  }

  get(planId: string): T | null {
    return this.#entries.get(planId)?.plan ?? null;
  }

  #prune(): void {
    const now = this.#now();
    for (const [id, entry] of this.#entries) if (entry.expiresAt + PLAN_TTL_MS < now) this.#entries.delete(id);
    // Oldest first (insertion order) when someone previews in a loop.
    while (this.#entries.size >= MAX_PLANS) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
