import { EventEmitter } from 'node:events';
import { roundTo } from '../../lib/format';
import type { EdgeMetrics, Topology } from '../../lib/contract';
import type { StatusThresholdOverrides } from '../../lib/lag/thresholds';
import { buildGraph, withoutDeletedTopics, type GraphSettings } from '../../lib/topology/build-graph';
import { edgeId, nodeId, type NodeRef } from '../../lib/topology/evidence';
import type { HeaderOptions } from '../../lib/topology/headers';
import { serviceFromTransactionalId } from '../../lib/topology/identity';
import { topologyConfigSchema, type TopologyConfig } from '../config/schema';
import { describeProducersByLeader, describeTransactions, listTransactions } from '../kafka/producers';
import type { BrokerAccess } from '../kafka/offsets';
import { RequestStats } from '../kafka/request-stats';
import type { ClusterWatcher } from '../poller/cluster-watcher';
import type { EdgeObservation, EvidenceLog, NodeObservation, RateRow } from '../store';
import { loadAsyncApiDocuments, type DeclaredDocument } from './asyncapi';
import { readConnectCluster, type ConnectConnector } from './connect';
import { connectEvidence } from './connect-evidence';
import { declaredEvidence } from './declared-evidence';
import { assignedTopicsAt, liveGroupHealth, pastGroupHealth, withGroupHealth } from './group-health';
import { groupEvidence } from './group-evidence';
import { HeaderSampler, type Attribution, type SamplablePartition } from './header-sampler';
import { ProducerSessions } from './producer-sessions';

const FULL_DESCRIBE_EVERY = 10;
const TRANSACTIONS_EVERY_MS = 30_000;
const CONNECT_EVERY_MS = 60_000;
const ASYNCAPI_EVERY_MS = 600_000;
const RATES_EVERY_MS = 60_000;
const EXPIRE_EVERY_MS = 600_000;
const MAX_DESCRIBED_TRANSACTIONS = 100;

type SourceName = keyof TopologyConfig['sources'];

interface SourceStatus {
  source: string;
  enabled: boolean;
  lastRunAt: number | null;
  error: string | null;
}

export interface DiscoveryCost {
  requests: number;
  sampledPartitions: number;
  bytesRead: number;
}

interface TopologyEvents {
  /** A discovery cycle ended; listeners that show the graph rebuild it with graphNow(at). */
  cycle: [at: number];
}

/**
 * Topology discovery for one cluster. After each poll of its ClusterWatcher it gathers evidence from every enabled
 * source (groups, producer sessions, transactions, sampled headers, Connect, AsyncAPI), appends it to the evidence
 * log and rebuilds the graph. It never joins or creates a consumer group, and a failing source only marks itself
 * failed: the others and the server go on.
 */
export class ClusterTopology extends EventEmitter<TopologyEvents> {
  readonly config: TopologyConfig;
  readonly #watcher: ClusterWatcher;
  readonly #log: EvidenceLog | null;
  readonly #logLine: (line: string) => void;
  readonly #sessions = new ProducerSessions();
  readonly #sampler = new HeaderSampler();
  readonly #stats = new RequestStats();
  /** Producer id → writer, from transactional ids and sampled batches; kept while the session exists. */
  readonly #pidWriters = new Map<string, Attribution>();
  /** Producer id → transactional id. */
  readonly #txnByPid = new Map<string, string>();
  readonly #status = new Map<SourceName, SourceStatus>();
  #runs = 0;
  #running: Promise<void> | null = null;
  #lastDescribedHwm = new Map<string, number>();
  #retainedFor: object | null = null;
  #lastTransactionsAt = 0;
  #lastConnectAt = 0;
  #connectors: ConnectConnector[] = [];
  #lastAsyncApiAt = 0;
  #documents: DeclaredDocument[] = [];
  #lastRatesAt = 0;
  #lastExpireAt = 0;
  #rates = new Map<string, EdgeMetrics>();
  #cost: DiscoveryCost | null = null;
  readonly #retentionMs: number;
  readonly #statusThresholds: StatusThresholdOverrides;

