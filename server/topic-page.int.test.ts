import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { healthResponseSchema, topicDetailResponseSchema, topicSnapshotSchema, topicSubscribeAckSchema, type TopicSnapshot } from '../lib/contract';
import { configSchema } from './config/schema';
import { createTopologServer, type TopologServer } from './app';
import { TEST_BROKERS, createTopic, deleteTopics, eventually, startConsumer, testKafka, tempDataDir, uniqueName } from './test/kafka-fixtures';

// The topic page's data, REST and live, from a real broker: partitions, key configs, the writer, the readers.
describe('topic page data against the real local Kafka', () => {
  let server: TopologServer;
  let url: string;
  const topic = uniqueName('it-page-topic');
  const group = uniqueName('it-page-group');

  beforeAll(async () => {
    const config = configSchema.parse({ port: 0, dataDir: tempDataDir(), pollIntervalMs: 1000, slowPollIntervalMs: 2000, clusters: [{ id: 'local', brokers: TEST_BROKERS }] });
    server = await createTopologServer(config, { ui: false, log: () => undefined });
    url = await server.listen();
    await createTopic(topic, 2);
    await eventually(async () => {
      const health = healthResponseSchema.parse(await (await fetch(`${url}/api/health`)).json());
      return health.clusters[0]?.state === 'ok' ? true : undefined;
    }, { what: 'the cluster to be ok' });
  });
  afterAll(async () => {
    await server?.close();
    await deleteTopics([topic]);
  });

  it('serves partitions with watermarks, key configs, an idempotent writer and a reading group with its lag', async () => {
    // An idempotent producer: DescribeProducers names its session, which is how discovery finds writers.
    const producer = testKafka('it-page-writer').producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const consumer = await startConsumer(group, topic);
    try {
      await producer.send({ topic, messages: Array.from({ length: 40 }, (_, i) => ({ key: String(i % 2), value: `m${i}` })) });
      const detail = await eventually(async () => {
        const res = await fetch(`${url}/api/clusters/local/topics/${topic}`);
        if (res.status !== 200) return undefined;
        const body = topicDetailResponseSchema.parse(await res.json());
        return body.configs && body.producers.length > 0 && body.consumers.some((c) => c.group === group) && body.partitions.every((p) => p.highWatermark !== null) ? body : undefined;
      }, { what: 'the topic detail with configs, a writer and the group', timeoutMs: 60_000 });
      expect(detail.partitions.map((p) => p.partition)).toEqual([0, 1]);
      expect(detail.partitions.reduce((sum, p) => sum + (p.highWatermark ?? 0), 0)).toBe(40);
      expect(detail.partitions[0]).toMatchObject({ leader: 1, replicas: [1], isr: [1], logStartOffset: 0 });
      expect(detail.configs).toMatchObject({ cleanupPolicy: 'delete', compacted: false, minInsyncReplicas: 1, timestampType: 'CreateTime' });
      expect(detail.configs?.maxMessageBytes).toBeGreaterThan(0);
      expect(detail.producers[0]).toMatchObject({ edgeKind: 'produces' });
      expect(detail.producers[0]!.evidence).toContain('observed.producerSession');
      expect(detail.consumers.find((c) => c.group === group)).toMatchObject({ members: 1 });
    } finally {
      await producer.disconnect();
      await consumer.disconnect();
    }
  });

  it('pushes the topic on subscribe, then topic:update with the next sequence number when it changes', async () => {
    const socket: Socket = connect(url, { transports: ['websocket'] });
    try {
      const ack = topicSubscribeAckSchema.parse(await socket.timeout(5000).emitWithAck('subscribe', { kind: 'topic', cluster: 'local', topic }));
      if (!ack.ok) throw new Error(ack.message);
      const before = ack.snapshot.data.partitions.reduce((sum, p) => sum + (p.highWatermark ?? 0), 0);
      const updates: TopicSnapshot[] = [];
      socket.on('topic:update', (raw: unknown) => updates.push(topicSnapshotSchema.parse(raw)));
      const producer = testKafka('it-page-writer-2').producer();
      await producer.connect();
      await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `n${i}` })) });
      await producer.disconnect();
      const grown = await eventually(() => updates.find((u) => u.data.partitions.reduce((sum, p) => sum + (p.highWatermark ?? 0), 0) === before + 10), { what: 'an update with the new high watermarks' });
      expect(updates.map((u) => u.seq)).toEqual(updates.map((_, i) => ack.snapshot.seq + 1 + i));
      expect(grown.room).toBe(`topic:local:${topic}`);
    } finally {
      socket.close();
    }
  });

  it('refuses an unknown topic clearly, over REST and the socket', async () => {
    const res = await fetch(`${url}/api/clusters/local/topics/no-such-topic-xyz`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'unknown_topic' });
    const socket: Socket = connect(url, { transports: ['websocket'] });
    try {
      expect(await socket.timeout(5000).emitWithAck('subscribe', { kind: 'topic', cluster: 'local', topic: 'no-such-topic-xyz' })).toMatchObject({ ok: false, error: 'unknown_topic' });
    } finally {
      socket.close();
    }
  });
});
