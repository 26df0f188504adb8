import { EventEmitter } from 'node:events';
import type { ClusterError, ClusterInfo, GroupPartition, GroupSummary, OverviewData, TopicSummary } from '../../lib/contract';
import { backoffDelayMs } from '../../lib/backoff';
import type { ClusterConfig, StatusThresholdsConfig } from '../config/schema';
import type { CycleSamples, HistoryStore } from '../store';
import { KafkaAdminAdapter, type ClusterMetadata, type TopicConfig } from '../kafka/admin';
import { describeKafkaError } from '../kafka/errors';
import { fetchCommittedOffsets, findGroupCoordinators, listOffsetsByLeader, type BrokerEndpoint } from '../kafka/offsets';
import { exactLagSeconds } from '../../lib/lag/time-lag';
import { probeRecords } from '../kafka/records-probe';
import { CycleStats } from './cycle-stats';
import { LagEngine } from './lag-engine';

export interface ClusterWatcherOptions {
  /** Fast loop: end offsets and committed offsets. */
  pollIntervalMs: number;
  /** Slow loop: metadata, groups and members, log start offsets, topic configs. */
  slowPollIntervalMs: number;
  statusThresholds?: StatusThresholdsConfig;
  /** Where the offsets history is kept across restarts; none in tests that do not need it. */
  store?: HistoryStore;
  log?: (line: string) => void;
  now?: () => number;
}

interface ClusterWatcherEvents {
  update: [OverviewData];
}

/**
 * Watches one cluster. Each tick runs the fast cycle (one ListOffsets per leader, OffsetFetch per coordinator), and
 * before it the slow cycle when due (Metadata, groups, coordinators, log start offsets, topic configs). Ticks never
 * overlap: the next is scheduled when the previous ends. A broker or partition that fails keeps its last value,
 * marked stale; only when nothing answers is the cluster unreachable, retried with backoff. The server never
 * crashes on a broker error.
 */
export class ClusterWatcher extends EventEmitter<ClusterWatcherEvents> {
  readonly config: ClusterConfig;
  readonly adapter: KafkaAdminAdapter;
  readonly engine: LagEngine;
  readonly stats = new CycleStats();
  readonly #options: ClusterWatcherOptions;
  readonly #pollIntervalMs: number;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #failures = 0;
  #cycle: Promise<void> | null = null;
  #lastSlowAt = 0;
  #metadata: ClusterMetadata | null = null;
  #brokers = new Map<number, BrokerEndpoint>();
  #membership: GroupSummary[] = [];
  #coordinators = new Map<string, number>();
  #topicConfigs = new Map<string, TopicConfig>();
  #cluster: ClusterInfo;
  #topics: TopicSummary[] = [];
  #groups: GroupSummary[] = [];

