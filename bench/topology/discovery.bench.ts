/**
 * Topology discovery at scale, against the bench broker and cluster of bench/poll (2,000 topics × 5 partitions, 600
 * active topics = 3,000 partitions holding data, plus __consumer_offsets' 50; 500 groups with committed offsets and
 * no members).
 *   node --expose-gc --import tsx bench/topology/discovery.bench.ts [--budget default|large] [--minutes 9]
 *        [--steady-cycles 14] [--traffic-cycles 0] [--after-traffic-cycles 12] [--naive] [--json out.json]
 * Starts the real server (createTopologServer, fresh data dir, UI off) and measures, per discovery cycle:
 * Kafka requests by API, the sampler's bytes and partitions, the cycle's wall time split by phase, and how far the
 * graph is from complete. "Complete" = every group's consumes edges are in the graph AND every partition holding data
 * (hwm > log start) has been sampled at least once. Phases, in order:
 *   1. cold start until complete, or until --minutes (then the time to complete is extrapolated, and said so);
 *   2. steady state (only once complete): --steady-cycles cycles with nothing changing;
 *   3. traffic (--traffic-cycles > 0): two small kafkajs producers with CloudEvents headers on 10 active topics (one
 *      plain, one idempotent so that producer sessions exist), to show the resampling and DescribeProducers cost of
 *      moving partitions. They add records to existing active topics:
 *      the layout (topics, partitions, groups) is unchanged, only those topics' high watermarks grow. Then
 *      --after-traffic-cycles cycles with the producers stopped, to see how long their edges keep a rate;
 *   4. --naive: one read of every partition holding data (what reading them all every cycle would cost) and one
 *      DescribeProducers of every partition, with the same code the sampler uses.
 * Nothing in server/ is edited: timings come from wrapping methods (instance or prototype) in this process only.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import type { Topology } from '../../lib/contract';
import { suppressTimeoutNegativeWarning } from '../../demo/lib/kafka';
import { createTopologServer } from '../../server/app';
import { configSchema } from '../../server/config/schema';
import { describeProducersByLeader } from '../../server/kafka/producers';
import { sampleRecordsBatch, type SampleRequest } from '../../server/kafka/record-sampler';
import { RequestStats } from '../../server/kafka/request-stats';
import { EvidenceLog } from '../../server/store';
import { ClusterTopology } from '../../server/topology/discovery';
import { HeaderSampler } from '../../server/topology/header-sampler';
import { ProducerSessions } from '../../server/topology/producer-sessions';
import { BENCH_BROKERS, GROUPS, PARTITIONS_PER_TOPIC, TOPICS, groupName, isActiveTopic, mb, percentile, topicName, topicsOfGroup } from '../poll/layout';

suppressTimeoutNegativeWarning();

const { values: args } = parseArgs({
  options: {
    budget: { type: 'string', default: 'default' },
    minutes: { type: 'string', default: '9' },
    'steady-cycles': { type: 'string', default: '14' },
    'traffic-cycles': { type: 'string', default: '0' },
    'after-traffic-cycles': { type: 'string', default: '12' },
    naive: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const BUDGETS = {
  // The schema's defaults (server/config/schema.ts), written out so the result says what was measured.
  default: { maxPartitionsPerCycle: 20, maxBytesPerCycle: 256 * 1024, maxBytesPerPartition: 32 * 1024, recordsPerPartition: 10, resampleMs: 60_000 },
  large: { maxPartitionsPerCycle: 200, maxBytesPerCycle: 4 * 1024 * 1024, maxBytesPerPartition: 32 * 1024, recordsPerPartition: 10, resampleMs: 60_000 },
} as const;
const budgetName = args.budget as keyof typeof BUDGETS;
if (!(budgetName in BUDGETS)) throw new Error(`--budget must be one of ${Object.keys(BUDGETS).join(', ')}`);
const budget = BUDGETS[budgetName];
const CAP_MS = Number(args.minutes) * 60_000;
const STEADY_CYCLES = Number(args['steady-cycles']);
const TRAFFIC_CYCLES = Number(args['traffic-cycles']);
const AFTER_TRAFFIC_CYCLES = Number(args['after-traffic-cycles']);
const POLL_MS = 5_000;
/** What HeaderSampler.plan() actually allows per cycle: the partition cap, or the byte budget over the per-partition limit. */
const planLimit = Math.min(budget.maxPartitionsPerCycle, Math.max(1, Math.floor(budget.maxBytesPerCycle / budget.maxBytesPerPartition)));

