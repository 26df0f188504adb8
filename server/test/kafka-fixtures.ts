import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { suppressTimeoutNegativeWarning } from '../../demo/lib/kafka';

// kafkajs 2.2.4 on Node 24 warns about negative timeouts (kafkajs#1751); it is noise, not a test problem.
suppressTimeoutNegativeWarning();

/** The local broker the integration tests run against (scripts/kafka.sh). */
export const TEST_BROKERS = [`127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`];

/** Unique names so tests never see each other's topics or groups, and reruns never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

export function testKafka(clientId = 'topolog-test'): Kafka {
  return new Kafka({ clientId, brokers: TEST_BROKERS, logLevel: logLevel.NOTHING });
}

export async function createTopic(topic: string, partitions = 1, configs: Record<string, string> = {}): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(topics: string[]): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

export async function produce(topic: string, count: number): Promise<void> {
  const producer: Producer = testKafka().producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ key: String(i), value: `m${i}` })) });
  } finally {
    await producer.disconnect();
  }
}

/** A real kafkajs consumer in its own group; resolves once it has joined and been assigned partitions. */
export async function startConsumer(groupId: string, topic: string, clientId = `${groupId}-client`): Promise<Consumer> {
  const consumer = testKafka(clientId).consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async () => undefined });
  await joined;
  return consumer;
}

/** Polls `check` until it returns a value (not undefined) or the time runs out; the last error explains a failure. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, { timeoutMs = 30_000, intervalMs = 250, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/** A fresh data directory for one test server's history store. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'topolog-test-data-'));
}
