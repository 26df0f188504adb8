import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consumer } from 'kafkajs';
import { io as connect } from 'socket.io-client';
import { groupDetailResponseSchema, groupSnapshotSchema, groupSubscribeAckSchema, type GroupDetailResponse, type GroupSnapshot } from '../lib/contract';
import { configSchema } from './config/schema';
import { createTopologServer, type TopologServer } from './app';
import { TEST_BROKERS, createTopic, deleteTopics, eventually, produce, startConsumer, testKafka, uniqueName, tempDataDir } from './test/kafka-fixtures';
import { CONSUMER_GROUP_COMMAND, runKafkaTool } from './test/java-consumer';
import { startTraffic } from './test/traffic';

// Short windows so the status rules settle in seconds instead of ten minutes; the rules themselves are the same.
const THRESHOLDS = { windowMs: 12_000, graceMs: 3_000, rebalanceGraceMs: 3_000, minSamples: 3, completeFraction: 0.8 };

describe('lag engine against the real local Kafka', () => {
  let server: TopologServer;
  let url: string;
  const topics: string[] = [];
  const stops: (() => Promise<unknown>)[] = [];

  const detail = async (group: string): Promise<GroupDetailResponse | undefined> => {
    const res = await fetch(`${url}/api/clusters/local/groups/${encodeURIComponent(group)}`);
    return res.status === 200 ? groupDetailResponseSchema.parse(await res.json()) : undefined;
  };
  const untilStatus = (group: string, status: string, timeoutMs = 45_000) =>
    eventually(async () => {
      const d = await detail(group);
      return d?.group.status === status ? d : undefined;
    }, { timeoutMs, intervalMs: 500, what: `group ${group} to be ${status}` });
  const newTopic = async (prefix: string, partitions = 1) => {
    const topic = uniqueName(prefix);
    topics.push(topic);
    await createTopic(topic, partitions);
    return topic;
  };
  /** Every number in a detail is a finite, non-negative number or null: never NaN, never negative. */
  const expectSaneNumbers = (d: GroupDetailResponse) => {
    for (const p of d.partitions) {
      for (const value of [p.lag, p.lagSeconds, p.committed, p.highWatermark, p.messagesLost, p.consumeRate, p.produceRate]) {
        if (value !== null) expect(Number.isFinite(value) && value >= 0).toBe(true);
      }
    }
  };

  beforeAll(async () => {
    const config = configSchema.parse({ port: 0, dataDir: tempDataDir(), pollIntervalMs: 1000, slowPollIntervalMs: 2000, statusThresholds: THRESHOLDS, clusters: [{ id: 'local', brokers: TEST_BROKERS }] });
    server = await createTopologServer(config, { ui: false, log: () => undefined });
    url = await server.listen();
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await server?.close();
    await deleteTopics(topics);
  });

  it('a healthy group under steady traffic is OK, with small lag in messages and seconds', async () => {
    const topic = await newTopic('lag-healthy', 2);
    stops.push(await startTraffic(topic, 20));
    const group = uniqueName('healthy');
    const consumer = await startConsumer(group, topic);
    stops.push(() => consumer.disconnect());
    const d = await untilStatus(group, 'OK');
    expect(d.partitions).toHaveLength(2);
    expect(d.group.lagSecondsMax).not.toBeNull();
    expect(d.group.lagSecondsMax!).toBeLessThan(15);
    expect(d.partitions.every((p) => p.memberId !== null && p.status === 'OK')).toBe(true);
    expect(d.group.consumeRate ?? 0).toBeGreaterThan(5);
    expectSaneNumbers(d);

    // The same data is pushed live: a group room's snapshot, then whole-detail updates with the next seq.
    const socket = connect(url, { transports: ['websocket'] });
    try {
      const ack = groupSubscribeAckSchema.parse(await socket.timeout(5000).emitWithAck('subscribe', { kind: 'group', cluster: 'local', group }));
      if (!ack.ok) throw new Error(ack.message);
      expect(ack.snapshot.data.partitions).toHaveLength(2);
      const update = await new Promise<GroupSnapshot>((resolve) => socket.once('group:update', (raw: unknown) => resolve(groupSnapshotSchema.parse(raw))));
      expect(update.seq).toBe(ack.snapshot.seq + 1);
      expect(update.data.group.id).toBe(group);
    } finally {
      socket.close();
    }
  });

  it('a stopped group becomes STOP and keeps its lag series (in the API and in /metrics)', async () => {
    const topic = await newTopic('lag-stop');
    stops.push(await startTraffic(topic, 10));
    const group = uniqueName('stopped');
    const consumer = await startConsumer(group, topic);
    await untilStatus(group, 'OK').catch(() => undefined);
    await consumer.disconnect();
    const d = await untilStatus(group, 'STOP');
    expect(d.group.state).toBe('Empty');
    expect(d.group.lagSum!).toBeGreaterThan(0);
    expect(d.partitions[0]?.lagSeconds).toBeGreaterThan(0);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`kafka_consumergroup_group_lag\\{cluster_name="local",group="${group}",topic="${topic}",partition="0"\\} [1-9]`));
    expect(metrics).toContain(`kafka_consumergroup_group_status{cluster_name="local",group="${group}",status="err"} 1`);
    expectSaneNumbers(d);
    // On demand, the exact age of the next unread record; the interpolated estimate is within a few polls of it.
    const exact = groupDetailResponseSchema.parse(await (await fetch(`${url}/api/clusters/local/groups/${group}?exact=true`)).json());
    expect(exact.partitions[0]?.lagSecondsMethod).toBe('exact');
    expect(Math.abs(exact.partitions[0]!.lagSeconds! - d.partitions[0]!.lagSeconds!)).toBeLessThan(10);
  });

  it('a live member that stops committing becomes STALL', async () => {
    const topic = await newTopic('lag-stall');
    await produce(topic, 10);
    const group = uniqueName('stalled');
    // Commit once (at 10), then run a member that fetches but never commits while traffic keeps coming.
    const admin = testKafka().admin();
    await admin.connect();
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '10' }] });
    await admin.disconnect();
    stops.push(await startTraffic(topic, 10));
    const consumer: Consumer = testKafka(`${group}-client`).consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    await consumer.connect();
    await consumer.subscribe({ topic });
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    stops.push(() => consumer.disconnect());
    const d = await untilStatus(group, 'STALL');
    expect(d.group.state).toBe('Stable');
    expect(d.partitions[0]).toMatchObject({ committed: 10, status: 'STALL' });
    expect(d.partitions[0]?.memberId).not.toBeNull();
    expect(d.partitions[0]?.statusReason).toMatch(/.+/);
  });

  it('an offset reset to earliest shows REWIND', async () => {
    const topic = await newTopic('lag-rewind');
    await produce(topic, 50);
    const group = uniqueName('rewound');
    const consumer = await startConsumer(group, topic);
    await eventually(async () => ((await detail(group))?.partitions[0]?.committed === 50 ? true : undefined), { what: 'the group to commit 50' });
    await consumer.disconnect();
    await new Promise((r) => setTimeout(r, 3000));
    // What an on-call engineer runs: Kafka's own tool. (kafkajs's resetOffsets commits the sentinel -2 instead.)
    await runKafkaTool(CONSUMER_GROUP_COMMAND, ['--bootstrap-server', TEST_BROKERS[0]!, '--group', group, '--topic', topic, '--reset-offsets', '--to-earliest', '--execute']);
    const d = await untilStatus(group, 'REWIND');
    expect(d.partitions[0]).toMatchObject({ committed: 0, lag: 50 });
  });

  it('an idle, caught-up group stays OK with lag 0 and lag seconds 0', async () => {
    const topic = await newTopic('lag-idle');
    await produce(topic, 10);
    const group = uniqueName('idle');
    const consumer = await startConsumer(group, topic);
    stops.push(() => consumer.disconnect());
    const d = await untilStatus(group, 'OK');
    // Stays OK across a full window with no traffic at all.
    await new Promise((r) => setTimeout(r, THRESHOLDS.windowMs + 2000));
    const later = (await detail(group))!;
    expect(later.group.status).toBe('OK');
    expect(later.partitions[0]).toMatchObject({ committed: 10, highWatermark: 10, lag: 0, lagSeconds: 0, lagSecondsMethod: 'caught_up' });
    expect(d.group.etaSeconds).toBe(0);
  });

  it('a transactional producer with a read_committed consumer is OK, not stalled by commit markers', async () => {
    const topic = await newTopic('lag-txn');
    const producer = testKafka('txn-producer').producer({ transactionalId: uniqueName('txn'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    let running = true;
    const loop = (async () => {
      let n = 0;
      while (running) {
        const txn = await producer.transaction();
        await txn.send({ topic, messages: [{ value: `t${n++}` }, { value: `t${n++}` }] });
        await txn.commit();
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    stops.push(async () => {
      running = false;
      await loop.catch(() => undefined);
      await producer.disconnect();
    });
    const group = uniqueName('txn-reader');
    const consumer = testKafka(`${group}-client`).consumer({ groupId: group, readUncommitted: false, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ autoCommitInterval: 500, eachMessage: async () => undefined });
    stops.push(() => consumer.disconnect());
    const d = await untilStatus(group, 'OK');
    expectSaneNumbers(d);
    // Stays OK after the producer stops: the commit marker left behind is not unread data.
    running = false;
    await loop.catch(() => undefined);
    await new Promise((r) => setTimeout(r, THRESHOLDS.windowMs + 2000));
    const later = (await detail(group))!;
    expect(later.group.status).toBe('OK');
    // The marker is there (H > C), and was read and recognised as a marker, so the lag is 0, not 1.
    expect(later.partitions[0]!.highWatermark! - later.partitions[0]!.committed!).toBeGreaterThanOrEqual(1);
    expect(later.partitions[0]).toMatchObject({ lag: 0, lagSeconds: 0 });
  });

  it('records deleted past the committed offset give DATA_LOSS with the number of messages lost', async () => {
    const topic = await newTopic('lag-loss');
    await produce(topic, 100);
    const group = uniqueName('lossy');
    const admin = testKafka().admin();
    await admin.connect();
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '10' }] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '60' }] });
    await admin.disconnect();
    const d = await untilStatus(group, 'DATA_LOSS');
    expect(d.partitions[0]).toMatchObject({ committed: 10, logStartOffset: 60, messagesLost: 50, lag: 40 });
  });
});
