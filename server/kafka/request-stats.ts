/** Counts Kafka requests by API, broker and outcome: the poll-cost target is measured from these. */
export type RequestOutcome = 'ok' | 'error';

export interface RequestCount {
  api: string;
  broker: string;
  outcome: RequestOutcome;
  count: number;
}

export class RequestStats {
  readonly #totals = new Map<string, RequestCount>();
  #cycle = new Map<string, number>();

  record(api: string, broker: number | string, outcome: RequestOutcome): void {
    const key = `${api}\u0000${broker}\u0000${outcome}`;
    const entry = this.#totals.get(key);
    if (entry) entry.count += 1;
    else this.#totals.set(key, { api, broker: String(broker), outcome, count: 1 });
    this.#cycle.set(api, (this.#cycle.get(api) ?? 0) + 1);
  }

  /** Cumulative counts since start (Prometheus counters). */
  totals(): RequestCount[] {
    return [...this.#totals.values()].map((c) => ({ ...c }));
  }

  /** Requests by API since the last call; the poller calls it at the end of each cycle. */
  takeCycle(): Record<string, number> {
    const cycle = Object.fromEntries(this.#cycle);
    this.#cycle = new Map();
    return cycle;
  }
}