const t00 = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - t00) / 1000).toFixed(1)} s] ${line}`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const sumOf = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const stat = (v: number[]) => (v.length === 0 ? null : { median: round(percentile(v, 50)), p95: round(percentile(v, 95)), max: round(Math.max(...v)), n: v.length });

function codeVersion(): { commit: string; dirty: string[] } {
  const git = (cmd: string) => execSync(`git ${cmd}`, { cwd: import.meta.dirname, encoding: 'utf8' }).trim();
  try {
    return { commit: git('rev-parse --short HEAD'), dirty: git('status --porcelain -- ../../server/topology ../../server/kafka ../../server/poller ../../server/store ../../lib/topology').split('\n').filter(Boolean) };
  } catch {
    return { commit: 'unknown', dirty: [] };
  }
}

function memory() {
  global.gc?.();
  global.gc?.();
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), peakRssMb: mb(process.resourceUsage().maxRSS * 1024), gcRan: typeof global.gc === 'function' };
}

// ---------------------------------------------------------------------------------------------------------------
// Instrumentation: wrap prototypes, in this process only. Each wrapper adds to the current cycle's record.
// ---------------------------------------------------------------------------------------------------------------
interface Phases {
  planMs: number;
  planned: number;
  readMs: number;
  interpretMs: number;
  sharesOfMs: number;
  sharesOfCalls: number;
  ingestMs: number;
  described: number;
  freshSessions: number;
  producersPhaseMs: number;
  observeMs: number;
  graphNowMs: number;
}
const newPhases = (): Phases => ({ planMs: 0, planned: 0, readMs: 0, interpretMs: 0, sharesOfMs: 0, sharesOfCalls: 0, ingestMs: 0, described: 0, freshSessions: 0, producersPhaseMs: 0, observeMs: 0, graphNowMs: 0 });
let phases = newPhases();
let samplerRetainEndedAt = 0;
/** Every partition the sampler has interpreted (and so recorded as sampled), with how often. */
const sampledTimes = new Map<string, number>();
let discoveryRequests: Record<string, number> = {};
let adapterStats: RequestStats | null = null;

function wrap<T extends object>(proto: T, name: string, after: (ms: number, args: unknown[], result: unknown, start: number) => void): void {
  const p = proto as Record<string, (...a: unknown[]) => unknown>;
  const original = p[name]!;
  p[name] = function (this: unknown, ...a: unknown[]) {
    const start = performance.now();
    const result = original.apply(this, a);
    if (result instanceof Promise) return result.then((r) => (after(performance.now() - start, a, r, start), r));
    after(performance.now() - start, a, result, start);
    return result;
  };
}
wrap(HeaderSampler.prototype, 'plan', (ms, _a, r) => {
  phases.planMs += ms;
  phases.planned = (r as unknown[]).length;
});
wrap(HeaderSampler.prototype, 'read', (ms) => (phases.readMs += ms));
wrap(HeaderSampler.prototype, 'interpret', (ms, a) => {
  phases.interpretMs += ms;
  for (const r of a[0] as { topic: string; partition: number; error: string | null; batches: unknown[] }[]) {
    if (r.error && r.batches.length === 0) continue; // interpret() does not record these as sampled either
    const key = `${r.topic}/${r.partition}`;
    sampledTimes.set(key, (sampledTimes.get(key) ?? 0) + 1);
  }
});
wrap(HeaderSampler.prototype, 'sharesOf', (ms) => {
  phases.sharesOfMs += ms;
  phases.sharesOfCalls += 1;
});
// run() calls sessions.retain() then sampler.retain() right before the producers source: its DescribeProducers
// request happens between the end of sampler.retain() and the start of sessions.ingest().
wrap(HeaderSampler.prototype, 'retain', () => (samplerRetainEndedAt = performance.now()));
wrap(ProducerSessions.prototype, 'ingest', (ms, a, r, start) => {
  phases.ingestMs += ms;
  phases.described = (a[0] as unknown[]).length;
  phases.freshSessions = (r as unknown[]).length;
  phases.producersPhaseMs = start - samplerRetainEndedAt;
});
wrap(EvidenceLog.prototype, 'observe', (ms) => (phases.observeMs += ms));
wrap(ClusterTopology.prototype, 'graphNow', (ms) => (phases.graphNowMs += ms));
// Discovery's own RequestStats answers takeCycle() once per run; the watcher's adapter has another instance.
const takeCycle = RequestStats.prototype.takeCycle;
RequestStats.prototype.takeCycle = function (this: RequestStats) {
  const cycle = takeCycle.call(this);
  if (this !== adapterStats) discoveryRequests = cycle;
  return cycle;
};

// ---------------------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------------------
const code = codeVersion();
const loadAtStart = loadavg().map((x) => round(x, 2));
const dataDir = mkdtempSync(join(tmpdir(), 'topolog-discovery-bench-'));
log(`code ${JSON.stringify(code)}, load average ${loadAtStart.join(' ')}, budget ${budgetName} ${JSON.stringify(budget)} (plan limit ${planLimit} partitions/cycle), data dir ${dataDir}`);
const config = configSchema.parse({
  host: '127.0.0.1',
  port: 0,
  dataDir,
  pollIntervalMs: POLL_MS,
  slowPollIntervalMs: 30_000,
  clusters: [{ id: 'bench', name: 'discovery bench', brokers: BENCH_BROKERS, topology: { sampler: budget } }],
});
const serverLog: string[] = [];
const server = await createTopologServer(config, { ui: false, log: (l) => (serverLog.push(l), log(`server: ${l}`)) });
const watcher = server.watchers.get('bench')!;
const topology = server.topologies.get('bench')!;
adapterStats = watcher.adapter.stats;

interface CycleRow {
  cycle: number;
  /** Since listen(), at the end of the cycle. */
  atS: number;
  wallMs: number;
  requests: Record<string, number>;
  cost: Topology['cost'];
  phases: Phases;
  nodes: number;
  edges: number;
  consumesEdges: number;
  producesEdges: number;
  groupsComplete: number;
  activeSampled: number;
  distinctSampled: number;
  topicsWithEventTypes: number;
  /** Sum of the produces edges' rates of the bench's traffic producers (records/s). */
  billingRate: number;
  ordersRate: number;
}
const rows: CycleRow[] = [];
let watcherUpdates = 0;
let firstWatcherUpdateS: number | null = null;
watcher.on('update', (o) => {
  if (o.cluster.state !== 'ok') return;
  watcherUpdates += 1;
  firstWatcherUpdateS ??= round((performance.now() - tListen) / 1000, 2);
});

/** Partitions holding data, as the sampler sees them (hwm > log start), fixed at the first discovery cycle. */
let active = null as Set<string> | null;
let activeInternal = 0;
const expectedConsumes = new Set<string>();
for (let g = 0; g < GROUPS; g++) for (const t of topicsOfGroup(g)) expectedConsumes.add(`topic:${topicName(t)}|consumerGroup:${groupName(g)}`);
const expectedActiveByLayout = Array.from({ length: TOPICS }, (_, i) => i).filter(isActiveTopic).length * PARTITIONS_PER_TOPIC;

let onCycle: ((row: CycleRow) => void) | null = null;
const serviceRate = (graph: Topology, service: string) =>
  round(graph.edges.filter((e) => e.kind === 'produces' && e.from === `service:${service}`).reduce((sum, e) => sum + (e.metrics.messagesPerSec ?? 0), 0), 3);
const run = topology.run.bind(topology);
let runStart = 0;
// Timed on the instance before start(): ClusterTopology.start() calls this.run().
topology.run = async (now?: number) => {
  phases = newPhases();
  runStart = performance.now();
  await run(now);
};
let listenerMs = 0;
topology.on('cycle', (at) => {
  const t = performance.now();
  // The bench looks at the graph every cycle, as a subscribed map would.
  const g = topology.graphNow(at);
  const wallMs = t - runStart;
  if (!active) {
    active = new Set();
    for (const p of watcher.metadata?.partitions ?? []) {
      const o = watcher.engine.partitionOffsets(p.topic, p.partition);
      if (o && o.hwm !== null && o.hwm > (o.logStart ?? 0)) active.add(`${p.topic}/${p.partition}`);
    }
    const internal = new Set((watcher.metadata?.topics ?? []).filter((t) => t.internal).map((t) => t.name));
    activeInternal = [...active].filter((k) => internal.has(k.slice(0, k.lastIndexOf('/')))).length;
    log(`partitions holding data (hwm > log start): ${active.size}, ${activeInternal} of them in internal topics (layout: ${expectedActiveByLayout}); metadata partitions ${watcher.metadata?.partitions.length}`);
  }
  const consumes = new Set<string>();
  let produces = 0;
  for (const e of g.edges) {
    if (e.kind === 'consumes') consumes.add(`${e.from}|${e.to}`);
    else if (e.kind === 'produces') produces += 1;
  }
  let groupsComplete = 0;
  for (let gi = 0; gi < GROUPS; gi++) if (topicsOfGroup(gi).every((t) => consumes.has(`topic:${topicName(t)}|consumerGroup:${groupName(gi)}`))) groupsComplete += 1;
  let activeSampled = 0;
  for (const k of active) if (sampledTimes.has(k)) activeSampled += 1;
  const row: CycleRow = {
    cycle: rows.length + 1,
    atS: round((t - tListen) / 1000, 2),
    wallMs: round(wallMs - listenerMs),
    requests: discoveryRequests,
    cost: g.cost,
    phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(v)])) as unknown as Phases,
    nodes: g.nodes.length,
    edges: g.edges.length,
    consumesEdges: [...consumes].filter((c) => expectedConsumes.has(c)).length,
    producesEdges: produces,
    groupsComplete,
    activeSampled,
    distinctSampled: sampledTimes.size,
    billingRate: serviceRate(g, 'bench-billing-service'),
    ordersRate: serviceRate(g, 'bench-orders-service'),
    topicsWithEventTypes: g.nodes.filter((n) => n.kind === 'topic' && Array.isArray(n.detail.eventTypes) && n.detail.eventTypes.length > 0).length,
  };
  rows.push(row);
  listenerMs = performance.now() - t; // the next cycle's wall time leaves this listener's own cost out
  onCycle?.(row);
});

const nextCycles = (n: number, until?: (r: CycleRow) => boolean, timeoutMs = Number.POSITIVE_INFINITY) =>
  new Promise<CycleRow[]>((resolve) => {
    const got: CycleRow[] = [];
    // setTimeout(Infinity) fires at once (TimeoutOverflowWarning): no timer when there is no cap.
    const timer = Number.isFinite(timeoutMs) ? setTimeout(() => ((onCycle = null), resolve(got)), timeoutMs) : null;
    onCycle = (r) => {
      got.push(r);
      if (got.length >= n || until?.(r)) {
        if (timer) clearTimeout(timer);
        onCycle = null;
        resolve(got);
      }
    };
  });

const describeRow = (r: CycleRow) =>
  `cycle ${r.cycle} at ${r.atS} s: ${r.wallMs} ms, requests ${JSON.stringify(r.requests)}, sampled ${r.cost?.sampledPartitions ?? 0} (${r.cost?.bytesRead ?? 0} B), described ${r.phases.described}, ` +
  `active sampled ${r.activeSampled}/${active?.size}, consumes ${r.consumesEdges}/${expectedConsumes.size}, produces ${r.producesEdges}, nodes ${r.nodes}, edges ${r.edges}; ` +
  `plan ${r.phases.planMs} ms, read ${r.phases.readMs} ms, sharesOf ${r.phases.sharesOfMs} ms (${r.phases.sharesOfCalls}), graphNow ${r.phases.graphNowMs} ms, observe ${r.phases.observeMs} ms`;
const isComplete = (r: CycleRow) => r.consumesEdges === expectedConsumes.size && active !== null && r.activeSampled === active.size;

// ---------------------------------------------------------------------------------------------------------------
// 1. Cold start
// ---------------------------------------------------------------------------------------------------------------
const memoryBefore = memory();
const tListen = performance.now();
const url = await server.listen();
log(`listening on ${url}; cold start, cap ${args.minutes} min`);
const coldTimer = setInterval(() => {
  const r = rows.at(-1);
  if (r) log(describeRow(r));
}, 30_000);
const cold = await nextCycles(Number.POSITIVE_INFINITY, isComplete, CAP_MS);
clearInterval(coldTimer);
const last = cold.at(-1)!;
log(describeRow(last));
const complete = isComplete(last);
const consumesCompleteAt = cold.find((r) => r.consumesEdges === expectedConsumes.size) ?? null;
const memoryCold = memory();

// Per-cycle new samples after the first cycle, and the spacing of discovery cycles: the basis of an extrapolation.
const newPerCycle = cold.slice(1).map((r, i) => r.activeSampled - cold[i]!.activeSampled);
const gaps = cold.slice(1).map((r, i) => r.atS - cold[i]!.atS);
const remaining = (active?.size ?? 0) - last.activeSampled;
const ratePerCycle = percentile(newPerCycle, 50);
const gapS = percentile(gaps, 50);
const coldStart = {
  complete,
  capMinutes: Number(args.minutes),
  firstWatcherUpdateS,
  firstDiscoveryCycleS: cold[0]?.atS ?? null,
  consumesCompleteS: consumesCompleteAt?.atS ?? null,
  consumesCompleteCycle: consumesCompleteAt?.cycle ?? null,
  timeToCompleteS: complete ? last.atS : null,
  cyclesToComplete: complete ? last.cycle : null,
  activePartitions: active?.size ?? null,
  activeSampledAtEnd: last.activeSampled,
  newSamplesPerCycleMedian: ratePerCycle,
  discoveryCycleSpacingSMedian: round(gapS, 2),
  watcherUpdates,
  discoveryCycles: cold.length,
  skippedWatcherUpdates: watcherUpdates - cold.length,
  extrapolated: complete
    ? null
    : {
        note: 'NOT measured: the remaining partitions at the measured median rate and cycle spacing',
        remainingPartitions: remaining,
        cyclesMore: Math.ceil(remaining / ratePerCycle),
        timeToCompleteS: round(last.atS + Math.ceil(remaining / ratePerCycle) * gapS),
      },
  firstCycle: cold[0] ?? null,
  sampling: summarise(cold.slice(1).filter((r) => (r.cost?.sampledPartitions ?? 0) > 0)),
  totals: totals(cold),
};
log(`cold start: ${JSON.stringify({ ...coldStart, firstCycle: undefined })}`);

function summarise(rs: CycleRow[]) {
  if (rs.length === 0) return null;
  const apis = new Set(rs.flatMap((r) => Object.keys(r.requests)));
  return {
    cycles: rs.length,
    wallMs: stat(rs.map((r) => r.wallMs)),
    requestsPerCycle: stat(rs.map((r) => r.cost?.requests ?? 0)),
    requestsByApiMean: Object.fromEntries([...apis].sort().map((api) => [api, round(rs.reduce((s, r) => s + (r.requests[api] ?? 0), 0) / rs.length, 2)])),
    sampledPartitionsPerCycle: stat(rs.map((r) => r.cost?.sampledPartitions ?? 0)),
    bytesReadPerCycle: stat(rs.map((r) => r.cost?.bytesRead ?? 0)),
    bytesPerSampledPartition: round(rs.reduce((s, r) => s + (r.cost?.bytesRead ?? 0), 0) / Math.max(1, rs.reduce((s, r) => s + (r.cost?.sampledPartitions ?? 0), 0))),
    describedPartitionsPerCycle: stat(rs.map((r) => r.phases.described)),
    phasesMsMedian: Object.fromEntries((Object.keys(newPhases()) as (keyof Phases)[]).filter((k) => k.endsWith('Ms')).map((k) => [k, round(percentile(rs.map((r) => r.phases[k]), 50))])),
    phasesMsMax: Object.fromEntries((Object.keys(newPhases()) as (keyof Phases)[]).filter((k) => k.endsWith('Ms')).map((k) => [k, round(Math.max(...rs.map((r) => r.phases[k])))])),
  };
}
function totals(rs: CycleRow[]) {
  const byApi: Record<string, number> = {};
  for (const r of rs) for (const [api, n] of Object.entries(r.requests)) byApi[api] = (byApi[api] ?? 0) + n;
  return { requests: sumOf(byApi), byApi, bytesRead: rs.reduce((s, r) => s + (r.cost?.bytesRead ?? 0), 0), sampled: rs.reduce((s, r) => s + (r.cost?.sampledPartitions ?? 0), 0) };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Steady state: nothing changes
// ---------------------------------------------------------------------------------------------------------------
let steady: object | null = null;
if (complete && STEADY_CYCLES > 0) {
  log(`steady state: ${STEADY_CYCLES} cycles with no traffic`);
  const rs = await nextCycles(STEADY_CYCLES);
  steady = { ...summarise(rs)!, rows: rs.map((r) => ({ cycle: r.cycle, wallMs: r.wallMs, requests: r.requests, bytesRead: r.cost?.bytesRead, described: r.phases.described, sharesOfMs: r.phases.sharesOfMs, graphNowMs: r.phases.graphNowMs })) };
  log(`steady: ${JSON.stringify(steady)}`);
}
const memorySteady = memory();

// ---------------------------------------------------------------------------------------------------------------
// 3. Traffic: CloudEvents producers on 10 active topics
// ---------------------------------------------------------------------------------------------------------------
let traffic: Record<string, unknown> | null = null;
if (TRAFFIC_CYCLES > 0) {
  const activeTopics = Array.from({ length: TOPICS }, (_, i) => i).filter(isActiveTopic);
  const plainTopics = activeTopics.slice(0, 5).map(topicName);
  const idemTopics = activeTopics.slice(5, 10).map(topicName);
  // kafkajs for both: an idempotent @platformatic/kafka 2.12.1 Producer never answered its first send on this broker.
  const orders = new Kafka({ clientId: 'bench-orders-service', brokers: BENCH_BROKERS, logLevel: logLevel.NOTHING }).producer({ allowAutoTopicCreation: false });
  const billing = new Kafka({ clientId: 'bench-billing-service', brokers: BENCH_BROKERS, logLevel: logLevel.NOTHING }).producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await orders.connect();
  await billing.connect();
  let sent = 0;
  let failedSends = 0;
  const ce = (source: string, type: string) => ({ ce_id: `${Date.now()}-${sent}`, ce_source: source, ce_type: type, ce_specversion: '1.0', 'content-type': 'application/json' });
  const batch = (topics: string[], source: string, type: string) => ({
    topicMessages: topics.map((topic) => ({ topic, messages: Array.from({ length: PARTITIONS_PER_TOPIC }, (_, p) => ({ partition: p, value: '{"n":1}', headers: ce(source, type) })) })),
  });
  // A send that hangs must not hang the bench: give up on it after 10 s.
  const bounded = (p: Promise<unknown>) =>
    Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error('send timed out')), 10_000).unref())]).then(
      () => (sent += 5 * PARTITIONS_PER_TOPIC),
      () => (failedSends += 1),
    );
  let stopping = false;
  // One record per partition of each topic every second: 25 + 25 partitions moving, 50 records/s in all.
  const loop = (async () => {
    while (!stopping) {
      const t = Date.now();
      await Promise.all([bounded(orders.sendBatch(batch(plainTopics, 'bench-orders-service', 'com.example.order.created'))), bounded(billing.sendBatch(batch(idemTopics, 'bench-billing-service', 'com.example.invoice.issued')))]);
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t))));
    }
  })();
  log(`traffic: ${plainTopics.length} topics by a plain kafkajs producer, ${idemTopics.length} by an idempotent one, ${TRAFFIC_CYCLES} cycles`);
  const rs = await nextCycles(TRAFFIC_CYCLES);
  stopping = true;
  await loop;
  await orders.disconnect();
  await billing.disconnect();
  const g = topology.graphNow();
  const producesEdges = g.edges.filter((e) => e.kind === 'produces').map((e) => ({ from: e.from, to: e.to, state: e.state, rate: e.metrics.messagesPerSec, method: e.metrics.method, sources: [...new Set(e.evidence.map((x) => x.source))] }));
  traffic = {
    recordsSent: sent,
    failedSends,
    movingPartitions: 2 * 5 * PARTITIONS_PER_TOPIC,
    ...summarise(rs),
    rows: rs.map((r) => ({ cycle: r.cycle, wallMs: r.wallMs, requests: r.requests, sampled: r.cost?.sampledPartitions, bytesRead: r.cost?.bytesRead, described: r.phases.described, fresh: r.phases.freshSessions, billingRate: r.billingRate, ordersRate: r.ordersRate })),
    producesEdges,
    afterStop: null as unknown,
  };
  log(`traffic: ${JSON.stringify(traffic)}`);
  // After the producers stop: how long do their edges keep a non-zero rate? Sessions are re-read only on partitions
  // whose end moved, or on the full DescribeProducers pass every 10th cycle.
  if (AFTER_TRAFFIC_CYCLES > 0) {
    const after: { cycle: number; sinceStopS: number; described: number; billingRate: number; ordersRate: number }[] = [];
    const stoppedAt = performance.now();
    const rsAfter = await nextCycles(AFTER_TRAFFIC_CYCLES);
    const stopAtS = (stoppedAt - tListen) / 1000;
    for (const r of rsAfter) after.push({ cycle: r.cycle, sinceStopS: round(r.atS - stopAtS), described: r.phases.described, billingRate: r.billingRate, ordersRate: r.ordersRate });
    traffic.afterStop = { note: 'sum of the produces edges rates of each producer after it stopped (records/s)', cycles: after };
    log(`after the traffic stopped: ${JSON.stringify(traffic.afterStop)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 4. The naive alternatives, measured once with the same code
// ---------------------------------------------------------------------------------------------------------------
let naive: unknown = null;
if (args.naive && active) {
  const metadata = watcher.metadata!;
  const brokers = new Map(metadata.brokers.map((b) => [b.nodeId, b]));
  const stats = new RequestStats();
  const access = { ...watcher.adapter.brokerAccess(), stats };
  const leaderOf = new Map(metadata.partitions.map((p) => [`${p.topic}/${p.partition}`, p]));
  const reads: { ms: number; bytes: number; partitions: number; requests: number; errors: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const byLeader = new Map<number, SampleRequest[]>();
    for (const key of active) {
      const p = leaderOf.get(key)!;
      const o = watcher.engine.partitionOffsets(p.topic, p.partition)!;
      byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), { topic: p.topic, partition: p.partition, leaderEpoch: p.leaderEpoch, fromOffset: Math.max(o.logStart ?? 0, (o.hwm ?? 0) - budget.recordsPerPartition), maxBytes: budget.maxBytesPerPartition }]);
    }
    const t = performance.now();
    const results = (await Promise.all([...byLeader].map(([leader, reqs]) => sampleRecordsBatch(access, brokers.get(leader)!, reqs, reqs.length * budget.maxBytesPerPartition)))).flat();
    reads.push({ ms: round(performance.now() - t), bytes: results.reduce((s, r) => s + r.bytesRead, 0), partitions: results.length, requests: sumOf(stats.takeCycle()), errors: results.filter((r) => r.error).length });
  }
  const describes: { ms: number; partitions: number; requests: number; producers: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const res = await describeProducersByLeader(access, brokers, metadata.partitions);
    describes.push({ ms: round(performance.now() - t), partitions: res.length, requests: sumOf(stats.takeCycle()), producers: res.reduce((s, r) => s + r.producers.length, 0) });
  }
  naive = { readEveryActivePartition: reads, describeEveryPartition: describes };
  log(`naive: ${JSON.stringify(naive)}`);
}

const memoryEnd = memory();
await server.close();
rmSync(dataDir, { recursive: true, force: true });

const result = {
  date: new Date().toISOString(),
  node: process.version,
  code,
  loadAtStart,
  loadAtEnd: loadavg().map((x) => round(x, 2)),
  execArgv: process.execArgv,
  budget: { name: budgetName, ...budget, planLimitPerCycle: planLimit },
  cluster: { topics: watcher.metadata?.topics.length ?? null, partitions: watcher.metadata?.partitions.length ?? null, groups: watcher.overview.groups.length, expectedConsumesEdges: expectedConsumes.size, activePartitions: active?.size ?? null, activeInInternalTopics: activeInternal, activeByLayout: expectedActiveByLayout },
  coldStart,
  steady,
  traffic,
  naive,
  memory: { beforeListen: memoryBefore, afterCold: memoryCold, afterSteady: memorySteady, end: memoryEnd },
  serverLogLines: serverLog.slice(0, 20),
};
console.log(JSON.stringify(result, null, 2));
if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
