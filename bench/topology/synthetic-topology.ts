/**
 * A synthetic, deterministic (seeded) topology shaped like a real company's Kafka estate, for the map benchmark
 * (map-render.bench.ts). At 1,000 nodes: ~150 services, ~500 topics named team.domain.event, ~300 consumer groups
 * with memberOf edges to their services, a few stream apps, unknown producers, source and sink connectors with their
 * external systems, dead-letter topics; edges = 2 × nodes, in every state (live, recent, stale, declared-only), group
 * health mostly OK with some WARN, STALL, STOP and others, rates log-normal.
 *
 * The graph is built the way the server builds it: evidence spans, node spans and rates go through the real
 * `buildGraph` (lib/topology/build-graph.ts), and group health is attached with `withGroupHealth`, so ids, evidence
 * lists, confidence, drift and node sums are what discovery would produce.
 *
 * `tick(kind)` moves the figures, as a poll cycle would:
 * - `all`: every topic rate, every group's lag and consume rate changes (the worst case);
 * - `typical`: ~10 % of topics change rate and ~10 % of groups change lag; the evidence of live facts is re-observed
 *   (lastSeen moves), as the real evidence log does every cycle, so every live edge is in the delta even when its
 *   rate did not change;
 * - `sparse`: the same ~10 % of figures, with the evidence clock held still: only the nodes and edges whose figures
 *   changed are in the delta (the lower bound of a typical tick).
 */
import { roundTo } from '../../lib/format';
import { seededRandom } from '../../lib/random';
import type { EdgeKind, EdgeMetrics, EvidenceSource, GroupStatus, NodeHealth, NodeKind, Topology } from '../../lib/contract';
import { buildGraph, DEFAULT_GRAPH_SETTINGS } from '../../lib/topology/build-graph';
import { edgeId, nodeId, type Detail, type EvidenceSpan, type NodeRef, type NodeSpan } from '../../lib/topology/evidence';
import { withGroupHealth } from '../../server/topology/group-health';

export type TickKind = 'all' | 'typical' | 'sparse';
type EdgeState = 'live' | 'recent' | 'stale' | 'declaredOnly';

const TEAMS = [
  'payments', 'orders', 'billing', 'identity', 'catalog', 'inventory', 'shipping', 'search', 'notifications', 'fraud',
  'pricing', 'checkout', 'accounts', 'loyalty', 'reviews', 'recommendations', 'analytics', 'marketing', 'support', 'logistics',
  'warehouse', 'returns', 'subscriptions', 'ledger', 'risk', 'compliance', 'media', 'messaging', 'partners', 'tax',
  'payouts', 'onboarding', 'experiments', 'content', 'geo', 'booking', 'invoicing', 'kyc', 'sellers', 'ads',
];
const DOMAINS = [
  'order', 'refund', 'invoice', 'customer', 'session', 'cart', 'item', 'stock', 'shipment', 'payment', 'account', 'price',
  'offer', 'user', 'device', 'review', 'ticket', 'parcel', 'label', 'card', 'transfer', 'balance', 'subscription', 'plan',
  'campaign', 'coupon', 'address', 'document', 'merchant', 'product',
];
const EVENTS = [
  'created', 'updated', 'deleted', 'requested', 'completed', 'failed', 'cancelled', 'approved', 'rejected', 'changed',
  'expired', 'reserved', 'released', 'settled', 'scored', 'indexed', 'synced', 'snapshot',
];
const ROLES = ['api', 'worker', 'processor', 'consumer', 'gateway', 'sync', 'projector', 'scheduler', 'exporter', 'enricher', 'indexer', 'router', 'aggregator', 'notifier', 'validator'];
const GROUP_SUFFIXES = ['retry', 'replay', 'audit', 'projection', 'sync', 'backfill', 'v2', 'shadow', 'events', 'indexer'];
const SYSTEMS = ['PostgreSQL', 'Elasticsearch', 'Amazon S3', 'Snowflake', 'MongoDB', 'MySQL', 'BigQuery', 'Salesforce', 'Redis', 'HTTP', 'ClickHouse', 'Oracle', 'SQL Server', 'Cassandra', 'DynamoDB', 'Google Cloud Storage', 'Splunk', 'Datadog', 'JDBC', 'SFTP'];
const CONNECTOR_CLASS: Record<string, string> = {
  PostgreSQL: 'io.debezium.connector.postgresql.PostgresConnector',
  MySQL: 'io.debezium.connector.mysql.MySqlConnector',
  Elasticsearch: 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
  'Amazon S3': 'io.confluent.connect.s3.S3SinkConnector',
};
const STATUS_MIX: [GroupStatus, number][] = [
  ['OK', 0.74], ['WARN', 0.12], ['STALL', 0.05], ['STOP', 0.04], ['EVALUATING', 0.02], ['NO_COMMIT', 0.02], ['REWIND', 0.005], ['DATA_LOSS', 0.005],
];
const STATUS_REASON: Record<GroupStatus, string> = {
  OK: 'committed offsets keep up with the log end',
  WARN: 'lag grew in every evaluation of the window',
  STALL: 'committed offsets have not moved for the whole window while lag > 0',
  STOP: 'no member, and committed offsets have not moved for the whole window',
  REWIND: 'a committed offset moved backwards',
  DATA_LOSS: 'a committed offset is below the log start: records were deleted unread',
  NO_COMMIT: 'members are assigned but the group never committed',
  EVALUATING: 'not enough samples in the window yet',
};

