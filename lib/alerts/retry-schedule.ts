import { backoffDelayMs } from '../backoff';

/**
 * When to retry a failed webhook delivery, and when to give up. Exponential backoff with jitter (lib/backoff.ts),
 * bounded by a number of attempts and by age: a "firing" notification that is an hour late helps nobody, and
 * the alert list in the app still shows it.
 */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  jitter: number;
  maxAttempts: number;
  maxAgeMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 2_000, maxMs: 5 * 60_000, jitter: 0.2, maxAttempts: 8, maxAgeMs: 60 * 60_000 };

/** The time of the next attempt after `attempts` failed ones, or null to give up. */
export function nextAttemptAt(attempts: number, firstQueuedAt: number, now: number, policy: RetryPolicy, random: () => number = Math.random): number | null {
  if (attempts >= policy.maxAttempts) return null;
  const at = now + backoffDelayMs(attempts, { baseMs: policy.baseMs, maxMs: policy.maxMs, jitter: policy.jitter, random });
  return at - firstQueuedAt > policy.maxAgeMs ? null : at;
}

/** Whether an HTTP status is worth retrying: server errors, 408 and 429; other 4xx mean the request is wrong. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
