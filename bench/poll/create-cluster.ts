/**
 * Builds the benchmark cluster on the bench broker (default 127.0.0.1:9892): 2,000 topics × 5 partitions, 10 messages
 * in each partition of 30 % of the topics, and 500 consumer groups with committed offsets on 4 topics each.
 *   KAFKA_PORT=9892 bash scripts/kafka.sh start
 *   node --import tsx bench/poll/create-cluster.ts
 * Re-runnable: existing topics, partitions that already hold the messages and groups that already have offsets are
 * skipped. Groups get offsets through OffsetCommit with generation -1 (admin alterConsumerGroupOffsets), so no
 * consumer ever joins: 500 live consumers would not fit on this machine and are not what the poller measures.
 */
import { performance } from 'node:perf_hooks';
import { Admin, Producer } from '@platformatic/kafka';
import {
  BENCH_BROKERS,
  GROUPS,
  MESSAGES_PER_ACTIVE_PARTITION,
  PARTITIONS_PER_TOPIC,
  TOPICS,
  groupName,
  isActiveTopic,
  topicName,
  topicsOfGroup,
} from './layout';

const TOPIC_BATCH = 100;
const GROUP_CONCURRENCY = 16;

const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${line}`);

// A generous request timeout: creating 100 topics (500 partitions) in one request takes the single broker a while.
const admin = new Admin({ clientId: 'topolog-bench-setup', bootstrapBrokers: BENCH_BROKERS, requestTimeout: 120_000, retries: 3 });

try {
  await createTopics();
  await produceSeedData();
  await commitGroupOffsets();
  log(`done: ${TOPICS} topics × ${PARTITIONS_PER_TOPIC} partitions, ${GROUPS} groups, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await admin.close();
}

async function createTopics(): Promise<void> {
  const t0 = performance.now();
  const existing = new Set(await admin.listTopics());
  const missing = Array.from({ length: TOPICS }, (_, i) => topicName(i)).filter((t) => !existing.has(t));
  log(`topics: ${TOPICS - missing.length} exist, ${missing.length} to create`);
  if (missing.length === 0) return;
  for (let i = 0; i < missing.length; i += TOPIC_BATCH) {
    const batch = missing.slice(i, i + TOPIC_BATCH);
    try {
      await admin.createTopics({ topics: batch, partitions: PARTITIONS_PER_TOPIC, replicas: 1 });
    } catch (err) {
      // A rerun after an interrupted batch finds some of it created; anything else is a real failure.
      if (!/already exists|TOPIC_ALREADY_EXISTS/i.test(describe(err))) throw err;
    }
    if ((i / TOPIC_BATCH) % 5 === 4 || i + TOPIC_BATCH >= missing.length) log(`  created ${Math.min(i + TOPIC_BATCH, missing.length)}/${missing.length}`);
  }
  log(`CreateTopics answered in ${((performance.now() - t0) / 1000).toFixed(1)} s; waiting for the broker's metadata to show them all`);
  // The controller acknowledges at once, but the broker creates the 10,000 partition logs afterwards: until then its
  // Metadata answer lacks the newest topics and ListOffsets/Produce fail with "Unknown topic".
  for (let last = -1; ; ) {
    const visible = (await admin.listTopics()).filter((t) => t.startsWith('bench-t')).length;
    if (visible >= TOPICS) break;
    if (visible !== last) log(`  ${visible}/${TOPICS} topics visible in metadata`);
    last = visible;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  log(`topics ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** Latest offsets of the given topics, through the admin's ListOffsets (one request per leader per batch). */
async function highWatermarks(topics: readonly string[]): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (let i = 0; i < topics.length; i += TOPIC_BATCH) {
    const listed = await admin.listOffsets({
      topics: topics.slice(i, i + TOPIC_BATCH).map((name) => ({
        name,
        partitions: Array.from({ length: PARTITIONS_PER_TOPIC }, (_, p) => ({ partitionIndex: p, timestamp: -1n })),
      })),
    });
    for (const t of listed) for (const p of t.partitions) result.set(`${t.name}/${p.partitionIndex}`, Number(p.offset));
  }
  return result;
}

async function produceSeedData(): Promise<void> {
  const t0 = performance.now();
  const active = Array.from({ length: TOPICS }, (_, i) => i).filter(isActiveTopic).map(topicName);
  // Freshly created topics may still be electing leaders: retry the first read a few times.
  const hwms = await retry(() => highWatermarks(active), 10, 1_000);
  const todo: { topic: string; partition: number; count: number }[] = [];
  for (const topic of active) {
    for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) {
      const have = hwms.get(`${topic}/${p}`) ?? 0;
      if (have < MESSAGES_PER_ACTIVE_PARTITION) todo.push({ topic, partition: p, count: MESSAGES_PER_ACTIVE_PARTITION - have });
    }
  }
  log(`seed data: ${active.length * PARTITIONS_PER_TOPIC - todo.length} active partitions already filled, ${todo.length} to fill`);
  if (todo.length === 0) return;
  const producer = new Producer({ clientId: 'topolog-bench-setup', bootstrapBrokers: BENCH_BROKERS, requestTimeout: 60_000, retries: 5, acks: 1 });
  try {
    // 500 partitions per send: one Produce request per batch instead of one per message.
    for (let i = 0; i < todo.length; i += 500) {
      const messages = todo.slice(i, i + 500).flatMap(({ topic, partition, count }) =>
        Array.from({ length: count }, (_, k) => ({ topic, partition, key: Buffer.from(`k${k}`), value: Buffer.from(`bench message ${k} of ${topic}/${partition}`) })),
      );
      await producer.send({ messages });
    }
  } finally {
    await producer.close();
  }
  log(`seed data produced in ${((performance.now() - t0) / 1000).toFixed(1)} s (${todo.reduce((s, x) => s + x.count, 0)} messages)`);
}

/**
 * Committed offsets per group: on active topics a little behind the HWM (0-3 messages, so some lag shows), on idle
 * topics 0. Groups that ListGroups already reports are assumed done.
 */
async function commitGroupOffsets(): Promise<void> {
  const t0 = performance.now();
  const existing = new Set((await admin.listGroups()).keys());
  const missing = Array.from({ length: GROUPS }, (_, g) => g).filter((g) => !existing.has(groupName(g)));
  log(`groups: ${GROUPS - missing.length} exist, ${missing.length} to create`);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < missing.length) {
      const g = missing[next++]!;
      await admin.alterConsumerGroupOffsets({
        groupId: groupName(g),
        topics: topicsOfGroup(g).map((t) => ({
          name: topicName(t),
          partitionOffsets: Array.from({ length: PARTITIONS_PER_TOPIC }, (_, p) => ({
            partition: p,
            offset: BigInt(isActiveTopic(t) ? MESSAGES_PER_ACTIVE_PARTITION - ((g + p) % 4) : 0),
          })),
        })),
      });
      done += 1;
      if (done % 100 === 0) log(`  committed offsets for ${done}/${missing.length} groups`);
    }
  };
  await Promise.all(Array.from({ length: GROUP_CONCURRENCY }, worker));
  log(`groups ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function retry<T>(fn: () => Promise<T>, attempts: number, delayMs: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; errors?: unknown[]; cause?: unknown };
  return [e?.message, ...(e?.errors ?? []).map(describe), e?.cause ? describe(e.cause) : ''].join(' ');
}
