/**
 * The poller at scale, against a real broker: Topolog's ClusterWatcher on the bench cluster (bench/poll/create-cluster.ts)
 * for ≥ 30 fast cycles, then the naive kafkajs sweep on the same cluster, in the same process.
 *   node --expose-gc --import tsx bench/poll/poll-cycle.bench.ts [--cycles 32] [--sweeps 3] [--concurrency 16] [--json out.json]
 * Prints fast-cycle durations (median / p95 / max, first 2 cycles skipped), requests per fast and slow cycle by API,
 * where the fast cycle's time goes (Kafka wait vs the lag engine), memory, and the naive/Topolog ratios.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { suppressTimeoutNegativeWarning } from '../../demo/lib/kafka';
import { clusterConfigSchema } from '../../server/config/schema';
import { ClusterWatcher } from '../../server/poller/cluster-watcher';
import { BENCH_BROKERS, GROUPS, TOPICS, codeVersion, groupName, mb, percentile, topicName, topicsOfGroup } from './layout';

suppressTimeoutNegativeWarning();

const { values: args } = parseArgs({
  options: {
    cycles: { type: 'string', default: '32' },
    sweeps: { type: 'string', default: '3' },
    // What a dashboard with a small promise pool does; unbounded Promise.all only queues inside kafkajs.
    concurrency: { type: 'string', default: '16' },
    json: { type: 'string' },
  },
});
const CYCLES = Number(args.cycles);
const SWEEPS = Number(args.sweeps);
const CONCURRENCY = Number(args.concurrency);
const POLL_MS = 5_000;
const WARMUP = 2;

const t00 = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - t00) / 1000).toFixed(1)} s] ${line}`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

function memory(): { rssBeforeGcMb: number; rssMb: number; heapUsedMb: number; heapTotalMb: number; externalMb: number; peakRssMb: number } {
  const rssBeforeGc = process.memoryUsage.rss();
  // Two passes: the first frees objects whose finalisers keep others alive.
  global.gc?.();
  global.gc?.();
  const m = process.memoryUsage();
  // maxRSS is in KiB: the high-water mark, which is what an ops memory limit has to allow for.
  return { rssBeforeGcMb: mb(rssBeforeGc), rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external), peakRssMb: mb(process.resourceUsage().maxRSS * 1024) };
}

/**
 * Times a method of an object by wrapping it on the instance (the class is untouched): the poller's files are not
 * ours to edit, and this is how we see where a fast cycle's time goes.
 */