interface Fact {
  span: Omit<EvidenceSpan, 'firstSeen' | 'lastSeen'>;
  firstSeen: number;
  /** 'tick': re-observed every cycle (assignments, sessions, moving commits, running connectors); 'sampled': every
   *  60 s (headers); 'fixed': a past observation (recent and stale edges, declarations). */
  seen: 'tick' | 'sampled' | 'fixed';
  lastSeen: number;
}

interface Group {
  ref: NodeRef;
  owner: NodeRef;
  status: GroupStatus;
  members: number;
  lag: number | null;
  lagSeconds: number | null;
  /** Consume rate as a share of the topic's produce rate. */
  factor: number | null;
  topics: string[];
}

interface Writer {
  ref: NodeRef;
  topic: string;
  share: number;
  method: 'sequence' | 'sampledShare';
}

export interface SyntheticShape {
  nodes: number;
  edges: number;
  byNodeKind: Record<string, number>;
  byEdgeKind: Record<string, number>;
  byEdgeState: Record<string, number>;
  byStatus: Record<string, number>;
}

export class SyntheticTopology {
  readonly cluster: string;
  readonly #rand: () => number;
  readonly #nodes = new Map<string, { ref: NodeRef; detail: Detail }>();
  readonly #facts: Fact[] = [];
  readonly #edgeIds = new Set<string>();
  readonly #edgeStates = new Map<string, EdgeState>();
  readonly #topicRate = new Map<string, number>();
  readonly #topicTeam = new Map<string, string>();
  readonly #groups: Group[] = [];
  readonly #writers: Writer[] = [];
  readonly #t0: number;
  /** The evidence clock: lastSeen of facts re-observed every cycle. Held still by `sparse` ticks. */
  #clock: number;
  #lastSampledAt: number;
  #ticks = 0;

  constructor(options: { nodes: number; seed?: number; cluster?: string; now?: number }) {
    const n = options.nodes;
    this.cluster = options.cluster ?? 'bench';
    this.#rand = seededRandom(options.seed ?? 20261122);
    this.#t0 = options.now ?? Date.now();
    this.#clock = this.#t0;
    this.#lastSampledAt = this.#t0;
    this.#generate(n, 2 * n);
  }