  /**
   * `statusThresholds`: the top-level (all clusters) status thresholds the watcher's poller was given; the cluster's
   * and groups' own come from the watcher's config. Past graphs evaluate status with them.
   */
  constructor(watcher: ClusterWatcher, options: { log?: EvidenceLog; logLine?: (line: string) => void; retentionMs?: number; statusThresholds?: StatusThresholdOverrides } = {}) {
    super();
    this.#watcher = watcher;
    this.config = topologyConfigSchema.parse(watcher.config.topology ?? {});
    this.#log = options.log ?? null;
    this.#logLine = options.logLine ?? (() => undefined);
    this.#retentionMs = options.retentionMs ?? 86_400_000;
    this.#statusThresholds = options.statusThresholds ?? {};
    for (const source of Object.keys(this.config.sources) as SourceName[]) {
      const enabled = this.config.sources[source] && (source !== 'connect' || Boolean(this.config.connectUrl)) && (source !== 'asyncapi' || this.config.asyncapi.length > 0);
      const why = !this.config.sources[source] ? 'switched off in the config' : enabled ? null : source === 'connect' ? 'no connectUrl configured' : 'no AsyncAPI documents configured';
      this.#status.set(source, { source, enabled, lastRunAt: null, error: enabled ? null : why });
    }
  }

  get clusterId(): string {
    return this.#watcher.config.id;
  }

  get settings(): GraphSettings {
    return { liveMs: this.config.liveMs, recentMs: this.config.recentMs, staleMs: this.config.staleMs, showHidden: false };
  }

  start(): void {
    if (this.#log) {
      try {
        this.#log.load(this.clusterId, Date.now() - this.config.staleMs);
      } catch (err) {
        this.#logLine(`cluster ${this.clusterId}: cannot load topology evidence (${(err as Error).message}); starting without it`);
      }
    }
    this.#watcher.on('update', () => {
      if (this.#running) return; // discovery is slower than a poll on a big cluster: skip, never queue
      this.#running = this.run()
        .catch((err: unknown) => this.#logLine(`cluster ${this.clusterId}: topology discovery failed: ${(err as Error).stack ?? String(err)}`))
        .finally(() => {
          this.#running = null;
        });
    });
  }

  async stop(): Promise<void> {
    await this.#running?.catch(() => undefined);
  }

