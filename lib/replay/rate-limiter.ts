/**
 * A records-per-second token bucket for replay jobs. Pure: the clock is passed in, so tests need no timers.
 * `take(n)` reserves n tokens and answers how long to wait before sending them; a batch larger than the bucket
 * borrows from the future (the debt is paid by waiting), so the long-run rate stays at `rate` whatever the batch.
 */
export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  #tokens: number;
  #last: number;

  constructor(rate: number, now: number, burstSeconds = 0.25) {
    if (!(rate > 0)) throw new Error('rate must be positive');
    this.rate = rate;
    // A quarter second of burst: enough for one batch at the sizes batchSizeFor picks, little enough to stay smooth.
    this.burst = Math.max(1, rate * burstSeconds);
    this.#tokens = this.burst;
    this.#last = now;
  }

  /** Milliseconds to wait before `n` records may be sent (0: now). The tokens are reserved either way. */
  take(n: number, now: number): number {
    this.#refill(now);
    this.#tokens -= n;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.rate) * 1000);
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#last);
    this.#last = Math.max(this.#last, now);
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.rate) / 1000);
  }
}

/** Records per send: big for throughput; under a rate limit about a quarter second's worth, so progress is smooth. */
export function batchSizeFor(rateLimit: number | null, max = 5_000): number {
  if (rateLimit === null) return max;
  return Math.max(1, Math.min(max, Math.ceil(rateLimit / 4)));
}

/** Seconds to write `records` at `rateLimit`; null without a limit (Kafka decides). */
export function estimatedSeconds(records: number, rateLimit: number | null): number | null {
  if (rateLimit === null) return null;
  return Math.round((records / rateLimit) * 10) / 10;
}

/** Records per second over a sliding window of (time, count) samples; null until two samples a moment apart. */
export class RateMeter {
  readonly #windowMs: number;
  readonly #samples: { at: number; count: number }[] = [];

  constructor(windowMs = 5_000) {
    this.#windowMs = windowMs;
  }

  add(at: number, count: number): void {
    this.#samples.push({ at, count });
    while (this.#samples.length > 2 && this.#samples[0]!.at < at - this.#windowMs) this.#samples.shift();
  }

  rate(): number | null {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || !last || last.at - first.at < 200) return null;
    return Math.max(0, ((last.count - first.count) * 1000) / (last.at - first.at));
  }
}