  constructor(config: ClusterConfig, options: ClusterWatcherOptions) {
    super();
    this.config = config;
    this.#options = options;
    this.#pollIntervalMs = config.pollIntervalMs ?? options.pollIntervalMs;
    this.adapter = new KafkaAdminAdapter(config);
    this.engine = new LagEngine({
      pollIntervalMs: this.#pollIntervalMs,
      thresholds: { ...options.statusThresholds, ...config.statusThresholds },
      groupThresholds: config.groupStatusThresholds,
    });
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

  groupDetail(groupId: string): { summary: GroupSummary; partitions: GroupPartition[] } | undefined {
    return this.engine.groupDetail(groupId);
  }

  /**
   * The group's detail with exact lag in seconds for its worst partitions: the timestamp of the record at the
   * committed offset, read on demand (one Fetch per partition, never a group join). Others keep the estimate.
   */
  async groupDetailExact(groupId: string, worst = 5): Promise<{ summary: GroupSummary; partitions: GroupPartition[] } | undefined> {
    const detail = this.groupDetail(groupId);
    if (!detail || !this.#metadata) return detail;
    const access = this.adapter.brokerAccess();
    const leaders = new Map(this.#metadata.partitions.map((p) => [`${p.topic}/${p.partition}`, p]));
    const targets = detail.partitions.filter((p) => (p.lag ?? 0) > 0 && p.committed !== null).sort((a, b) => (b.lag ?? 0) - (a.lag ?? 0)).slice(0, worst);
    const exact = new Map<string, GroupPartition>();
    await Promise.all(
      targets.map(async (p) => {
        const meta = leaders.get(`${p.topic}/${p.partition}`);
        const leader = meta ? this.#brokers.get(meta.leader) : undefined;
        if (!meta || !leader) return;
        const from = Math.max(p.committed!, p.logStartOffset ?? 0);
        try {
          const probe = await probeRecords(access, leader, p.topic, p.partition, meta.leaderEpoch, from);
          const value = exactLagSeconds(probe.firstDataTimestamp, this.#now(), { requestedOffset: from, recordOffset: probe.firstDataOffset ?? undefined });
          if (value.seconds !== null) exact.set(`${p.topic}/${p.partition}`, { ...p, lagSeconds: value.seconds, lagSecondsMethod: 'exact' });
        } catch {
          // Unreadable (ACLs, leader moved): the estimate stays, labelled as such.
        }
      }),
    );
    this.adapter.stats.takeCycle();
    const partitions = detail.partitions.map((p) => exact.get(`${p.topic}/${p.partition}`) ?? p);
    const seconds = partitions.map((p) => p.lagSeconds).filter((v): v is number => v !== null);
    return { summary: { ...detail.summary, lagSecondsMax: seconds.length ? Math.max(...seconds) : null }, partitions };
  }

  get metadata(): ClusterMetadata | null {
    return this.#metadata;
  }

  topicConfig(topic: string): TopicConfig | undefined {
    return this.#topicConfigs.get(topic);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#restoreHistory();
    this.#schedule(0);
  }

  /** Reloads the last hour of offsets so lag in seconds and status are right from the first cycle after a restart. */
  #restoreHistory(): void {
    const store = this.#options.store;
    if (!store) return;
    const now = this.#now();
    const started = Date.now();
    try {
      // The longest status window any group has: a group's own longer window needs its commits from that far back.
      const windowMs = Math.max(this.engine.windowMs, ...Object.values(this.config.groupStatusThresholds ?? {}).map((t) => t.windowMs ?? 0));
      // An hour of HWM history for time lag, but commits only for a window: an hour of every commit at 10,000 partitions is several million points (bench/RESULTS.md: loadRecent).
      const recent = store.loadRecent(this.config.id, now - 3_600_000, { commitsSinceMs: now - windowMs });
      const groups = new Set<string>();
      for (const k of recent.commits.keys()) groups.add(k.slice(0, k.lastIndexOf('/', k.lastIndexOf('/') - 1)));
      const windows = new Map([...groups].map((g) => [g, store.windowFor(this.config.id, g, now - this.engine.windowMsOf(g), this.engine.sampleSpacingMs)]));
      this.engine.restore({ hwm: recent.hwm, logStart: recent.logStart, windows });
      if (recent.hwm.size > 0) this.#log(`cluster ${this.config.id}: restored ${recent.hwm.size} partitions and ${groups.size} groups of history in ${Date.now() - started} ms`);
    } catch (err) {
      this.#log(`cluster ${this.config.id}: cannot restore history (${(err as Error).message}); starting without it`);
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#cycle?.catch(() => undefined);
    await this.adapter.close();
  }

  /** Runs a full cycle (slow + fast) now, after the current one. Used after a write so the change shows at once. */
  async refresh(): Promise<void> {
    if (!this.#running) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#cycle?.catch(() => undefined);
    this.#lastSlowAt = 0;
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
    this.#cycle = this.#tick().finally(() => {
      this.#cycle = null;
    });
    return this.#cycle;
  }

  async #tick(): Promise<void> {
    const started = this.#now();
    let nextDelay = this.#pollIntervalMs;
    try {
      const caps = await this.adapter.capabilities();
      if (!this.#metadata || started - this.#lastSlowAt >= this.#options.slowPollIntervalMs) await this.#slowCycle();
      await this.#fastCycle();
      const now = this.#now();
      if (this.#cluster.state !== 'ok') this.#log(`cluster ${this.config.id}: connected (${this.#brokers.size} broker(s), Kafka ${caps.versionLabel ?? 'version unknown'})`);
      this.#failures = 0;
      this.#cluster = {
        ...this.#cluster,
        clusterId: this.#metadata!.clusterId,
        controllerId: this.#metadata!.controllerId,
        brokers: this.#metadata!.brokers,
        state: 'ok',
        since: this.#cluster.state === 'ok' ? this.#cluster.since : now,
        error: null,
        retryAt: null,
        version: caps.versionLabel,
        observedAt: now,
      };
      // Keep the cadence: the next tick starts one interval after this one started, not after it ended.
      nextDelay = Math.max(0, this.#pollIntervalMs - (now - started));
    } catch (err) {
      this.#failures += 1;
      this.stats.recordError();
      nextDelay = backoffDelayMs(this.#failures, { maxMs: Math.max(30_000, this.#pollIntervalMs) });
      this.#markUnreachable(describeKafkaError(err, this.config.brokers), nextDelay);
      this.#metadata = null;
      // A half-open connection must not be reused on the next attempt.
      await this.adapter.reset().catch(() => undefined);
    }
    if (!this.#running) return;
    // Schedule first: a listener that throws (the hub, alerts, trends) must never stop the poller for good.
    this.#schedule(nextDelay);
    this.#emitUpdate();
    // After the update is out: thinning must keep pace with the writes (bench/RESULTS.md), in a bounded slice.
    if (this.#cluster.state === 'ok') this.#compactHistory(this.#now());
  }

  /** Each `update` listener on its own: one that throws is logged and the others still get the cycle. */
  #emitUpdate(): void {
    const overview = this.overview;
    for (const listener of this.listeners('update')) {
      try {
        (listener as (o: OverviewData) => void)(overview);
      } catch (err) {
        this.#log(`cluster ${this.config.id}: an update listener failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
  }

  async #slowCycle(): Promise<void> {
    const now = this.#now();
    const metadata = await this.adapter.readMetadata();
    this.#metadata = metadata;
    this.#brokers = new Map(metadata.brokers.map((b) => [b.nodeId, b]));
    const access = this.adapter.brokerAccess();
    const [groups, logStarts, configs] = await Promise.all([
      this.adapter.listGroups(),
      listOffsetsByLeader(access, this.#brokers, metadata.partitions, 'earliest'),
      this.adapter.topicConfigs(metadata.topics.map((t) => t.name)).catch((err: unknown) => {
        this.#log(`cluster ${this.config.id}: cannot read topic configs (${(err as Error).message}); compaction flags may be missing`);
        return this.#topicConfigs;
      }),
    ]);
    this.#membership = groups;
    this.#topicConfigs = configs;
    const via = metadata.brokers[0];
    if (via && groups.length > 0) {
      // One batched FindCoordinator for every group; a group whose coordinator is unknown is simply skipped this time.
      this.#coordinators = await findGroupCoordinators(access, via, groups.map((g) => g.id));
    }
    this.engine.setMembership(groups, now);
    this.engine.ingestLogStartOffsets(logStarts);
    this.#persist(now, { logStarts: logStarts.flatMap((o) => (o.offset === null ? [] : [{ topic: o.topic, partition: o.partition, logStart: o.offset }])) });
    this.engine.setTopicConfigs(configs);
    this.engine.retain(new Set(metadata.topics.map((t) => t.name)), new Set(groups.map((g) => g.id)));
    this.#lastSlowAt = now;
    this.stats.recordSlowRequests(this.adapter.stats.takeCycle());
  }

  async #fastCycle(): Promise<void> {
    const started = this.#now();
    const metadata = this.#metadata!;
    const access = this.adapter.brokerAccess();
    const byCoordinator = new Map<number, string[]>();
    for (const group of this.#membership) {
      const coordinator = this.#coordinators.get(group.id);
      if (coordinator === undefined) continue;
      const list = byCoordinator.get(coordinator);
      if (list) list.push(group.id);
      else byCoordinator.set(coordinator, [group.id]);
    }
    const [highWatermarks, committed] = await Promise.all([
      listOffsetsByLeader(access, this.#brokers, metadata.partitions, 'latest'),
      fetchCommittedOffsets(access, this.#brokers, byCoordinator, (g) => this.engine.committedPartitionCount(g)),
    ]);
    if (highWatermarks.length > 0 && highWatermarks.every((o) => o.offset === null)) {
      throw new Error(`no broker answered ListOffsets: ${highWatermarks[0]?.error ?? 'unknown error'}`);
    }
    // A coordinator that moved answers NOT_COORDINATOR: look coordinators up again at the next tick.
    if ([...committed.failedGroups.values()].some((reason) => /COORDINATOR/.test(reason))) this.#lastSlowAt = 0;
    const now = this.#now();
    this.engine.ingestHighWatermarks(highWatermarks);
    this.engine.ingestCommits(committed.commits, committed.failedGroups, now);
    this.#persist(now, {
      partitions: highWatermarks.flatMap((o) => (o.offset === null ? [] : [{ topic: o.topic, partition: o.partition, hwm: o.offset }])),
      commits: committed.commits.flatMap((c) => (c.offset === null ? [] : [{ group: c.group, topic: c.topic, partition: c.partition, committed: c.offset }])),
    });
    this.#groups = this.engine.evaluate(this.#membership, now);
    this.#topics = this.engine.withProduceRates(metadata.topics);
    // The cycle's cost includes the maths, not only the waiting on Kafka.
    this.stats.recordFastCycle(this.#now() - started, this.adapter.stats.takeCycle());
    await this.#probeResiduals();
  }

  /**
   * Small lag that stopped moving is often not data at all: a transactional producer's commit marker takes an
   * offset no consumer ever reads. Read such residues once per (C, H) to tell; bounded per cycle, and counted
   * under Fetch, outside the fast cycle's two requests per broker.
   */
  async #probeResiduals(): Promise<void> {
    const candidates = this.engine.residualCandidates(50, 10);
    if (candidates.length === 0) return;
    const access = this.adapter.brokerAccess();
    const leaders = new Map(this.#metadata!.partitions.map((p) => [`${p.topic}/${p.partition}`, p]));
    await Promise.all(
      candidates.map(async (c) => {
        const meta = leaders.get(`${c.topic}/${c.partition}`);
        const leader = meta ? this.#brokers.get(meta.leader) : undefined;
        if (!meta || !leader) return;
        try {
          const probe = await probeRecords(access, leader, c.topic, c.partition, meta.leaderEpoch, c.committed);
          const markerOnly = probe.firstDataOffset === null ? probe.scannedTo >= c.hwm : probe.firstDataOffset >= c.hwm;
          this.engine.recordResidual(c.group, c.topic, c.partition, c.committed, c.hwm, markerOnly);
        } catch {
          // Not readable (ACLs, leader moved): the lag stays as counted; nothing is hidden.
        }
      }),
    );
    this.adapter.stats.takeCycle();
  }

  /** Writes what changed to the history store; a store failure is logged, never a reason to stop polling. */
  #persist(now: number, samples: CycleSamples): void {
    const store = this.#options.store;
    if (!store) return;
    try {
      store.recordCycle(this.config.id, now, samples);
      // Polls more than a few intervals apart are a break in watching (a restart, an outage): charts leave it blank.
      store.observed.mark(this.config.id, now, 3 * this.#pollIntervalMs + 5000);
    } catch (err) {
      this.#log(`cluster ${this.config.id}: cannot write history (${(err as Error).message})`);
    }
  }

  /** Downsampling and retention, a bounded slice at a time so the event loop never stalls. */
  #compactHistory(now: number): void {
    try {
      this.#options.store?.compact(now, 50);
    } catch (err) {
      this.#log(`cluster ${this.config.id}: history compaction failed (${(err as Error).message})`);
    }
  }

  get store(): HistoryStore | undefined {
    return this.#options.store;
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