  // ---- random helpers -------------------------------------------------------------------------------------------
  #pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.#rand() * list.length)]!;
  }
  #gauss(): number {
    const u = Math.max(this.#rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.#rand());
  }
  #logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.#gauss());
  }
  #int(min: number, max: number): number {
    return min + Math.floor(this.#rand() * (max - min + 1));
  }
  /** Zipf-like: a few teams own much, most own a little. */
  #weightedTeam(teams: readonly string[]): string {
    const i = Math.min(teams.length - 1, Math.floor(teams.length * this.#rand() ** 1.8));
    return teams[i]!;
  }

  // ---- building ---------------------------------------------------------------------------------------------------
  #addNode(kind: NodeKind, name: string, detail: Detail = {}): NodeRef {
    const ref: NodeRef = { kind, name };
    this.#nodes.set(nodeId(ref), { ref, detail });
    return ref;
  }

  #uniqueName(kind: NodeKind, make: (attempt: number) => string): string {
    for (let attempt = 0; ; attempt += 1) {
      const name = make(attempt);
      if (!this.#nodes.has(nodeId({ kind, name }))) return name;
    }
  }

  /** One edge with its evidence, shaped as the real sources record it; `state` decides when it was last seen. */
  #addEdge(kind: EdgeKind, from: NodeRef, to: NodeRef, state: EdgeState, evidence: { source: EvidenceSource; key: string; weight: number; detail: Detail }[]): boolean {
    const id = edgeId(kind, from, to);
    if (this.#edgeIds.has(id)) return false;
    this.#edgeIds.add(id);
    this.#edgeStates.set(id, state);
    const firstSeen = this.#t0 - this.#int(2, 20) * 86_400_000 + this.#int(0, 86_400_000);
    const lastSeenFixed = state === 'recent' ? this.#t0 - this.#int(5, 40) * 60_000 : state === 'stale' ? this.#t0 - this.#int(2, 20) * 3_600_000 : this.#t0;
    for (const e of evidence) {
      const declared = e.source === 'declared.asyncapi';
      const seen: Fact['seen'] = declared || state !== 'live' ? 'fixed' : e.source === 'observed.header' ? 'sampled' : 'tick';
      this.#facts.push({
        span: { edgeKind: kind, from, to, source: e.source, key: e.key, weight: e.weight, detail: e.detail },
        firstSeen: Math.min(firstSeen, lastSeenFixed),
        seen,
        lastSeen: declared ? this.#t0 - 300_000 : lastSeenFixed,
      });
    }
    return true;
  }

  #observedState(): EdgeState {
    const r = this.#rand();
    return r < 0.82 ? 'live' : r < 0.92 ? 'recent' : 'stale';
  }

  #generate(n: number, edgeTarget: number): void {
    const services = Math.round(0.15 * n);
    const groups = Math.round(0.3 * n);
    const connectors = Math.max(2, Math.round(0.02 * n));
    const externals = Math.max(1, Math.round(0.01 * n));
    const unknowns = Math.max(1, Math.round(0.01 * n));
    const streamApps = Math.max(1, Math.round(0.01 * n));
    const topics = n - services - groups - connectors - externals - unknowns - streamApps;
    const teams = TEAMS.slice(0, Math.min(TEAMS.length, Math.max(5, Math.round(n / 40))));
    const teamDomains = new Map(teams.map((t) => [t, Array.from({ length: this.#int(2, 5) }, () => this.#pick(DOMAINS))]));

    // Services: every team has at least one; the rest go to teams unevenly.
    const teamServices = new Map<string, NodeRef[]>(teams.map((t) => [t, []]));
    for (let i = 0; i < services; i += 1) {
      const team = i < teams.length ? teams[i]! : this.#weightedTeam(teams);
      const name = this.#uniqueName('service', (k) => `${team}-${k < 3 ? this.#pick(ROLES) : `${this.#pick(ROLES)}-${k}`}`);
      teamServices.get(team)!.push(this.#addNode('service', name));
    }
    const streamAppRefs: NodeRef[] = [];
    for (let i = 0; i < streamApps; i += 1) {
      const team = this.#weightedTeam(teams);
      streamAppRefs.push(this.#addNode('streamApp', this.#uniqueName('streamApp', (k) => `${team}-streams${k ? `-${k}` : ''}`)));
    }

    // Topics: team.domain.event; about 5 % are dead-letter topics (team.domain.dlq).
    const topicNames: string[] = [];
    const dlqs: string[] = [];
    for (let i = 0; i < topics; i += 1) {
      const team = i < teams.length ? teams[i]! : this.#weightedTeam(teams);
      const domain = this.#pick(teamDomains.get(team)!);
      const dlq = this.#rand() < 0.05;
      const name = this.#uniqueName('topic', (k) => {
        const base = dlq && k === 0 ? `${team}.${domain}.dlq` : `${team}.${k < 2 ? domain : this.#pick(DOMAINS)}.${this.#pick(EVENTS)}`;
        return k < 6 ? base : `${base}.v${k - 4}`;
      });
      const idle = this.#rand() < 0.12;
      const rate = name.endsWith('.dlq') ? (this.#rand() < 0.5 ? 0 : roundTo(this.#logNormal(0.05, 1), 3)) : idle ? 0 : roundTo(this.#logNormal(3, 1.6), 3);
      const partitions = rate > 200 ? 48 : rate > 50 ? 24 : rate > 10 ? 12 : rate > 1 ? 6 : this.#pick([1, 3, 3, 6]);
      const eventType = `com.acme.${team}.${name.split('.')[1]}.${name.split('.')[2]}`;
      this.#addNode('topic', name, { partitions, replicationFactor: 3, internal: false, eventTypes: name.endsWith('.dlq') ? [] : [eventType] });
      this.#topicRate.set(name, rate);
      this.#topicTeam.set(name, team);
      (name.endsWith('.dlq') ? dlqs : topicNames).push(name);
    }
    const teamTopics = new Map<string, string[]>(teams.map((t) => [t, []]));
    for (const t of topicNames) teamTopics.get(this.#topicTeam.get(t)!)!.push(t);

    // Connectors and the systems on the other side.
    const externalRefs: NodeRef[] = [];
    for (let i = 0; i < externals; i += 1) externalRefs.push(this.#addNode('externalSystem', i < SYSTEMS.length ? SYSTEMS[i]! : `${SYSTEMS[i % SYSTEMS.length]} ${Math.floor(i / SYSTEMS.length) + 1}`));
    const connectorRefs: { ref: NodeRef; source: boolean; external: NodeRef; running: boolean }[] = [];
    for (let i = 0; i < connectors; i += 1) {
      const source = i % 2 === 0;
      const external = externalRefs[i % externalRefs.length]!;
      const team = this.#weightedTeam(teams);
      const state = this.#rand() < 0.9 ? 'RUNNING' : this.#pick(['FAILED', 'PAUSED']);
      const tasks = this.#int(1, 4);
      const connectorClass = CONNECTOR_CLASS[external.name] ?? `com.acme.connect.${external.name.replace(/\W+/g, '')}${source ? 'Source' : 'Sink'}Connector`;
      const ref = this.#addNode('connector', this.#uniqueName('connector', (k) => `${team}-${source ? 'cdc' : 'sink'}-${external.name.toLowerCase().replace(/\W+/g, '-')}${k ? `-${k}` : ''}`), {
        connectorType: source ? 'source' : 'sink',
        state,
        tasks,
        failedTasks: state === 'FAILED' ? tasks : 0,
        connectorClass,
        topicsRegex: null,
      });
      connectorRefs.push({ ref, source, external, running: state === 'RUNNING' });
    }

    // Consumer groups: most are named after their service; some services run several, some (APIs) none.
    const owners: NodeRef[] = [...teamServices.values()].flat();
    for (let i = 0; i < groups; i += 1) {
      const owner = i < streamAppRefs.length ? streamAppRefs[i]! : owners[Math.min(owners.length - 1, Math.floor(owners.length * this.#rand() ** 1.3))]!;
      const name = this.#uniqueName('consumerGroup', (k) => (k === 0 ? owner.name : k < 4 ? `${owner.name}.${this.#pick(GROUP_SUFFIXES)}` : `${owner.name}.${this.#pick(DOMAINS)}-handler${k}`));
      let status: GroupStatus = 'OK';
      let acc = 0;
      const r = this.#rand();
      for (const [s, p] of STATUS_MIX) {
        acc += p;
        if (r < acc) {
          status = s;
          break;
        }
      }
      const members = status === 'STOP' ? 0 : this.#int(1, 12);
      const lag = status === 'NO_COMMIT' ? null : Math.round(status === 'OK' ? this.#logNormal(20, 1.5) : status === 'WARN' ? this.#logNormal(4_000, 1.2) : this.#logNormal(40_000, 1.5));
      const lagSeconds = lag === null || status === 'EVALUATING' ? null : roundTo(status === 'OK' ? this.#logNormal(1.5, 0.8) : status === 'WARN' ? this.#logNormal(90, 1) : this.#logNormal(1_800, 1), 1);
      const factor = status === 'STALL' || status === 'STOP' ? 0 : status === 'NO_COMMIT' ? null : status === 'WARN' ? 0.8 : 1;
      const ref = this.#addNode('consumerGroup', name, { type: this.#rand() < 0.3 ? 'consumer' : 'classic', protocolType: 'consumer', state: members === 0 ? 'Empty' : 'Stable', members, status });
      this.#groups.push({ ref, owner, status, members, lag, lagSeconds, factor, topics: [] });
    }
    for (let i = 0; i < unknowns; i += 1) {
      const topic = topicNames[Math.floor(this.#rand() * topicNames.length)]!;
      if (!this.#nodes.has(nodeId({ kind: 'unknownProducer', name: topic }))) this.#addNode('unknownProducer', topic);
      else i -= 1;
    }
    if (this.#nodes.size !== n) throw new Error(`synthetic topology: ${this.#nodes.size} nodes, expected ${n}`);

    // memberOf: every group to its owner; an empty group's membership was last seen a while ago.
    for (const g of this.#groups) {
      const state: EdgeState = g.members === 0 ? (this.#rand() < 0.5 ? 'recent' : 'stale') : 'live';
      const clients = Array.from({ length: Math.min(10, Math.max(1, g.members)) }, (_, k) => `${g.owner.name}-${(0x5f3a + k * 7919).toString(16)}-${k}`);
      this.#addEdge('memberOf', g.ref, g.owner, state, [
        { source: 'observed.groupAssignment', key: 'members', weight: 0.95, detail: { clients, hosts: clients.map((_, k) => `10.4.${k}.${(k * 37) % 250}`), instances: Math.max(1, g.members) } },
      ]);
    }

    // Writers: a service of the topic's team (or a stream app / source connector), sometimes two; a few topics only
    // have an unknown writer, and some have none known (all unattributed).
    let pid = 4000;
    const produceEvidence = (writer: NodeRef, topic: string, method: Writer['method']) => {
      pid += this.#int(1, 40);
      const session = { source: 'observed.producerSession' as const, key: `pid:${pid}`, weight: 0.9, detail: { producerId: String(pid), epoch: this.#int(0, 3), partitions: ['0', '1', '2'], transactionalId: null, attributedVia: 'header' } };
      const header = { source: 'observed.header' as const, key: 'ce_source', weight: 0.8, detail: { header: 'ce_source', value: `//${writer.name}`, eventType: `com.acme.${topic}` } };
      return method === 'sequence' ? [session, header] : [header];
    };
    const addWriter = (writer: NodeRef, topic: string, share: number, declared: 'no' | 'also' | 'only' = 'no') => {
      const method: Writer['method'] = this.#rand() < 0.6 ? 'sequence' : 'sampledShare';
      const declaration = { source: 'declared.asyncapi' as const, key: `asyncapi/${writer.name}.yaml#publish`, weight: 0.6, detail: { document: `asyncapi/${writer.name}.yaml`, operationId: 'publish' } };
      const evidence = declared === 'only' ? [declaration] : declared === 'also' ? [...produceEvidence(writer, topic, method), declaration] : produceEvidence(writer, topic, method);
      if (this.#addEdge('produces', writer, { kind: 'topic', name: topic }, declared === 'only' ? 'declaredOnly' : this.#observedState(), evidence) && declared !== 'only') {
        this.#writers.push({ ref: writer, topic, share, method });
      }
    };
    for (const topic of topicNames) {
      const team = this.#topicTeam.get(topic)!;
      const candidates = teamServices.get(team)!;
      const r = this.#rand();
      if (this.#nodes.has(nodeId({ kind: 'unknownProducer', name: topic }))) {
        this.#addEdgeUnknown(topic, ++pid);
        continue;
      }
      if (r < 0.03) continue; // no known writer: the whole rate is unattributed
      const declared = this.#rand() < 0.08 ? 'also' : 'no';
      if (r < 0.06) addWriter(this.#pick(streamAppRefs), topic, 1, declared);
      else if (r < 0.16) {
        addWriter(this.#pick(candidates), topic, 0.7, declared);
        addWriter(this.#pick(owners), topic, 0.3);
      } else if (r < 0.21) addWriter(this.#pick(candidates), topic, 0.5, declared); // half of it unattributed
      else addWriter(this.#pick(candidates), topic, 1, declared);
      if (this.#rand() < 0.02) addWriter(this.#pick(candidates), topic, 0, 'only');
    }
    // Dead letters: the topic whose failed records land in team.domain.dlq.
    for (const dlq of dlqs) {
      const [team, domain] = dlq.split('.') as [string, string];
      const source = topicNames.find((t) => t.startsWith(`${team}.${domain}.`)) ?? teamTopics.get(team)?.[0] ?? topicNames[0]!;
      this.#addEdge('deadLetters', { kind: 'topic', name: source }, { kind: 'topic', name: dlq }, this.#observedState(), [
        { source: 'observed.header', key: 'spring-dead-letter', weight: 0.8, detail: { framework: 'spring', originalGroup: `${team}-worker`, connector: null, exception: 'org.springframework.kafka.listener.ListenerExecutionFailedException' } },
      ]);
    }
    // Connectors: external → source connector → topics; topics → sink connector → external.
    for (const c of connectorRefs) {
      const state: EdgeState = c.running ? 'live' : 'recent';
      const connectEvidence = { source: 'observed.connect' as const, key: 'connector.class', weight: 0.8, detail: { connectorClass: String(this.#nodes.get(nodeId(c.ref))!.detail.connectorClass) } };
      if (c.source) this.#addEdge('connects', c.external, c.ref, state, [connectEvidence]);
      else this.#addEdge('connects', c.ref, c.external, state, [connectEvidence]);
      for (let k = this.#int(1, 3); k > 0; k -= 1) {
        const topic = this.#pick(topicNames);
        const evidence = [{ source: 'observed.connect' as const, key: 'kip558', weight: 0.95, detail: { connector: c.ref.name, state: c.running ? 'RUNNING' : 'FAILED' } }];
        if (c.source) {
          if (this.#addEdge('produces', c.ref, { kind: 'topic', name: topic }, state, evidence)) this.#writers.push({ ref: c.ref, topic, share: 0, method: 'sampledShare' });
        } else this.#addEdge('consumes', { kind: 'topic', name: topic }, c.ref, state, evidence);
      }
    }

    // Consumes: every group reads at least one topic (mostly its own team's), then more until edges = 2 × nodes.
    const consume = (g: Group): boolean => {
      const team = g.owner.name.split('-')[0]!;
      const own = teamTopics.get(team) ?? [];
      const pool = own.length > 0 && this.#rand() < 0.6 ? own : topicNames;
      const topic = this.#rand() < 0.03 && dlqs.length > 0 ? this.#pick(dlqs) : this.#pick(pool);
      const empty = g.members === 0;
      const declared = this.#rand() < 0.03 ? 'only' : this.#rand() < 0.06 ? 'also' : 'no';
      const state: EdgeState = declared === 'only' ? 'declaredOnly' : empty ? (this.#rand() < 0.5 ? 'recent' : 'stale') : this.#observedState();
      const evidence: { source: EvidenceSource; key: string; weight: number; detail: Detail }[] = [];
      if (declared !== 'only') {
        if (!empty) evidence.push({ source: 'observed.groupAssignment', key: 'assignment', weight: 0.95, detail: { partitions: this.#int(1, 12), members: g.members } });
        evidence.push({ source: 'observed.committedOffset', key: 'commits', weight: 0.5, detail: { partitionsCommitted: this.#int(1, 12) } });
      }
      if (declared !== 'no') evidence.push({ source: 'declared.asyncapi', key: `asyncapi/${g.owner.name}.yaml#subscribe`, weight: 0.6, detail: { document: `asyncapi/${g.owner.name}.yaml`, operationId: 'subscribe' } });
      if (!this.#addEdge('consumes', { kind: 'topic', name: topic }, g.ref, state, evidence)) return false;
      if (declared !== 'only') g.topics.push(topic);
      return true;
    };
    for (const g of this.#groups) {
      if (this.#edgeIds.size >= edgeTarget) break;
      while (!consume(g));
    }
    while (this.#edgeIds.size < edgeTarget) consume(this.#groups[Math.floor(this.#groups.length * this.#rand() ** 1.5)]!);
    if (this.#edgeIds.size !== edgeTarget) throw new Error(`synthetic topology: ${this.#edgeIds.size} edges, expected ${edgeTarget}`);
  }

  #addEdgeUnknown(topic: string, pid: number): void {
    const writer: NodeRef = { kind: 'unknownProducer', name: topic };
    this.#addEdge('produces', writer, { kind: 'topic', name: topic }, 'live', [
      { source: 'observed.producerSession', key: `pid:${pid}`, weight: 0.9, detail: { producerId: String(pid), epoch: 0, partitions: ['0'], transactionalId: null, attributedVia: null } },
    ]);
    this.#writers.push({ ref: writer, topic, share: 1, method: 'sequence' });
  }

  // ---- live figures -----------------------------------------------------------------------------------------------
  /** One poll cycle's worth of change. Returns how many topics and groups moved. */
  tick(kind: TickKind, now = Date.now()): { topics: number; groups: number } {
    this.#ticks += 1;
    const share = kind === 'all' ? 1 : 0.1;
    let topics = 0;
    for (const [name, rate] of this.#topicRate) {
      if (rate === 0 || this.#rand() >= share) continue;
      this.#topicRate.set(name, Math.max(0.001, roundTo(rate * Math.exp(0.08 * this.#gauss()), 3)));
      topics += 1;
    }
    let groups = 0;
    for (const g of this.#groups) {
      if (g.lag === null || this.#rand() >= share) continue;
      groups += 1;
      if (g.status === 'STALL' || g.status === 'STOP') {
        g.lag += Math.max(1, Math.round(g.topics.reduce((sum, t) => sum + (this.#topicRate.get(t) ?? 0), 0)));
        if (g.lagSeconds !== null) g.lagSeconds = roundTo(g.lagSeconds + 1, 1);
      } else {
        g.lag = Math.max(0, Math.round(g.lag * Math.exp(0.3 * this.#gauss())) + (this.#rand() < 0.5 ? 1 : 0));
        if (g.lagSeconds !== null) g.lagSeconds = roundTo(Math.max(0, g.lagSeconds * Math.exp(0.3 * this.#gauss())), 1);
      }
      // Now and then a group crosses the line between OK and WARN.
      if ((g.status === 'OK' || g.status === 'WARN') && this.#rand() < 0.03) {
        g.status = g.status === 'OK' ? 'WARN' : 'OK';
        g.factor = g.status === 'WARN' ? 0.8 : 1;
        this.#nodes.get(nodeId(g.ref))!.detail.status = g.status;
      }
    }
    if (kind !== 'sparse') {
      this.#clock = now;
      if (now - this.#lastSampledAt >= 60_000) this.#lastSampledAt = now;
    }
    return { topics, groups };
  }

  get ticks(): number {
    return this.#ticks;
  }

  #edgeRates(): Map<string, EdgeMetrics> {
    const rates = new Map<string, EdgeMetrics>();
    for (const w of this.#writers) {
      if (this.#edgeStates.get(edgeId('produces', w.ref, { kind: 'topic', name: w.topic })) === 'stale') continue;
      const topicRate = this.#topicRate.get(w.topic) ?? 0;
      // Connector writes are not measured by a method of their own: they come in as the topic's rate.
      rates.set(edgeId('produces', w.ref, { kind: 'topic', name: w.topic }), w.share === 0 ? { messagesPerSec: topicRate, bytesPerSec: null, method: 'topicRate' } : { messagesPerSec: roundTo(topicRate * w.share, 3), bytesPerSec: null, method: w.method });
    }
    for (const g of this.#groups) {
      for (const t of g.topics) {
        const topicRate = this.#topicRate.get(t) ?? 0;
        rates.set(edgeId('consumes', { kind: 'topic', name: t }, g.ref), { messagesPerSec: g.factor === null ? null : roundTo(topicRate * g.factor, 3), bytesPerSec: null, method: 'committedOffsets' });
      }
    }
    return rates;
  }

  /** The live graph as the hub would send it: built by the real buildGraph from this model's evidence and rates. */
  graph(at = Date.now(), showHidden = false): Topology {
    const clock = this.#clock;
    const spans: EvidenceSpan[] = this.#facts.map((f) => ({
      ...f.span,
      firstSeen: f.firstSeen,
      lastSeen: f.seen === 'tick' ? clock : f.seen === 'sampled' ? Math.min(this.#lastSampledAt, clock) : f.lastSeen,
    }));
    const nodes: NodeSpan[] = [...this.#nodes.values()].map((n) => ({ node: n.ref, firstSeen: this.#t0 - 30 * 86_400_000, lastSeen: clock, detail: { ...n.detail } }));
    const built = buildGraph({ at: clock, spans, nodes, rates: { topics: this.#topicRate, edges: this.#edgeRates() }, settings: { ...DEFAULT_GRAPH_SETTINGS, showHidden } });
    const health = new Map<string, NodeHealth>(this.#groups.map((g) => [g.ref.name, { status: g.status, statusReason: STATUS_REASON[g.status], lag: g.lag, lagSeconds: g.lagSeconds }]));
    return {
      cluster: this.cluster,
      at,
      observedAt: at,
      historical: false,
      nodes: withGroupHealth(built.nodes, (group) => health.get(group) ?? null),
      edges: built.edges,
      sources: ['groups', 'producers', 'transactions', 'headers', 'connect', 'asyncapi'].map((source) => ({ source, enabled: true, lastRunAt: clock, error: null })),
      cost: { requests: 3, sampledPartitions: 8, bytesRead: 3_768 },
    };
  }

  /** Counts by kind, state and status: what the bench prints so the shape of the graph is on record. */
  shape(): SyntheticShape {
    const g = this.graph(this.#clock);
    const count = <T>(items: readonly T[], key: (item: T) => string) => {
      const out: Record<string, number> = {};
      for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
      return out;
    };
    return {
      nodes: g.nodes.length,
      edges: g.edges.length,
      byNodeKind: count(g.nodes, (n) => n.kind),
      byEdgeKind: count(g.edges, (e) => e.kind),
      byEdgeState: count(g.edges, (e) => e.state),
      byStatus: count(g.nodes.filter((n) => n.kind === 'consumerGroup'), (n) => n.health?.status ?? 'none'),
    };
  }
}