  /** One discovery cycle; public so tests and the benchmark can drive it. */
  async run(now = Date.now()): Promise<void> {
    const watcher = this.#watcher;
    const metadata = watcher.metadata;
    if (!metadata || watcher.overview.cluster.state !== 'ok') return;
    this.#runs += 1;
    const brokers = new Map(metadata.brokers.map((b) => [b.nodeId, b]));
    const access: BrokerAccess = { ...watcher.adapter.brokerAccess(), stats: this.#stats };
    const edges: EdgeObservation[] = [];
    const nodes: NodeObservation[] = [];
    const rates = new Map<string, EdgeMetrics>();
    const identity: HeaderOptions = { overrides: this.config.services, serviceHeaders: this.config.serviceHeaders };
    const topicRates = new Map(watcher.overview.topics.map((t) => [t.name, t.produceRate]));
    let sampledPartitions = 0;
    let bytesRead = 0;

    for (const t of metadata.topics) {
      nodes.push({ node: { kind: 'topic', name: t.name }, seenAt: now, detail: { partitions: t.partitions, replicationFactor: t.replicationFactor, internal: t.internal, eventTypes: this.#sampler.eventTypes(t.name) } });
    }

    let groupOwners = new Map<string, NodeRef[]>();
    if (this.#enabled('groups')) {
      const g = groupEvidence(watcher.overview.groups, (id) => watcher.engine.groupDetail(id)?.partitions, now, identity);
      edges.push(...g.edges);
      nodes.push(...g.nodes);
      for (const [id, m] of g.rates) rates.set(id, m);
      groupOwners = g.groupOwners;
      this.#ok('groups', now);
    }

    const partitions: SamplablePartition[] = metadata.partitions.map((p) => {
      const offsets = watcher.engine.partitionOffsets(p.topic, p.partition);
      return { topic: p.topic, partition: p.partition, leader: p.leader, leaderEpoch: p.leaderEpoch, hwm: offsets?.hwm ?? null, logStart: offsets?.logStart ?? null };
    });
    // Forget deleted partitions only when the metadata changed (the slow loop), not on every 5 s cycle.
    if (metadata !== this.#retainedFor) {
      this.#retainedFor = metadata;
      const partitionKeys = new Set(partitions.map((p) => `${p.topic}/${p.partition}`));
      this.#sessions.retain(partitionKeys);
      this.#sampler.retain(partitionKeys);
      for (const k of this.#lastDescribedHwm.keys()) if (!partitionKeys.has(k)) this.#lastDescribedHwm.delete(k);
    }

    let fresh: ReturnType<ProducerSessions['ingest']> = [];
    if (this.#enabled('producers')) {
      try {
        // Only partitions whose end moved can have a session that wrote; a full pass now and then finds the rest.
        const full = this.#runs % FULL_DESCRIBE_EVERY === 1;
        const targets = partitions.filter((p) => full || p.hwm !== this.#lastDescribedHwm.get(`${p.topic}/${p.partition}`));
        if (targets.length > 0) fresh = this.#sessions.ingest(await describeProducersByLeader(access, brokers, targets), now);
        for (const p of targets) if (p.hwm !== null) this.#lastDescribedHwm.set(`${p.topic}/${p.partition}`, p.hwm);
        this.#sessions.markIdleExcept(new Set(targets.map((p) => `${p.topic}/${p.partition}`)), now);
        this.#ok('producers', now);
      } catch (err) {
        this.#fail('producers', err);
      }
    }

    if (this.#enabled('transactions') && now - this.#lastTransactionsAt >= TRANSACTIONS_EVERY_MS) {
      try {
        await this.#readTransactions(access, brokers, now, edges);
        this.#lastTransactionsAt = now;
        this.#ok('transactions', now);
      } catch (err) {
        this.#fail('transactions', err);
      }
    }

    if (this.#enabled('headers')) {
      try {
        const plan = this.#sampler.plan(partitions, fresh, new Set(this.#pidWriters.keys()), now, this.config.sampler);
        if (plan.length > 0) {
          const read = await this.#sampler.read(access, brokers, plan, this.config.sampler);
          const seen = this.#sampler.interpret(read.results, now, identity, groupOwners);
          edges.push(...seen.edges);
          for (const [pid, a] of seen.attributions) if (!this.#pidWriters.has(pid) || this.#pidWriters.get(pid)!.via !== 'transaction') this.#pidWriters.set(pid, a);
          sampledPartitions = read.results.length;
          bytesRead = read.results.reduce((sum, r) => sum + r.bytesRead, 0);
          if (read.errors.length > 0) this.#logLine(`cluster ${this.clusterId}: header sampling: ${read.errors.slice(0, 3).join('; ')}`);
        }
        this.#ok('headers', now);
      } catch (err) {
        this.#fail('headers', err);
      }
    }

    const sessionRates = this.#sessionEvidence(edges, rates);
    this.#sharedRates(now, topicRates, sessionRates, rates);

    if (this.#enabled('connect') && now - this.#lastConnectAt >= CONNECT_EVERY_MS) {
      this.#lastConnectAt = now;
      try {
        this.#connectors = (await readConnectCluster(this.config.connectUrl!)).connectors;
        this.#ok('connect', now);
      } catch (err) {
        this.#fail('connect', err);
      }
    }
    if (this.#enabled('connect') && this.#status.get('connect')!.error === null) {
      const c = connectEvidence(this.#connectors, now);
      edges.push(...c.edges);
      nodes.push(...c.nodes);
    }

    if (this.#enabled('asyncapi') && now - this.#lastAsyncApiAt >= ASYNCAPI_EVERY_MS) {
      this.#lastAsyncApiAt = now;
      const loaded = await loadAsyncApiDocuments(this.config.asyncapi);
      this.#documents = loaded.documents;
      const status = this.#status.get('asyncapi')!;
      status.lastRunAt = now;
      status.error = loaded.errors.length > 0 ? loaded.errors.map((e) => e.message).join('; ') : null;
      if (status.error) this.#logLine(`cluster ${this.clusterId}: AsyncAPI: ${status.error}`);
      edges.push(...declaredEvidence(this.#documents, metadata.topics.map((t) => t.name), now, ASYNCAPI_EVERY_MS * 2));
    }

    this.#rates = rates;
    this.#cost = { requests: Object.values(this.#stats.takeCycle()).reduce((a, b) => a + b, 0), sampledPartitions, bytesRead };
    this.#record(now, edges, nodes, topicRates);
    // The graph itself is built only for someone who looks at it (the realtime hub, when a room has subscribers).
    this.emit('cycle', now);
  }

  /** The live graph; consumer groups carry their current status and lag from the watcher's overview. */
  graphNow(now = Date.now(), showHidden = false): Topology {
    const log = this.#log;
    const current = log ? log.current(this.clusterId, now - this.config.staleMs) : { spans: [], nodes: [] };
    const topicRates = new Map(this.#watcher.overview.topics.map((t) => [t.name, t.produceRate]));
    const graph = buildGraph({ at: now, spans: current.spans, nodes: current.nodes, rates: { topics: topicRates, edges: this.#rates }, settings: { ...this.settings, showHidden } });
    const health = liveGroupHealth(this.#watcher.overview.groups);
    const live = withoutDeletedTopics(graph, this.#watcher.overview.cluster.observedAt !== null ? new Set(topicRates.keys()) : null);
    return this.#envelope(now, now, false, { nodes: withGroupHealth(live.nodes, (group) => health.get(group) ?? null), edges: live.edges });
  }

  /**
   * The graph as it was at `at`, rebuilt from the stored evidence log and rates; consumer groups carry their lag,
   * lag in seconds and status at `at`, from the offsets history (see pastGroupHealth).
   */
  graphAt(at: number, showHidden = false): Topology {
    if (!this.#log) return this.#envelope(at, Date.now(), true, { nodes: [], edges: [] });
    const stored = this.#log.spansBetween(this.clusterId, at - this.config.staleMs, at);
    const storedRates = this.#log.ratesAt(this.clusterId, at, RATES_EVERY_MS * 2);
    const topics = new Map<string, number | null>();
    const edges = new Map<string, EdgeMetrics>();
    for (const [subject, r] of storedRates) {
      if (subject.startsWith('topic:')) topics.set(subject.slice('topic:'.length), r.rate);
      else edges.set(subject, { messagesPerSec: r.rate, bytesPerSec: null, method: (r.method as EdgeMetrics['method']) ?? null });
    }
    const graph = buildGraph({ at, spans: stored.spans, nodes: stored.nodes, rates: { topics, edges }, settings: { ...this.settings, showHidden } });
    const store = this.#watcher.store;
    if (!store) return this.#envelope(at, Date.now(), true, graph);
    const watcher = this.#watcher;
    const health = pastGroupHealth(
      {
        store,
        cluster: this.clusterId,
        pollIntervalMs: watcher.overview.cluster.pollIntervalMs,
        gridMs: watcher.engine.sampleSpacingMs,
        // As the poller merges them: all clusters', this cluster's, the group's own; the window as the engine keeps it.
        thresholdsOf: (group) => ({ ...this.#statusThresholds, ...watcher.config.statusThresholds, ...watcher.config.groupStatusThresholds?.[group], windowMs: watcher.engine.windowMsOf(group) }),
      },
      assignedTopicsAt(graph.nodes, graph.edges, at, this.config.liveMs),
      at,
    );
    return this.#envelope(at, Date.now(), true, { nodes: withGroupHealth(graph.nodes, (group) => health.get(group) ?? null), edges: graph.edges });
  }

  #envelope(at: number, observedAt: number, historical: boolean, graph: Pick<Topology, 'nodes' | 'edges'>): Topology {
    return { cluster: this.clusterId, at, observedAt, historical, nodes: graph.nodes, edges: graph.edges, sources: [...this.#status.values()].map((s) => ({ ...s })), cost: this.#cost };
  }

  async #readTransactions(access: BrokerAccess, brokers: ReadonlyMap<number, { nodeId: number; host: string; port: number }>, now: number, edges: EdgeObservation[]): Promise<void> {
    const listed = await listTransactions(access, brokers);
    for (const t of listed.transactions) {
      this.#txnByPid.set(t.producerId, t.transactionalId);
      this.#pidWriters.set(t.producerId, { writer: { kind: 'service', name: serviceFromTransactionalId(t.transactionalId, { overrides: this.config.services }) }, via: 'transaction', at: now });
    }
    // Only an open transaction lists its partitions; the rest are joined through their producer sessions.
    const open = listed.transactions.filter((t) => t.state === 'Ongoing').slice(0, MAX_DESCRIBED_TRANSACTIONS);
    const via = [...brokers.values()][0];
    if (open.length === 0 || !via) return;
    for (const d of await describeTransactions(access, via, brokers, open.map((t) => t.transactionalId))) {
      if (d.error) continue;
      const writer: NodeRef = { kind: 'service', name: serviceFromTransactionalId(d.transactionalId, { overrides: this.config.services }) };
      for (const tp of d.topicPartitions) {
        edges.push({
          span: { edgeKind: 'produces', from: writer, to: { kind: 'topic', name: tp.topic }, source: 'observed.transaction', key: `txn:${d.transactionalId}`, weight: 0.9, detail: { transactionalId: d.transactionalId, producerId: d.producerId } },
          seenAt: now,
        });
      }
    }
  }

  /**
   * Producer sessions as evidence: named when a transactional id or a sampled batch says who they are, otherwise an
   * "unknown producer" of the topic. Only a session whose sequence moved keeps its edge alive; per-edge rates are the
   * sum of its sessions' sequence rates.
   */
  #sessionEvidence(edges: EdgeObservation[], rates: Map<string, EdgeMetrics>): Map<string, number> {
    const grouped = new Map<string, { writer: NodeRef; topic: string; pid: string; seenAt: number; partitions: number[]; epoch: number; txn: string | null; via: string | null }>();
    const edgeRates = new Map<string, number>();
    const topicRates = new Map<string, number>();
    for (const s of this.#sessions.all()) {
      const attribution = this.#pidWriters.get(s.producerId);
      const writer: NodeRef = attribution?.writer ?? { kind: 'unknownProducer', name: s.topic };
      if (s.rate !== null) {
        const id = edgeId('produces', writer, { kind: 'topic', name: s.topic });
        edgeRates.set(id, (edgeRates.get(id) ?? 0) + s.rate);
        topicRates.set(s.topic, (topicRates.get(s.topic) ?? 0) + s.rate);
      }
      if (s.lastAdvanceAt === null) continue;
      const key = `${nodeId(writer)}|${s.topic}|${s.producerId}`;
      const g = grouped.get(key) ?? { writer, topic: s.topic, pid: s.producerId, seenAt: 0, partitions: [], epoch: s.epoch, txn: this.#txnByPid.get(s.producerId) ?? null, via: attribution?.via ?? null };
      g.seenAt = Math.max(g.seenAt, s.lastAdvanceAt);
      g.partitions.push(s.partition);
      grouped.set(key, g);
    }
    for (const g of grouped.values()) {
      const to: NodeRef = { kind: 'topic', name: g.topic };
      const named = g.writer.kind !== 'unknownProducer';
      edges.push({
        span: {
          edgeKind: 'produces',
          from: g.writer,
          to,
          source: 'observed.producerSession',
          key: `pid:${g.pid}`,
          weight: named ? 0.85 : 0.5,
          detail: { producerId: g.pid, epoch: g.epoch, partitions: g.partitions.sort((a, b) => a - b).map(String), transactionalId: g.txn, attributedVia: g.via },
        },
        seenAt: g.seenAt,
      });
      if (g.txn) {
        edges.push({
          span: { edgeKind: 'produces', from: g.writer, to, source: 'observed.transaction', key: `txn:${g.txn}`, weight: 0.9, detail: { transactionalId: g.txn, producerId: g.pid } },
          seenAt: g.seenAt,
        });
      }
    }
    for (const [id, rate] of edgeRates) rates.set(id, { messagesPerSec: roundTo(rate, 3), bytesPerSec: null, method: 'sequence' });
    return topicRates;
  }

  /**
   * Writers without producer ids (plain producers: kafkajs and librdkafka defaults) are only seen in samples: their
   * rate is their share of recent samples times what the sessions do not account for. An estimate, labelled so.
   */
  #sharedRates(now: number, topicRates: ReadonlyMap<string, number | null>, sessionRate: ReadonlyMap<string, number>, rates: Map<string, EdgeMetrics>): void {
    for (const [topic, rate] of topicRates) {
      if (rate === null) continue;
      const shares = this.#sampler.sharesOf(topic, now, this.config.recentMs);
      const rest = Math.max(0, rate - (sessionRate.get(topic) ?? 0));
      for (const { writer, share } of shares) {
        if (!writer) continue;
        const id = edgeId('produces', writer, { kind: 'topic', name: topic });
        const existing = rates.get(id);
        const estimate = roundTo(share * rest, 3);
        rates.set(id, existing ? { ...existing, messagesPerSec: roundTo((existing.messagesPerSec ?? 0) + estimate, 3) } : { messagesPerSec: estimate, bytesPerSec: null, method: 'sampledShare' });
      }
    }
  }

  #record(now: number, edges: readonly EdgeObservation[], nodes: readonly NodeObservation[], topicRates: ReadonlyMap<string, number | null>): void {
    const log = this.#log;
    if (!log) return;
    try {
      log.observe(this.clusterId, edges, nodes, { gapMs: this.config.liveMs, flushMs: 30_000 });
      if (now - this.#lastRatesAt >= RATES_EVERY_MS) {
        this.#lastRatesAt = now;
        const rows: RateRow[] = [];
        for (const [subject, m] of this.#rates) if (m.messagesPerSec !== null) rows.push({ subject, rate: m.messagesPerSec, method: m.method });
        for (const [topic, rate] of topicRates) if (rate !== null) rows.push({ subject: `topic:${topic}`, rate, method: 'topicRate' });
        log.recordRates(this.clusterId, now, rows);
      }
      if (now - this.#lastExpireAt >= EXPIRE_EVERY_MS) {
        this.#lastExpireAt = now;
        log.expire(now - Math.max(this.#retentionMs, this.config.staleMs));
      }
    } catch (err) {
      this.#logLine(`cluster ${this.clusterId}: cannot write topology evidence (${(err as Error).message})`);
    }
  }

  #enabled(source: SourceName): boolean {
    return this.#status.get(source)?.enabled ?? false;
  }

  #ok(source: SourceName, now: number): void {
    const s = this.#status.get(source)!;
    s.lastRunAt = now;
    s.error = null;
  }

  #fail(source: SourceName, err: unknown): void {
    const s = this.#status.get(source)!;
    const message = (err as Error).message;
    if (s.error !== message) this.#logLine(`cluster ${this.clusterId}: topology source ${source} failed: ${message}`);
    s.error = message;
  }
}

