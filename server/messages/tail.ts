import { backoffDelayMs } from '../../lib/backoff';
import type { TailBatch } from '../../lib/contract';
import { UnknownTopicError, type KafkaMessagesClient, type TopicLayout } from '../kafka/messages-client';
import type { TopicRecord } from '../kafka/record-reader';
import { FETCH_PARTITION_BYTES } from './budgets';
import { FilterBudgetError, FilterWorkerError } from './filter/pool';
import { mergeByTime } from './merge';
import { applyFilter, type RecordFilter } from './scan';
import { toMessageRecord } from './to-message';

/** Matched records waiting for the browser; beyond this the oldest are dropped and counted as skipped. */
const TAIL_BUFFER = 1_000;
/** Records per batch sent to the browser. */
const TAIL_BATCH = 200;
const IDLE_MS = 250;
const MAX_BACKOFF_MS = 5_000;

export interface TailOptions {
  client: KafkaMessagesClient;
  topic: string;
  /** null: every partition, including ones added while tailing. */
  partitions: number[] | null;
  filter: RecordFilter | null;
  /** Sends one batch; resolves when the browser acknowledges it (flow control). */
  send: (batch: Omit<TailBatch, 'tailId'>) => Promise<void>;
  log: (line: string) => void;
  /** Called once the tail has stopped on its own and said why. */
  onEnd?: () => void;
}

/**
 * A live tail: starts at each partition's high watermark and reads with plain Fetch requests (no consumer group),
 * filters, and hands batches to the browser one at a time: the next batch goes out only after the previous one
 * is acknowledged. While the browser lags, matches pile up to TAIL_BUFFER; past that the oldest are dropped and the
 * next batch says how many were skipped, so memory stays bounded and the loss is visible.
 */
export class TailSession {
  readonly #o: TailOptions;
  #running = true;
  #buffer: TopicRecord[] = [];
  #skipped = 0;
  #scanned = 0;
  #sending = false;
  #ended: string | null = null;
  #wake: (() => void) | null = null;

  constructor(options: TailOptions) {
    this.#o = options;
  }

  /** Resolves once the tail is positioned at the end of each partition; reading goes on in the background. */
  async start(): Promise<void> {
    const layout = await this.#o.client.layout(this.#o.topic);
    const positions = await this.#ends(layout);
    void this.#loop(layout, positions);
  }

  stop(): void {
    this.#running = false;
    this.#wake?.();
  }

  async #ends(layout: TopicLayout): Promise<Map<number, number>> {
    const parts = layout.partitions.filter((p) => this.#o.partitions === null || this.#o.partitions.includes(p.partition));
    const { marks, errors } = await this.#o.client.watermarks(layout, parts);
    if (errors.size > 0) throw new Error(`Kafka answered ${[...errors.values()][0]} for partition ${[...errors.keys()][0]}`);
    return new Map([...marks.values()].map((m) => [m.partition, m.high]));
  }

  async #loop(layout: TopicLayout, positions: Map<number, number>): Promise<void> {
    let failures = 0;
    let round = 0;
    while (this.#running) {
      let found = 0;
      try {
        // A different partition first each round, so a busy one cannot take every round's byte limit.
        const order = [...positions.entries()];
        round++;
        const rotated = order.slice(round % order.length).concat(order.slice(0, round % order.length));
        const reads = await this.#o.client.read(
          layout,
          rotated.map(([partition, fromOffset]) => ({ partition, fromOffset, maxBytes: FETCH_PARTITION_BYTES / 4 })),
          FETCH_PARTITION_BYTES,
        );
        const lists: TopicRecord[][] = [];
        let outOfRange = false;
        for (const read of reads) {
          if (read.error === 'OFFSET_OUT_OF_RANGE') outOfRange = true;
          else if (read.error) throw new Error(`Kafka answered ${read.error} for partition ${read.partition}`);
          else positions.set(read.partition, Math.max(positions.get(read.partition)!, read.nextOffset));
          lists.push(read.records);
        }
        // Retention overtook the tail, or the topic was recreated or truncated: go on from within the log.
        if (outOfRange) await this.#clamp(layout, positions);
        const fresh = mergeByTime(lists);
        this.#scanned += fresh.length;
        const keep = await applyFilter(this.#o.filter, fresh);
        const matched = keep ? fresh.filter((_, i) => keep.matches[i]) : fresh;
        found = fresh.length;
        this.#enqueue(matched);
        failures = 0;
      } catch (err) {
        if (!this.#running) break;
        if (err instanceof UnknownTopicError) return this.#end('the topic was deleted');
        // A filter that fails once fails again on the same records: end the tail rather than skip them.
        if (err instanceof FilterBudgetError || err instanceof FilterWorkerError) return this.#end(err.message);
        failures++;
        this.#o.log(`tail of ${this.#o.topic}: ${err instanceof Error ? err.message : String(err)} (retrying)`);
        await this.#o.client.reset();
        await this.#sleep(backoffDelayMs(failures, { baseMs: 500, maxMs: MAX_BACKOFF_MS, jitter: 0 }));
        // A leader may have moved, or partitions been added: read the layout again.
        try {
          layout = await this.#o.client.layout(this.#o.topic);
          if (this.#o.partitions === null) for (const p of layout.partitions) if (!positions.has(p.partition)) positions.set(p.partition, 0);
        } catch (again) {
          if (again instanceof UnknownTopicError) return this.#end('the topic was deleted');
        }
        continue;
      }
      if (found === 0) await this.#sleep(IDLE_MS);
    }
  }

  async #clamp(layout: TopicLayout, positions: Map<number, number>): Promise<void> {
    const parts = layout.partitions.filter((p) => positions.has(p.partition));
    const { marks } = await this.#o.client.watermarks(layout, parts);
    for (const m of marks.values()) positions.set(m.partition, Math.min(Math.max(positions.get(m.partition)!, m.low), m.high));
  }

  #enqueue(records: TopicRecord[]): void {
    if (records.length === 0) return;
    for (const r of records) this.#buffer.push(r);
    const over = this.#buffer.length - TAIL_BUFFER;
    if (over > 0) {
      this.#buffer.splice(0, over);
      this.#skipped += over;
    }
    void this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      while (this.#running && (this.#buffer.length > 0 || this.#skipped > 0 || this.#ended !== null)) {
        const records = this.#buffer.splice(0, TAIL_BATCH).map((r) => toMessageRecord(r));
        const skipped = this.#skipped;
        this.#skipped = 0;
        const ended = this.#ended;
        await this.#o.send({ records, skipped, scanned: this.#scanned, ended });
        if (ended !== null) {
          this.#running = false;
          this.#o.onEnd?.();
        }
      }
    } finally {
      this.#sending = false;
    }
  }

  #end(reason: string): void {
    this.#ended = reason;
    void this.#flush();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
    });
  }
}
