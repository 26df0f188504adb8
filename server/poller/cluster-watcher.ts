import { EventEmitter } from 'node:events';
import type { ClusterError, ClusterInfo, GroupSummary, OverviewData, TopicSummary } from '../../lib/contract';
import { backoffDelayMs } from '../../lib/backoff';
import type { ClusterConfig } from '../config/schema';
import { KafkaAdminAdapter, type ClusterMetadata } from '../kafka/admin';
import { describeKafkaError } from '../kafka/errors';

export interface ClusterSource {
  capabilities(): Promise<{ versionLabel: string | null }>;
  readMetadata(): Promise<ClusterMetadata>;
  listGroups(): Promise<GroupSummary[]>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterWatcherOptions {
  pollIntervalMs: number;
  /** Where the data comes from; the Kafka adapter unless a test gives another. */
  source?: ClusterSource;
  log?: (line: string) => void;
  now?: () => number;
}

interface ClusterWatcherEvents {
  update: [OverviewData];
}

/**
 * Watches one cluster: reads metadata, topics and groups every poll interval, and keeps the connection state
 * (connecting, ok, unreachable with the error and since when). A failed cycle keeps the last values, which
 * then age visibly through `observedAt`, and retries with backoff; the server never crashes on a broker error.
 * Cycles never overlap: the next one is scheduled when the previous one ends.
 */
export class ClusterWatcher extends EventEmitter<ClusterWatcherEvents> {
  readonly config: ClusterConfig;
  readonly #source: ClusterSource;
  readonly #pollIntervalMs: number;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #failures = 0;
  #cycle: Promise<void> | null = null;
  #cluster: ClusterInfo;
  #topics: TopicSummary[] = [];
  #groups: GroupSummary[] = [];

  constructor(config: ClusterConfig, options: ClusterWatcherOptions) {
    super();
    this.config = config;
    this.#pollIntervalMs = config.pollIntervalMs ?? options.pollIntervalMs;
    this.#source = options.source ?? new KafkaAdminAdapter(config);
    this.#log = options.log ?? (() => undefined);
    this.#now = options.now ?? Date.now;
    this.#cluster = {
      id: config.id,
      name: config.name ?? config.id,
      bootstrap: config.brokers,
      state: 'connecting',
      since: this.#now(),
      error: null,
      retryAt: null,
      clusterId: null,
      controllerId: null,
      brokers: [],
      version: null,
      readOnly: config.readOnly,
      pollIntervalMs: this.#pollIntervalMs,
      observedAt: null,
    };
  }

  get overview(): OverviewData {
    return { cluster: this.#cluster, topics: this.#topics, groups: this.#groups };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#cycle?.catch(() => undefined);
    await this.#source.close();
  }

  /** Runs a cycle now (after the current one, if any). Used after a write so the change shows at once. */
  async refresh(): Promise<void> {
    if (!this.#running) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#cycle?.catch(() => undefined);
    await this.#runCycle();
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => void this.#runCycle(), delayMs);
    this.#timer.unref();
  }

  async #runCycle(): Promise<void> {
    if (this.#cycle) return this.#cycle;
    this.#timer = null;
    this.#cycle = this.#poll().finally(() => {
      this.#cycle = null;
    });
    return this.#cycle;
  }

  async #poll(): Promise<void> {
    let nextDelay = this.#pollIntervalMs;
    try {
      const caps = await this.#source.capabilities();
      const [{ topics, ...description }, groups] = await Promise.all([this.#source.readMetadata(), this.#source.listGroups()]);
      const now = this.#now();
      if (this.#cluster.state !== 'ok') this.#log(`cluster ${this.config.id}: connected (${description.brokers.length} broker(s), Kafka ${caps.versionLabel ?? 'version unknown'})`);
      this.#failures = 0;
      this.#topics = topics;
      this.#groups = groups;
      this.#cluster = {
        ...this.#cluster,
        ...description,
        state: 'ok',
        since: this.#cluster.state === 'ok' ? this.#cluster.since : now,
        error: null,
        retryAt: null,
        version: caps.versionLabel,
        observedAt: now,
      };
    } catch (err) {
      this.#failures += 1;
      nextDelay = backoffDelayMs(this.#failures, { maxMs: Math.max(30_000, this.#pollIntervalMs) });
      this.#markUnreachable(describeKafkaError(err, this.config.brokers), nextDelay);
      // A half-open connection must not be reused on the next attempt.
      await this.#source.reset().catch(() => undefined);
    }
    if (!this.#running) return;
    this.emit('update', this.overview);
    this.#schedule(nextDelay);
  }

  #markUnreachable(error: ClusterError, retryInMs: number): void {
    const now = this.#now();
    const wasUnreachable = this.#cluster.state === 'unreachable';
    if (!wasUnreachable || this.#cluster.error?.message !== error.message) {
      this.#log(`cluster ${this.config.id}: unreachable: ${error.message} (retrying with backoff)`);
    }
    this.#cluster = {
      ...this.#cluster,
      state: 'unreachable',
      since: wasUnreachable ? this.#cluster.since : now,
      error,
      retryAt: now + retryInMs,
    };
  }
}
