/**
 * The lag engine's memory and per-cycle cost with history at scale, on an injected 5 s clock (no Kafka, no waiting):
 * 10,000 partitions (30 % active at 1-200 msg/s), 500 groups × 20 partitions, fed exactly as ClusterWatcher feeds it.
 *   node --expose-gc --import tsx bench/poll/history-memory.bench.ts [--hours 24] [--json out.json]
 * Each simulated fast cycle: ingestHighWatermarks, ingestCommits, evaluate, withProduceRates, residualCandidates (the
 * watcher's tick). Every 6th cycle also the slow loop's calls (setMembership, ingestLogStartOffsets, setTopicConfigs,
 * retain), as with the default 30 s slow interval. Prints RSS and heap after GC at every simulated hour (to show
 * the plateau), and the time per cycle in the first and in the last hour.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { GroupSummary, TopicSummary } from '../../lib/contract';
import type { TopicConfig } from '../../server/kafka/admin';
import type { CommittedOffset, PartitionOffset } from '../../server/kafka/offsets';
import { LagEngine } from '../../server/poller/lag-engine';
import { GROUPS, PARTITIONS_PER_TOPIC, TOPICS, codeVersion, groupName, isActiveTopic, mb, percentile, topicName, topicsOfGroup } from './layout';

const { values: args } = parseArgs({ options: { hours: { type: 'string', default: '24' }, 'idle-ms': { type: 'string', default: '10000' }, json: { type: 'string' } } });
const HOURS = Number(args.hours);
const IDLE_MS = Number(args['idle-ms']);
const POLL_MS = 5_000;
const SLOW_EVERY = 6; // 30 s slow loop, the config default
const CYCLES_PER_HOUR = 3_600_000 / POLL_MS;
const TOTAL_CYCLES = Math.round(HOURS * CYCLES_PER_HOUR);

const t00 = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - t00) / 1000).toFixed(0)} s] ${line}`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Deterministic, so two runs see the same cluster (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(42);

// ---------------------------------------------------------------------------------------------------------------
// The simulated cluster: same names and group → topic layout as the real bench cluster (layout.ts).
// ---------------------------------------------------------------------------------------------------------------
interface SimPartition { topic: string; partition: number; ratePerSec: number; hwm: number }
type Behaviour = 'keeps_up' | 'stopped' | 'slow';
interface SimGroupPartition { group: string; p: SimPartition; committed: number; behaviour: Behaviour }

const partitions: SimPartition[] = [];
const byKey = new Map<string, SimPartition>();
for (let t = 0; t < TOPICS; t++) {
  for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) {
    // Log-uniform 1..200 msg/s on active topics; the others never move.
    const sim = { topic: topicName(t), partition: p, ratePerSec: isActiveTopic(t) ? Math.exp(random() * Math.log(200)) : 0, hwm: isActiveTopic(t) ? 10 : 0 };
    partitions.push(sim);
    byKey.set(`${sim.topic}/${p}`, sim);
  }
}
// 90 % of the groups keep up, 5 % stopped (commit frozen, no members), 5 % consume at 70 % of the produce rate.
const behaviourOf = (g: number): Behaviour => (g % 20 === 0 ? 'stopped' : g % 20 === 1 ? 'slow' : 'keeps_up');
const groupPartitions: SimGroupPartition[] = [];
const membership: GroupSummary[] = [];
for (let g = 0; g < GROUPS; g++) {
  const behaviour = behaviourOf(g);
  const topics = topicsOfGroup(g).map(topicName);
  for (const topic of topics) for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) groupPartitions.push({ group: groupName(g), p: byKey.get(`${topic}/${p}`)!, committed: 0, behaviour });
  // One member owning all 20 partitions, as a classic consumer group reports it; a stopped group has none.
  const members = behaviour === 'stopped' ? [] : [{ memberId: `${groupName(g)}-m0`, clientId: `svc-${g}`, host: '/10.0.0.1', topics, assignments: topics.map((topic) => ({ topic, partitions: [0, 1, 2, 3, 4] })) }];
  membership.push({ id: groupName(g), type: 'classic', protocolType: 'consumer', state: behaviour === 'stopped' ? 'Empty' : 'Stable', members, topics, status: null, lagSum: null, lagMax: null, lagSecondsMax: null, etaSeconds: null });
}
const topicSummaries: TopicSummary[] = Array.from({ length: TOPICS }, (_, t) => ({ name: topicName(t), partitions: PARTITIONS_PER_TOPIC, replicationFactor: 1, internal: false, underReplicatedPartitions: 0, offlinePartitions: 0, produceRate: null }));
const topicConfigs = new Map<string, TopicConfig>(topicSummaries.map((t) => [t.name, { compacted: false, retentionMs: 604_800_000, timestampType: 'CreateTime', cleanupPolicy: 'delete', minInsyncReplicas: 1, retentionBytes: null, maxMessageBytes: 1_048_588 }]));
const topicNames = new Set(topicSummaries.map((t) => t.name));
const groupNames = new Set(membership.map((g) => g.id));

/** One fast cycle's inputs at `now`: what listOffsetsByLeader and fetchCommittedOffsets would return. */
function pollInputs(now: number): { hwms: PartitionOffset[]; commits: CommittedOffset[] } {
  const hwms: PartitionOffset[] = new Array(partitions.length);
  for (let i = 0; i < partitions.length; i++) {
    const p = partitions[i]!;
    // ±20 % around the partition's rate each poll: producers are not metronomes.
    if (p.ratePerSec > 0) p.hwm += Math.max(0, Math.round(p.ratePerSec * (POLL_MS / 1000) * (0.8 + 0.4 * random())));
    hwms[i] = { topic: p.topic, partition: p.partition, offset: p.hwm, observedAt: now, error: null };
  }
  const commits: CommittedOffset[] = new Array(groupPartitions.length);
  for (let i = 0; i < groupPartitions.length; i++) {
    const gp = groupPartitions[i]!;
    if (gp.behaviour === 'keeps_up') gp.committed = Math.max(gp.committed, gp.p.hwm - Math.round(gp.p.ratePerSec * 0.2));
    else if (gp.behaviour === 'slow') gp.committed = Math.min(gp.p.hwm, gp.committed + Math.round(gp.p.ratePerSec * 0.7 * (POLL_MS / 1000)));
    commits[i] = { group: gp.group, topic: gp.p.topic, partition: gp.p.partition, offset: gp.committed, observedAt: now };
  }
  return { hwms, commits };
}