function timeMethod(target: object, name: string, sink: (ms: number, startedAt: number) => void): void {
  const obj = target as Record<string, (...a: unknown[]) => unknown>;
  const original = obj[name]!;
  obj[name] = function (this: unknown, ...a: unknown[]) {
    const start = performance.now();
    const result = original.apply(target, a);
    if (result instanceof Promise) return result.finally(() => sink(performance.now() - start, start));
    sink(performance.now() - start, start);
    return result;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Topolog's poller
// ---------------------------------------------------------------------------------------------------------------
const code = codeVersion();
// The machine is shared: other people's benches and brokers show up in the cycle times, so record how busy it was.
const loadAtStart = loadavg().map((x) => round(x, 2));
log(`code: ${JSON.stringify(code)}, load average ${loadAtStart.join(' ')}`);
const config = clusterConfigSchema.parse({ id: 'bench', name: 'poll bench', brokers: BENCH_BROKERS });
// The slow loop at its longest allowed interval runs at start only; it is measured again with refresh() at the end.
const watcher = new ClusterWatcher(config, { pollIntervalMs: POLL_MS, slowPollIntervalMs: 3_600_000, log: (l) => log(`watcher: ${l}`) });

const engineMs: Record<string, number[]> = { ingestHighWatermarks: [], ingestCommits: [], evaluate: [], withProduceRates: [] };
for (const name of Object.keys(engineMs)) timeMethod(watcher.engine, name, (ms) => engineMs[name]!.push(ms));
let slowStartedAt = 0;
const slowMs: number[] = [];
timeMethod(watcher.adapter, 'readMetadata', (_ms, start) => (slowStartedAt = start));
// retain() is the slow cycle's last step: from readMetadata to here is the slow cycle.
timeMethod(watcher.engine, 'retain', () => slowMs.push(performance.now() - slowStartedAt));

// What the process costs before the watcher exists (Node, tsx, kafkajs and @platformatic/kafka loaded).
const baselineMemory = memory();
const perCycleRequests: Record<string, number>[] = [];
let firstSlowRequests: Record<string, number> = {};
let updates = 0;
const done = new Promise<void>((resolve) => {
  watcher.on('update', (overview) => {
    if (overview.cluster.state !== 'ok') {
      log(`cycle failed: ${overview.cluster.error?.message}`);
      return;
    }
    updates += 1;
    if (updates === 1) firstSlowRequests = { ...watcher.stats.lastSlowRequests };
    perCycleRequests.push({ ...watcher.stats.lastFastRequests });
    if (updates % 5 === 0 || updates <= 3) log(`fast cycle ${updates}: ${round(watcher.stats.lastDurationMs ?? NaN)} ms, requests ${JSON.stringify(watcher.stats.lastFastRequests)}`);
    if (updates >= CYCLES) resolve();
  });
});

log(`Topolog: watching ${BENCH_BROKERS.join(',')} every ${POLL_MS} ms for ${CYCLES} fast cycles (~${Math.round((CYCLES * POLL_MS) / 1000)} s)`);
watcher.start();
await done;

const overview = watcher.overview;
const partitions = watcher.metadata?.partitions.length ?? 0;
const groupPartitions = overview.groups.reduce((s, g) => s + (watcher.groupDetail(g.id)?.partitions.length ?? 0), 0);
const withLag = overview.groups.reduce((s, g) => s + (watcher.groupDetail(g.id)?.partitions.filter((p) => p.lag !== null).length ?? 0), 0);
const durations = watcher.stats.recentDurationsMs.slice(WARMUP);
const fastRequests = { ...watcher.stats.lastFastRequests };
const requestsConstant = perCycleRequests.slice(1).every((r) => JSON.stringify(r) === JSON.stringify(fastRequests));
const steadyEngine = Object.fromEntries(Object.entries(engineMs).map(([k, v]) => [k, round(percentile(v.slice(WARMUP), 50))]));
const engineTotal = Object.values(steadyEngine).reduce((a, b) => a + b, 0);
const topologMemory = memory();
const fetchProbes = watcher.adapter.stats.totals().filter((c) => c.api === 'Fetch').reduce((s, c) => s + c.count, 0);
const fastCycles = watcher.stats.recentDurationsMs.length;
const firstTwo = watcher.stats.recentDurationsMs.slice(0, WARMUP).map((d) => round(d));

// A second slow cycle with warm connections and a full engine, to set beside the first (cold) one.
await watcher.refresh();
const warmSlowRequests = { ...watcher.stats.lastSlowRequests };
await watcher.stop();

const topolog = {
  cluster: { topics: overview.topics.filter((t) => !t.internal).length, partitions, groups: overview.groups.length, groupPartitions, groupPartitionsWithLag: withLag, brokers: overview.cluster.brokers.length },
  fastCycles,
  fastMs: { median: round(percentile(durations, 50)), p95: round(percentile(durations, 95)), max: round(Math.max(...durations)), min: round(Math.min(...durations)), firstTwo },
  fastRequests,
  fastRequestsTotal: sum(fastRequests),
  fastRequestsConstantEveryCycle: requestsConstant,
  engineMsMedian: { ...steadyEngine, total: round(engineTotal) },
  slowCycle: { coldMs: round(slowMs[0] ?? NaN), warmMs: round(slowMs[1] ?? NaN), coldRequests: firstSlowRequests, warmRequests: warmSlowRequests },
  residualProbeFetches: fetchProbes,
  memoryBaseline: baselineMemory,
  memoryAfterRun: topologMemory,
};
log(`Topolog: ${JSON.stringify(topolog, null, 2)}`);

// ---------------------------------------------------------------------------------------------------------------
// 2. The naive way: kafkajs admin, one call per group and per topic (what kafkajs-based dashboards do)
// ---------------------------------------------------------------------------------------------------------------
async function naiveRun() {
  const kafka = new Kafka({ clientId: 'naive-dashboard', brokers: BENCH_BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let counting: Map<string, number> = new Map();
  admin.on(admin.events.REQUEST, (event: { payload: { apiName: string } }) => {
    counting.set(event.payload.apiName, (counting.get(event.payload.apiName) ?? 0) + 1);
  });

  async function pool(tasks: (() => Promise<unknown>)[], concurrency: number): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }));
  }

  interface Sweep { ms: number; requests: Record<string, number>; total: number; committedRead: number; partitionsRead: number }
  const sweeps: Sweep[] = [];
  for (let s = 0; s < SWEEPS; s++) {
    counting = new Map();
    let committedRead = 0;
    let partitionsRead = 0;
    const tasks = [
      ...Array.from({ length: GROUPS }, (_, g) => async () => {
        const res = await admin.fetchOffsets({ groupId: groupName(g), topics: topicsOfGroup(g).map(topicName) });
        for (const t of res) committedRead += t.partitions.filter((p) => Number(p.offset) >= 0).length;
      }),
      ...Array.from({ length: TOPICS }, (_, i) => async () => {
        // Await first: `x += await f()` reads x before the await and loses concurrent increments.
        const read = (await admin.fetchTopicOffsets(topicName(i))).length;
        partitionsRead += read;
      }),
    ];
    const t0 = performance.now();
    await pool(tasks, CONCURRENCY);
    const ms = performance.now() - t0;
    const requests = Object.fromEntries([...counting].sort());
    sweeps.push({ ms: round(ms), requests, total: sum(requests), committedRead, partitionsRead });
    log(`naive sweep ${s + 1}: ${round(ms)} ms, ${sum(requests)} requests ${JSON.stringify(requests)}, ${committedRead} commits + ${partitionsRead} partition offsets read`);
  }
  await admin.disconnect();

  const bySpeed = [...sweeps].sort((a, b) => a.ms - b.ms);
  const median = bySpeed[Math.floor(bySpeed.length / 2)]!;
  const naive = {
    concurrency: CONCURRENCY,
    sweeps,
    medianMs: median.ms,
    medianRequests: median.total,
    medianRequestsByApi: median.requests,
  };
  const ratio = { duration: round(naive.medianMs / topolog.fastMs.median), requests: round(naive.medianRequests / topolog.fastRequestsTotal) };
  log(`naive/Topolog: duration ×${ratio.duration}, requests ×${ratio.requests}`);
  const memoryAfterNaive = memory();
  return { naive, ratio, memoryAfterNaive };
}
// --sweeps 0 runs Topolog only (e.g. to compare Node memory flags).
const { naive, ratio, memoryAfterNaive } = SWEEPS > 0 ? await naiveRun() : { naive: null, ratio: null, memoryAfterNaive: null };

const result = { date: new Date().toISOString(), node: process.version, code, loadAtStart, loadAtEnd: loadavg().map((x) => round(x, 2)), execArgv: process.execArgv, mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? null, topolog, naive, ratio, memoryAfterNaive };
console.log(JSON.stringify(result, null, 2));
if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
