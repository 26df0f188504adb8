/**
 * CPU cost of discovery's per-cycle bookkeeping at the bench cluster's size, with no broker: the sampler's plan(),
 * the per-topic sharesOf() that ClusterTopology#sharedRates calls for every topic with a produce rate, and
 * ProducerSessions.ingest() on a full DescribeProducers pass (every 10th cycle describes every partition).
 *   node --import tsx bench/topology/cpu-cost.bench.ts [--partitions-per-topic 5] [--topics 2000] [--sessions 3000] [--json out.json]
 * Inputs are synthetic but shaped like the bench cluster (bench/poll/layout.ts): 30 % of topics hold data.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { topologyConfigSchema } from '../../server/config/schema';
import type { PartitionProducers } from '../../server/kafka/producers';
import { HeaderSampler, type SamplablePartition } from '../../server/topology/header-sampler';
import { ProducerSessions } from '../../server/topology/producer-sessions';
import { isActiveTopic, percentile, topicName } from '../poll/layout';

const { values: args } = parseArgs({
  options: {
    topics: { type: 'string', default: '2000' },
    'partitions-per-topic': { type: 'string', default: '5' },
    sessions: { type: 'string', default: '3000' },
    repeats: { type: 'string', default: '9' },
    json: { type: 'string' },
  },
});
const TOPICS = Number(args.topics);
const PPT = Number(args['partitions-per-topic']);
const SESSIONS = Number(args.sessions);
const REPEATS = Number(args.repeats);
const budget = topologyConfigSchema.parse({}).sampler;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function time(fn: () => void): { median: number; max: number } {
  const ms: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return { median: round(percentile(ms, 50), 2), max: round(Math.max(...ms), 2) };
}

const partitions: SamplablePartition[] = [];
for (let i = 0; i < TOPICS; i++) {
  for (let p = 0; p < PPT; p++) partitions.push({ topic: topicName(i), partition: p, leader: 1, leaderEpoch: 0, hwm: isActiveTopic(i) ? 10 : 0, logStart: 0 });
}
const active = partitions.filter((p) => p.hwm! > 0);
const now = Date.now();

// 1. plan(): cold (nothing sampled yet) and warm (everything sampled, nothing moved).
const cold = new HeaderSampler();
const planCold = time(() => cold.plan(partitions, [], new Set(), now, budget));
const warm = new HeaderSampler();
warm.interpret(active.map((p) => ({ topic: p.topic, partition: p.partition, batches: [], bytesRead: 0, nextOffset: 10, highWatermark: 10, error: null, at: now, hwm: 10 })), now, {}, new Map());
const planWarm = time(() => warm.plan(partitions, [], new Set(), now + 1000, budget));

// 2. sharesOf() for every topic, as #sharedRates does each cycle once the watcher has produce rates (0 counts too).
const topicNames = Array.from({ length: TOPICS }, (_, i) => topicName(i));
const sharesEmpty = time(() => {
  for (const t of topicNames) cold.sharesOf(t, now, 3_600_000);
});
const sharesFull = time(() => {
  for (const t of topicNames) warm.sharesOf(t, now, 3_600_000);
});

// 3. ingest(): a full DescribeProducers pass over every partition, with SESSIONS sessions spread over the active ones.
const results: PartitionProducers[] = partitions.map((p) => ({ topic: p.topic, partition: p.partition, producers: [], error: null }));
for (let s = 0; s < SESSIONS; s++) {
  const r = results[partitions.indexOf(active[s % active.length]!)]!;
  r.producers.push({ producerId: String(1000 + s), producerEpoch: 0, lastSequence: 10, lastTimestamp: now, coordinatorEpoch: -1, currentTxnStartOffset: null });
}
const sessions = new ProducerSessions();
sessions.ingest(results, now);
const ingestFull = time(() => sessions.ingest(results, now + 5000));
const noSessions = new ProducerSessions();
const ingestEmpty = time(() => noSessions.ingest(partitions.map((p) => ({ topic: p.topic, partition: p.partition, producers: [], error: null })), now));

const result = {
  date: new Date().toISOString(),
  node: process.version,
  load: loadavg().map((x) => round(x, 2)),
  shape: { topics: TOPICS, partitions: partitions.length, active: active.length, sessions: sessions.size, repeats: REPEATS },
  ms: { planCold, planWarm, sharesOfAllTopicsNothingSampled: sharesEmpty, sharesOfAllTopicsAllSampled: sharesFull, ingestFullPassWithSessions: ingestFull, ingestFullPassNoSessions: ingestEmpty },
};
console.log(JSON.stringify(result, null, 2));
if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