// ---------------------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------------------
function memory(): { rssMb: number; heapUsedMb: number; heapTotalMb: number } {
  global.gc?.();
  global.gc?.();
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal) };
}

/**
 * Memory right after the cycles, then after IDLE_MS with nothing to do. This loop runs cycles back to back, so V8
 * never gets the idle time it uses to give freed heap pages back. The server is idle about 4.7 s of every 5, so
 * the idle figure is the one to hold against the RSS target, and the busy figure is the upper bound.
 */
async function checkpointMemory(): Promise<{ rssMb: number; heapUsedMb: number; heapTotalMb: number; rssIdleMb: number; heapTotalIdleMb: number }> {
  const busy = memory();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const idle = memory();
  return { ...busy, rssIdleMb: idle.rssMb, heapTotalIdleMb: idle.heapTotalMb };
}
if (!global.gc) log('warning: run with --expose-gc, or the memory figures include garbage');

const code = codeVersion();
const baseline = memory();
// The same constructor call as ClusterWatcher with no thresholds configured.
const engine = new LagEngine({ pollIntervalMs: POLL_MS, thresholds: {}, groupThresholds: undefined });
const noFailures = new Map<string, string>();
const start = Date.UTC(2026, 10, 1, 0, 0, 0);
const phases = { ingest: new Float64Array(TOTAL_CYCLES), evaluate: new Float64Array(TOTAL_CYCLES), produceRates: new Float64Array(TOTAL_CYCLES), residuals: new Float64Array(TOTAL_CYCLES), slow: new Float64Array(TOTAL_CYCLES), total: new Float64Array(TOTAL_CYCLES) };
// loadavg: this machine is shared, and a busy neighbour shows in the cycle times, not in the memory.
const hourly: { hour: number; rssMb: number; heapUsedMb: number; heapTotalMb: number; rssIdleMb: number; heapTotalIdleMb: number; cycleMsMedian: number; cycleMsP95: number; loadavg1: number; statuses: Record<string, number> }[] = [];
let lastSummaries: GroupSummary[] = [];

