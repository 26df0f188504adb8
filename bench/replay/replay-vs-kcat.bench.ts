/**
 * Replay throughput (issue 8). Target (docs/PRODUCT.md, "Non-functional targets"): bulk replay on loopback of 1 KB
 * messages at ≥ 80 % of kcat's throughput for the same copy.
 *
 *   node --import tsx bench/replay/replay-vs-kcat.bench.ts [--records 1000000] [--partitions 4] [--rounds 2]
 *        [--brokers 127.0.0.1:9092]
 *
 * Only real parts: the local broker, kcat (librdkafka; installed with apt-get when missing) and Topolog's own replay
 * runner (server/replay/job-direct.ts: the plan and JobRunner the job service uses, checkpoints in memory).
 *
 * 1. A fresh source topic gets `--records` records of 1 KB (key "k<i>", a 1,000-byte printable value), written by
 *    kcat.
 * 2. Each round copies the whole topic twice into fresh target topics, in alternating order: kcat (one
 *    `kcat -C -p N | kcat -P -p N` pipe per partition, idempotent, acks=all) and a Topolog replay (partitioning
 *    same, key, headers and timestamp kept, provenance headers added, no filter, no rate limit).
 * 3. Each copy is checked: the target holds exactly `--records` records. Figures: records/s per run, the median
 *    per tool, and the ratio Topolog / kcat.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Kafka } from 'kafkajs';
import { clusterConfigSchema } from '../../server/config/schema';
import { replayDirect } from '../../server/replay/job-direct';
import { createTopic, deleteTopics, uniqueName } from '../../server/test/kafka-fixtures';
import { replayRequest } from '../../server/test/replay-fixtures';
import { ensureKcat, kcatCopy } from './kcat-copy';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    partitions: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '2' },
    brokers: { type: 'string', default: '127.0.0.1:9092' },
  },
});
const RECORDS = Number(args.records);
const PARTITIONS = Number(args.partitions);
const ROUNDS = Number(args.rounds);
const BROKERS = args.brokers!;
process.env.KAFKA_PORT ??= BROKERS.split(':')[1];

/** A 1,000-byte printable value that differs per record (no tab, no newline: kcat's line format). */
function value(i: number): string {
  const seed = i.toString(36).padStart(8, '0');
  return seed.repeat(125);
}

/** Writes the source with kcat, one producer per partition, lines "k<i>\t<value>". */
async function fill(topic: string): Promise<void> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PARTITIONS }, (_, p) => new Promise<void>((resolve, reject) => {
      const kcat = spawn('kcat', ['-P', '-b', BROKERS, '-t', topic, '-p', String(p), '-K', '\t'], { stdio: ['pipe', 'inherit', 'inherit'] });
      kcat.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kcat fill exited with ${code}`))));
      const write = async () => {
        let chunk = '';
        for (let i = p; i < RECORDS; i += PARTITIONS) {
          chunk += `k${i}\t${value(i)}\n`;
          if (chunk.length > 1 << 20) {
            if (!kcat.stdin.write(chunk)) await new Promise((r) => kcat.stdin.once('drain', r));
            chunk = '';
          }
        }
        kcat.stdin.end(chunk);
      };
      write().catch(reject);
    })),
  );
  console.log(`wrote ${RECORDS.toLocaleString('en')} records of 1 KB to ${topic} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function countRecords(topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'bench-replay-count', brokers: [BROKERS], logLevel: 0 }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function main(): Promise<void> {
  const kcatVersion = ensureKcat();
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(1)} GB, node ${process.version}, ${kcatVersion}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const source = uniqueName('bench-replay-src');
  await createTopic(source, PARTITIONS);
  const made = [source];
  const cluster = clusterConfigSchema.parse({ id: 'bench', brokers: [BROKERS] });
  const rates: Record<'kcat' | 'topolog', number[]> = { kcat: [], topolog: [] };
  try {
    await fill(source);
    for (let round = 1; round <= ROUNDS; round++) {
      const order: ('kcat' | 'topolog')[] = round % 2 ? ['kcat', 'topolog'] : ['topolog', 'kcat'];
      for (const tool of order) {
        const target = uniqueName(`bench-replay-${tool}`);
        await createTopic(target, PARTITIONS);
        made.push(target);
        let ms: number;
        if (tool === 'kcat') {
          ms = await kcatCopy(BROKERS, source, target, PARTITIONS);
        } else {
          const result = await replayDirect([cluster], replayRequest('bench', source, target));
          ms = result.ms;
        }
        const copied = await countRecords(target);
        if (copied !== RECORDS) throw new Error(`${tool} copied ${copied} records, expected ${RECORDS}`);
        const rate = (RECORDS * 1000) / ms;
        rates[tool].push(rate);
        console.log(`round ${round} ${tool.padEnd(7)} ${(ms / 1000).toFixed(2)} s  ${Math.round(rate).toLocaleString('en')} records/s  ${((rate * 1024) / 2 ** 20).toFixed(1)} MiB/s  (target checked: ${copied.toLocaleString('en')} records)`);
        await deleteTopics([target]);
        made.pop();
      }
    }
    const k = median(rates.kcat);
    const t = median(rates.topolog);
    console.log(`median kcat ${Math.round(k).toLocaleString('en')} records/s, Topolog ${Math.round(t).toLocaleString('en')} records/s, ratio ${(t / k * 100).toFixed(1)} % (target ≥ 80 %)`);
  } finally {
    await deleteTopics(made).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
