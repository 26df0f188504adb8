/**
 * CEL filter scan throughput (issue 7). Target (docs/PRODUCT.md, "Non-functional targets"): ≥ 50,000 messages/s per
 * core.
 *
 *   node --import tsx bench/messages/filter-scan.bench.ts [--records 1000000] [--partitions 4] [--brokers 127.0.0.1:9092]
 *        [--filter 'value.status == "NEEDLE" && value.amount > 100'] [--workers N] [--keep-topic name]
 *
 * Only real parts: the local broker, kafkajs to write the records, and the server's own scan engine
 * (server/messages/scan.ts) reading through KafkaMessagesClient, with the filter in the real worker pool.
 *
 * 1. A fresh topic with `--partitions` partitions gets `--records` JSON records of about 200 bytes (an order
 *    event: id, status, amount, customer, items, timestamps); exactly one, the last one written, has status NEEDLE.
 * 2. Baseline: the same scan without a filter (records read, decoded and merged; nothing evaluated), over the
 *    whole topic, page limit = all records.
 * 3. Filter: the scan with the CEL filter over the whole topic; it finds the needle at the very end, so every record
 *    is read and evaluated. Budgets are lifted (records, bytes, time), so the scan runs to the end.
 * Each scan runs 3 times (after one unmeasured warm-up); the figures are the median run. Per core = records / CPU
 * seconds of the whole process (main thread + filter workers, process.cpuUsage), besides records / wall second.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { KafkaMessagesClient } from '../../server/kafka/messages-client';
import { clusterConfigSchema } from '../../server/config/schema';
import { FETCH_LEADER_BYTES } from '../../server/messages/budgets';
import { compileFilter } from '../../server/messages/filter/compile';
import { FilterPool } from '../../server/messages/filter/pool';
import { scanPage, type RecordFilter } from '../../server/messages/scan';
import { createTopic, deleteTopics, testKafka, uniqueName } from '../../server/test/kafka-fixtures';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    partitions: { type: 'string', default: '4' },
    brokers: { type: 'string', default: '127.0.0.1:9092' },
    filter: { type: 'string', default: 'value.status == "NEEDLE" && value.amount > 100' },
    workers: { type: 'string' },
    'keep-topic': { type: 'string' },
  },
});
const RECORDS = Number(args.records);
const PARTITIONS = Number(args.partitions);
process.env.KAFKA_PORT ??= args.brokers!.split(':')[1];

const STATUSES = ['CREATED', 'PAID', 'SHIPPED', 'FAILED', 'REFUNDED'];
function order(i: number, needle: boolean): string {
  return JSON.stringify({
    id: `ord-${i.toString(36).padStart(8, '0')}`,
    status: needle ? 'NEEDLE' : STATUSES[i % STATUSES.length],
    amount: needle ? 500.5 : (i % 997) + 0.5,
    customer: { id: `cus-${i % 50_000}`, country: ['DE', 'FR', 'US', 'JP'][i % 4] },
    items: [{ sku: `sku-${i % 3000}`, qty: (i % 5) + 1 }],
    createdAt: '2026-11-22T08:00:00.000Z',
  });
}

async function fill(topic: string): Promise<void> {
  const producer = testKafka('bench-filter-writer').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  // kafkajs sends one batch per partition per call: keep each under the broker's 1 MB message.max.bytes.
  const chunk = 8_000;
  const started = performance.now();
  for (let start = 0; start < RECORDS; start += chunk) {
    const n = Math.min(chunk, RECORDS - start);
    await producer.send({
      topic,
      acks: 1,
      messages: Array.from({ length: n }, (_, j) => {
        const i = start + j;
        return { partition: i % PARTITIONS, key: `k${i}`, value: order(i, i === RECORDS - 1), headers: { ce_type: 'order.event' } };
      }),
    });
  }
  await producer.disconnect();
  console.log(`wrote ${RECORDS} records to ${topic} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

interface Run {
  wallMs: number;
  cpuMs: number;
  scanned: number;
  matched: number;
  bytes: number;
}

async function scanOnce(client: KafkaMessagesClient, topic: string, filter: RecordFilter | null): Promise<Run> {
  const layout = await client.layout(topic);
  const { marks } = await client.watermarks(layout, layout.partitions);
  const lows = new Map([...marks.values()].map((m) => [m.partition, m.low]));
  const positions = new Map([...marks.values()].map((m) => [m.partition, m.low]));
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await scanPage({
    direction: 'forward',
    positions,
    lows,
    limit: filter ? 10 : RECORDS,
    filter,
    budget: { maxRecords: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER, maxMs: Number.MAX_SAFE_INTEGER, maxFilterMs: Number.MAX_SAFE_INTEGER },
    read: (reqs) => client.read(layout, reqs, FETCH_LEADER_BYTES),
  });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, scanned: result.scanned, matched: result.records.length, bytes: result.bytes };
}

function median(runs: Run[]): Run {
  return [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)]!;
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(1)} GB, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const topic = args['keep-topic'] ?? uniqueName('bench-filter');
  if (!args['keep-topic']) {
    await createTopic(topic, PARTITIONS);
    await fill(topic);
  }
  const client = new KafkaMessagesClient(clusterConfigSchema.parse({ id: 'bench', brokers: [args.brokers!] }));
  const pool = new FilterPool(args.workers ? { size: Number(args.workers) } : {});
  const compiled = compileFilter(args.filter!);
  if (!compiled.ok) throw new Error(`filter: ${compiled.error.message}`);
  const filter: RecordFilter = { match: (records) => pool.match(compiled.filter, records) };
  try {
    for (const [label, f] of [['no filter', null], [`filter ${args.filter}`, filter]] as const) {
      await scanOnce(client, topic, f); // warm-up
      const runs: Run[] = [];
      for (let i = 0; i < 3; i++) runs.push(await scanOnce(client, topic, f));
      const m = median(runs);
      console.log(
        `${label}: scanned ${m.scanned} (${(m.bytes / 2 ** 20).toFixed(0)} MiB), matched ${m.matched}; wall ${(m.wallMs / 1000).toFixed(2)} s = ` +
          `${Math.round(m.scanned / (m.wallMs / 1000)).toLocaleString('en')} rec/s; CPU ${(m.cpuMs / 1000).toFixed(2)} s = ` +
          `${Math.round(m.scanned / (m.cpuMs / 1000)).toLocaleString('en')} rec/s per core; runs (wall s): ${runs.map((r) => (r.wallMs / 1000).toFixed(2)).join(', ')}`,
      );
    }
  } finally {
    await pool.close();
    await client.close();
    if (!args['keep-topic']) await deleteTopics([topic]);
  }
}

await main();
