/** The poller's own numbers: fast-cycle durations, requests per cycle, errors. Exported on /metrics. */
export const CYCLE_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export class CycleStats {
  readonly bucketCounts: number[] = CYCLE_BUCKETS_SECONDS.map(() => 0);
  count = 0;
  sumSeconds = 0;
  errors = 0;
  lastDurationMs: number | null = null;
  lastSuccessAt: number | null = null;
  /** Requests by API in the last fast cycle, and in the last slow cycle. */
  lastFastRequests: Record<string, number> = {};
  lastSlowRequests: Record<string, number> = {};
  /** Recent fast-cycle durations, for the benchmark's median and p95. */
  readonly recentDurationsMs: number[] = [];

  recordFastCycle(durationMs: number, requests: Record<string, number>): void {
    const seconds = durationMs / 1000;
    this.count += 1;
    this.sumSeconds += seconds;
    CYCLE_BUCKETS_SECONDS.forEach((le, i) => {
      if (seconds <= le) this.bucketCounts[i]! += 1;
    });
    this.lastDurationMs = durationMs;
    this.lastSuccessAt = Date.now();
    this.lastFastRequests = requests;
    this.recentDurationsMs.push(durationMs);
    if (this.recentDurationsMs.length > 1000) this.recentDurationsMs.shift();
  }

  recordSlowRequests(requests: Record<string, number>): void {
    this.lastSlowRequests = requests;
  }

  recordError(): void {
    this.errors += 1;
  }
}