log(`simulating ${HOURS} h = ${TOTAL_CYCLES} fast cycles of ${partitions.length} partitions (${partitions.filter((p) => p.ratePerSec > 0).length} active) and ${GROUPS} groups (${groupPartitions.length} group-partitions)`);
log(`code: ${JSON.stringify(code)}`);
log(`baseline before the engine: ${JSON.stringify(baseline)}`);
for (let i = 0; i < TOTAL_CYCLES; i++) {
  const now = start + i * POLL_MS;
  const { hwms, commits } = pollInputs(now);
  const t0 = performance.now();
  if (i % SLOW_EVERY === 0) {
    engine.setMembership(membership, now);
    engine.ingestLogStartOffsets(partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: 0, observedAt: now, error: null })));
    engine.setTopicConfigs(topicConfigs);
    engine.retain(topicNames, groupNames);
  }
  const t1 = performance.now();
  engine.ingestHighWatermarks(hwms);
  engine.ingestCommits(commits, noFailures, now);
  const t2 = performance.now();
  lastSummaries = engine.evaluate(membership, now);
  const t3 = performance.now();
  engine.withProduceRates(topicSummaries);
  const t4 = performance.now();
  engine.residualCandidates(50, 10);
  const t5 = performance.now();
  phases.slow[i] = t1 - t0;
  phases.ingest[i] = t2 - t1;
  phases.evaluate[i] = t3 - t2;
  phases.produceRates[i] = t4 - t3;
  phases.residuals[i] = t5 - t4;
  phases.total[i] = t5 - t0;
  if ((i + 1) % CYCLES_PER_HOUR === 0 || i + 1 === TOTAL_CYCLES) {
    const hour = round((i + 1) / CYCLES_PER_HOUR, 2);
    const lastHour = Array.from(phases.total.subarray(Math.max(0, i + 1 - CYCLES_PER_HOUR), i + 1));
    const m = await checkpointMemory();
    hourly.push({ hour, ...m, cycleMsMedian: round(percentile(lastHour, 50)), cycleMsP95: round(percentile(lastHour, 95)), loadavg1: round(loadavg()[0]!, 2), statuses: statusCounts(lastSummaries) });
    log(`hour ${hour}: RSS ${m.rssMb} MB (${m.rssIdleMb} MB after ${IDLE_MS / 1000} s idle), heap used ${m.heapUsedMb} MB (total ${m.heapTotalMb} MB, idle ${m.heapTotalIdleMb} MB), cycle median ${round(percentile(lastHour, 50))} ms, p95 ${round(percentile(lastHour, 95))} ms, load ${round(loadavg()[0]!, 2)}, group statuses ${JSON.stringify(statusCounts(lastSummaries))}`);
  }
}

function statusCounts(summaries: readonly GroupSummary[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const g of summaries) counts[g.status ?? 'null'] = (counts[g.status ?? 'null'] ?? 0) + 1;
  return counts;
}
const statuses = statusCounts(lastSummaries);

/** Median of each phase over a range of cycles. */
function phaseMedians(from: number, to: number): Record<string, number> {
  return Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(percentile(Array.from(v.subarray(from, to)), 50), 2)]));
}
const firstHour = phaseMedians(1, Math.min(TOTAL_CYCLES, CYCLES_PER_HOUR));
const lastHour = phaseMedians(Math.max(1, TOTAL_CYCLES - CYCLES_PER_HOUR), TOTAL_CYCLES);
// One partition of one group per behaviour: shows the status rules ran on complete windows, not just that it was fast.
const examples = (['keeps_up', 'slow', 'stopped'] as const).map((behaviour) => {
  const g = Array.from({ length: GROUPS }, (_, i) => i).find((i) => behaviourOf(i) === behaviour && topicsOfGroup(i).some(isActiveTopic))!;
  const detail = engine.groupDetail(groupName(g));
  const p = detail?.partitions.find((x) => byKey.get(`${x.topic}/${x.partition}`)!.ratePerSec > 0) ?? detail?.partitions[0];
  return { behaviour, group: groupName(g), groupStatus: detail?.summary.status ?? null, partition: p && { topic: p.topic, partition: p.partition, lag: p.lag, lagSeconds: p.lagSeconds, status: p.status, reason: p.statusReason } };
});
const at1h = hourly.find((h) => h.hour === 1) ?? null;
const atEnd = hourly.at(-1)!;
const result = {
  date: new Date().toISOString(),
  node: process.version,
  code,
  execArgv: process.execArgv,
  hours: HOURS,
  cycles: TOTAL_CYCLES,
  partitions: partitions.length,
  activePartitions: partitions.filter((p) => p.ratePerSec > 0).length,
  groups: GROUPS,
  groupPartitions: groupPartitions.length,
  baseline,
  at1h,
  atEnd,
  peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
  cycleMsMedianFirstHour: firstHour,
  cycleMsMedianLastHour: lastHour,
  cycleMsP95LastHour: round(percentile(Array.from(phases.total.subarray(Math.max(1, TOTAL_CYCLES - CYCLES_PER_HOUR))), 95)),
  groupStatusesAtEnd: statuses,
  examples,
  hourly,
};
console.log(JSON.stringify(result, null, 2));
if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
