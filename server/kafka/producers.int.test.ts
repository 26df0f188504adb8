import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CompressionTypes } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterConfigSchema } from '../config/schema';
import { TEST_BROKERS, createTopic, deleteTopics, eventually, testKafka, uniqueName } from '../test/kafka-fixtures';
import { CONSUMER_GROUP_COMMAND, runKafkaTool } from '../test/java-consumer';
import { KafkaAdminAdapter, type PartitionMetadata } from './admin';
import type { BrokerAccess, BrokerEndpoint } from './offsets';
import { describeProducersByLeader, describeTransactions, listTransactions } from './producers';
import { offsetsForTimes, sampleRecords, sampleRecordsBatch, type SampleResult } from './record-sampler';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Kafka's own Java console producer (idempotent by default since 3.0): one line on stdin = one record. */
function javaConsoleProducer(topic: string, lines: string[], extra: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['scripts/kafka.sh', 'run-class', 'org.apache.kafka.tools.ConsoleProducer', '--bootstrap-server', TEST_BROKERS[0]!, '--topic', topic, ...extra],
      { cwd: ROOT, stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ConsoleProducer exited ${code}: ${stderr}`))));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

describe('producers, transactions and record sampling against the real local Kafka', () => {
  const adapter = new KafkaAdminAdapter(clusterConfigSchema.parse({ id: 'local', brokers: TEST_BROKERS }));
  let access: BrokerAccess;
  let brokers: Map<number, BrokerEndpoint>;
  const topics: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  const newTopic = async (prefix: string, partitions = 1) => {
    const topic = uniqueName(prefix);
    topics.push(topic);
    await createTopic(topic, partitions);
    return topic;
  };
  const partitionsOf = async (topic: string): Promise<PartitionMetadata[]> =>
    eventually(async () => {
      const md = await adapter.readMetadata();
      const found = md.partitions.filter((p) => p.topic === topic && p.leader >= 0);
      return found.length > 0 ? found.sort((a, b) => a.partition - b.partition) : undefined;
    }, { what: `metadata for ${topic}` });
  const leaderOf = (p: PartitionMetadata) => brokers.get(p.leader)!;
  const sampleAll = async (topic: string, maxBytes = 4 * 1024 * 1024): Promise<SampleResult> => {
    const [p] = await partitionsOf(topic);
    return sampleRecords(access, leaderOf(p!), { topic, partition: 0, leaderEpoch: p!.leaderEpoch, fromOffset: 0, maxBytes });
  };
  const listGroupIds = async () => new Set((await runKafkaTool(CONSUMER_GROUP_COMMAND, ['--bootstrap-server', TEST_BROKERS[0]!, '--list'])).split('\n').map((l) => l.trim()).filter(Boolean));

  beforeAll(async () => {
    await adapter.capabilities();
    const md = await adapter.readMetadata();
    access = adapter.brokerAccess();
    brokers = new Map(md.brokers.map((b) => [b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port }]));
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await adapter.close();
    await deleteTopics(topics);
  });

  it('DescribeProducers shows each Java console producer run as its own PID, with its last sequence and time', async () => {
    const topic = await newTopic('prod-java');
    const [partition] = await partitionsOf(topic);
    const before = Date.now();
    await javaConsoleProducer(topic, Array.from({ length: 7 }, (_, i) => `first-${i}`));

    const [first] = await describeProducersByLeader(access, brokers, [partition!]);
    expect(first).toMatchObject({ topic, partition: 0, error: null });
    expect(first!.producers).toHaveLength(1);
    const one = first!.producers[0]!;
    expect(BigInt(one.producerId)).toBeGreaterThanOrEqual(0n);
    expect(one.producerEpoch).toBeGreaterThanOrEqual(0);
    expect(one.lastSequence).toBe(6);
    expect(one.lastTimestamp).not.toBeNull();
    expect(one.lastTimestamp!).toBeGreaterThanOrEqual(before - 1000);
    expect(one.lastTimestamp!).toBeLessThanOrEqual(Date.now() + 1000);
    expect(one.currentTxnStartOffset).toBeNull();

    // A second producer instance gets a new PID; the first one's state stays until producer.id.expiration.ms.
    await javaConsoleProducer(topic, ['second-0', 'second-1', 'second-2'], ['--compression-codec', 'zstd']);
    const [second] = await describeProducersByLeader(access, brokers, [partition!]);
    expect(second!.producers).toHaveLength(2);
    const again = second!.producers.find((p) => p.producerId === one.producerId);
    const other = second!.producers.find((p) => p.producerId !== one.producerId);
    expect(again?.lastSequence).toBe(6);
    expect(other?.lastSequence).toBe(2);

    // The sampled batches carry the same PIDs (the zstd batch is decoded too), each record exactly once.
    const sample = await sampleAll(topic);
    expect(sample.error).toBeNull();
    expect(new Set(sample.batches.map((b) => b.producerId))).toEqual(new Set([one.producerId, other!.producerId]));
    expect(sample.batches.every((b) => !b.transactional)).toBe(true);
    expect(sample.batches.flatMap((b) => b.records.map((r) => r.offset))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sample.batches.find((b) => b.producerId === other!.producerId)?.baseSequence).toBe(0);
    expect(sample.nextOffset).toBe(10);
    expect(sample.highWatermark).toBe(10);
    expect(sample.batches.flatMap((b) => b.records).every((r) => r.valueBytes === 7 || r.valueBytes === 8)).toBe(true);
  });

  it('lz4 and snappy batches from the Java producer are decoded', async () => {
    const topic = await newTopic('prod-codecs');
    await javaConsoleProducer(topic, ['lz4-0', 'lz4-1'], ['--compression-codec', 'lz4']);
    await javaConsoleProducer(topic, ['snappy-0', 'snappy-1', 'snappy-2'], ['--compression-codec', 'snappy']);
    const sample = await sampleAll(topic);
    expect(sample.error).toBeNull();
    expect(sample.batches.flatMap((b) => b.records.map((r) => [r.offset, r.valueBytes]))).toEqual([[0, 5], [1, 5], [2, 8], [3, 8], [4, 8]]);
  });

  it('ListTransactions and DescribeTransactions see an open kafkajs transaction, and the committed state after', async () => {
    const topic = await newTopic('prod-txn', 2);
    const transactionalId = uniqueName('txn');
    const producer = testKafka('prod-txn-client').producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const [p0, p1] = await partitionsOf(topic);

    const txn = await producer.transaction();
    const started = Date.now();
    await txn.send({ topic, messages: [{ partition: 1, value: 'in-txn-a' }, { partition: 1, value: 'in-txn-b' }] });

    const listed = await listTransactions(access, brokers);
    expect(listed.failedBrokers.size).toBe(0);
    const mine = listed.transactions.find((t) => t.transactionalId === transactionalId);
    expect(mine?.state).toBe('Ongoing');
    expect(BigInt(mine!.producerId)).toBeGreaterThanOrEqual(0n);

    const [open] = await describeTransactions(access, leaderOf(p0!), brokers, [transactionalId]);
    expect(open).toMatchObject({ transactionalId, state: 'Ongoing', producerId: mine!.producerId, error: null, topicPartitions: [{ topic, partitions: [1] }] });
    expect(open!.timeoutMs).toBeGreaterThan(0);
    expect(open!.startTimeMs!).toBeGreaterThanOrEqual(started - 5000);

    // The partition leader knows the open transaction too: where it started, and the writing PID.
    const producers = await describeProducersByLeader(access, brokers, [p0!, p1!]);
    expect(producers.find((p) => p.partition === 0)?.producers).toEqual([]);
    const inTxn = producers.find((p) => p.partition === 1)?.producers ?? [];
    expect(inTxn).toHaveLength(1);
    expect(inTxn[0]).toMatchObject({ producerId: mine!.producerId, currentTxnStartOffset: 0, lastSequence: 1 });

    // Sampled read_uncommitted, the open transaction's records are visible already.
    const during = await sampleRecords(access, leaderOf(p1!), { topic, partition: 1, leaderEpoch: p1!.leaderEpoch, fromOffset: 0, maxBytes: 65536 });
    expect(during.batches).toHaveLength(1);
    expect(during.batches[0]).toMatchObject({ producerId: mine!.producerId, transactional: true, firstOffset: 0, lastOffset: 1 });

    await txn.commit();
    const after = await eventually(async () => {
      const [d] = await describeTransactions(access, leaderOf(p0!), brokers, [transactionalId]);
      return d?.state === 'CompleteCommit' ? d : undefined;
    }, { what: 'the transaction to be committed' });
    expect(after).toMatchObject({ producerId: mine!.producerId, topicPartitions: [], error: null });
    const relisted = await listTransactions(access, brokers);
    expect(relisted.transactions.find((t) => t.transactionalId === transactionalId)?.state).toBe('CompleteCommit');

    // The commit marker is a control batch: it takes an offset, but is never sampled as data.
    const committed = await sampleRecords(access, leaderOf(p1!), { topic, partition: 1, leaderEpoch: p1!.leaderEpoch, fromOffset: 0, maxBytes: 65536 });
    expect(committed.error).toBeNull();
    expect(committed.highWatermark).toBe(3);
    expect(committed.nextOffset).toBe(3);
    expect(committed.batches).toHaveLength(1);
    expect(committed.batches[0]!.records.map((r) => r.offset)).toEqual([0, 1]);
    const afterMarker = await sampleRecords(access, leaderOf(p1!), { topic, partition: 1, leaderEpoch: p1!.leaderEpoch, fromOffset: 2, maxBytes: 65536 });
    expect(afterMarker).toMatchObject({ batches: [], nextOffset: 3, error: null });
    expect(afterMarker.bytesRead).toBeGreaterThan(0); // the marker batch itself was returned
  });

  it('an unknown transactional id and an unreachable broker are reported per item, not thrown', async () => {
    const [p] = await partitionsOf(await newTopic('prod-txn-none'));
    const [unknown] = await describeTransactions(access, leaderOf(p!), brokers, [uniqueName('never-used')]);
    expect(unknown?.error).toBe('TRANSACTIONAL_ID_NOT_FOUND');
    const withDeadBroker = new Map(brokers).set(999, { nodeId: 999, host: '127.0.0.1', port: 1 });
    const listed = await listTransactions(access, withDeadBroker);
    expect([...listed.failedBrokers.keys()]).toEqual([999]);
    expect(listed.failedBrokers.get(999)).toBeTruthy();
  });

  it('samples headers, producer ids and structured CloudEvents without returning payloads', async () => {
    const topic = await newTopic('sample-headers');
    const plain = testKafka('sample-plain').producer();
    await plain.connect();
    cleanups.push(() => plain.disconnect());
    const binary = Buffer.from([0x00, 0xff, 0x10, 0x80]);
    await plain.send({
      topic,
      messages: [
        { key: 'k1', value: '{"order":1}', headers: { ce_source: '/orders', ce_type: 'order.created', ce_id: 'e-1', bin: binary, tabbed: 'a\tb', empty: '' } },
        {
          key: 'k2',
          value: JSON.stringify({ specversion: '1.0', source: '/payments', type: 'payment.done', id: 'e-2', data: { secret: 'card-4111' } }),
          headers: { 'content-type': 'application/cloudevents+json; charset=UTF-8' },
        },
        { value: 'not json', headers: { 'content-type': 'application/cloudevents+json' } },
      ],
    });
    // gzip from kafkajs (its only built-in codec), and an idempotent kafkajs producer.
    await plain.send({ topic, compression: CompressionTypes.GZIP, messages: [{ value: 'zipped-1' }, { value: 'zipped-2' }] });
    const idempotent = testKafka('sample-idem').producer({ idempotent: true, maxInFlightRequests: 1 });
    await idempotent.connect();
    cleanups.push(() => idempotent.disconnect());
    await idempotent.send({ topic, messages: [{ value: 'idem' }] });

    const sample = await sampleAll(topic);
    expect(sample.error).toBeNull();
    expect(sample.batches).toHaveLength(3);
    const [first, zipped, idem] = sample.batches;
    expect(first).toMatchObject({ producerId: null, transactional: false, firstOffset: 0, lastOffset: 2 });
    expect(zipped!.producerId).toBeNull();
    expect(zipped!.records.map((r) => r.offset)).toEqual([3, 4]);
    expect(idem!.producerId).not.toBeNull();
    expect(idem!.baseSequence).toBe(0);

    const [withHeaders, structured, broken] = first!.records;
    expect(withHeaders!.headers).toEqual([
      { key: 'ce_source', value: '/orders' },
      { key: 'ce_type', value: 'order.created' },
      { key: 'ce_id', value: 'e-1' },
      { key: 'bin', value: '0x00ff1080' },
      { key: 'tabbed', value: `0x${Buffer.from('a\tb').toString('hex')}` },
      { key: 'empty', value: '' },
    ]);
    expect(withHeaders).toMatchObject({ keyBytes: 2, valueBytes: 11, structuredCloudEvent: null });
    expect(structured!.structuredCloudEvent).toEqual({ source: '/payments', type: 'payment.done', id: 'e-2' });
    expect(broken!.structuredCloudEvent).toBeNull();
    expect(broken!.keyBytes).toBe(0);
    // Only sizes and metadata leave the sampler, never the payload.
    expect(JSON.stringify(sample)).not.toContain('card-4111');
    expect(JSON.stringify(sample)).not.toContain('zipped-1');
    expect(withHeaders!.timestamp).toBeGreaterThan(Date.now() - 120_000);
  });

  it('maxBytes bounds the read; one Fetch samples several partitions; a first batch over the limit still comes whole', async () => {
    const topic = await newTopic('sample-big', 2);
    const producer = testKafka('sample-big').producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const value = 'x'.repeat(1000);
    // 100 sends of 10 records: about 100 batches of ~10 KB on partition 0 (~1 MB); a few records on partition 1.
    for (let i = 0; i < 100; i++) await producer.send({ topic, messages: Array.from({ length: 10 }, () => ({ partition: 0, value })) });
    await producer.send({ topic, messages: [{ partition: 1, value: 'p1-a' }, { partition: 1, value: 'p1-b' }] });
    const [p0, p1] = await partitionsOf(topic);

    const small = await sampleRecords(access, leaderOf(p0!), { topic, partition: 0, leaderEpoch: p0!.leaderEpoch, fromOffset: 0, maxBytes: 32 * 1024 });
    expect(small.error).toBeNull();
    expect(small.highWatermark).toBe(1000);
    expect(small.bytesRead).toBeGreaterThan(10_000);
    expect(small.bytesRead).toBeLessThanOrEqual(32 * 1024);
    expect(small.batches.length).toBeGreaterThanOrEqual(1);
    expect(small.batches.length).toBeLessThanOrEqual(3);
    expect(small.nextOffset).toBe(small.batches.at(-1)!.lastOffset + 1);

    const tiny = await sampleRecords(access, leaderOf(p0!), { topic, partition: 0, leaderEpoch: p0!.leaderEpoch, fromOffset: 500, maxBytes: 100 });
    expect(tiny.batches).toHaveLength(1);
    expect(tiny.batches[0]!.records.map((r) => r.offset)).toEqual([500, 501, 502, 503, 504, 505, 506, 507, 508, 509]);
    expect(tiny.bytesRead).toBeGreaterThan(100);
    expect(tiny.nextOffset).toBe(510);

    const whole = await sampleAll(topic);
    expect(whole.bytesRead).toBeGreaterThan(1_000_000);
    expect(whole.nextOffset).toBe(1000);

    const both = await sampleRecordsBatch(access, leaderOf(p0!), [
      { topic, partition: 0, leaderEpoch: p0!.leaderEpoch, fromOffset: 990, maxBytes: 65536 },
      { topic, partition: 1, leaderEpoch: p1!.leaderEpoch, fromOffset: 1, maxBytes: 65536 },
    ], 1024 * 1024);
    expect(both.map((r) => [r.partition, r.error, r.batches.flatMap((b) => b.records.map((x) => x.offset)), r.highWatermark])).toEqual([
      [0, null, [990, 991, 992, 993, 994, 995, 996, 997, 998, 999], 1000],
      [1, null, [1], 2],
    ]);
  });

  it('sampling never creates or joins a consumer group', async () => {
    const topic = await newTopic('sample-nogroup');
    const producer = testKafka('sample-nogroup').producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
    const [p] = await partitionsOf(topic);

    const before = await listGroupIds();
    for (let i = 0; i < 5; i++) {
      const s = await sampleRecords(access, leaderOf(p!), { topic, partition: 0, leaderEpoch: p!.leaderEpoch, fromOffset: 0, maxBytes: 65536 });
      expect(s.batches.flatMap((b) => b.records)).toHaveLength(2);
    }
    const after = await listGroupIds();
    const added = [...after].filter((g) => !before.has(g));
    // The broker is shared: another test may add groups meanwhile. None of them may have touched this topic.
    const admin = testKafka().admin();
    await admin.connect();
    try {
      for (const groupId of added) {
        const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
        expect(offsets.flatMap((t) => t.partitions).filter((o) => o.offset !== '-1')).toEqual([]);
      }
    } finally {
      await admin.disconnect();
    }
    expect(added.filter((g) => g.includes('topolog'))).toEqual([]);
  });

  it('offsetsForTimes finds the first offset at or after a timestamp', async () => {
    const topic = await newTopic('sample-times');
    const producer = testKafka('sample-times').producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const t0 = Date.now() - 60_000;
    for (const [i, ts] of [t0, t0 + 10_000, t0 + 20_000].entries()) {
      await producer.send({ topic, messages: Array.from({ length: 5 }, (_, j) => ({ value: `r${i}-${j}`, timestamp: String(ts) })) });
    }
    const [p] = await partitionsOf(topic);
    const at = (timestamp: number) => ({ ...p!, timestamp });
    const found = await offsetsForTimes(access, brokers, [at(t0 - 1), at(t0 + 5_000), at(t0 + 10_000), at(t0 + 15_000), at(t0 + 20_001)]);
    expect(found.map((f) => [f.offset, f.error])).toEqual([[0, null], [5, null], [5, null], [10, null], [null, null]]);

    // The sampled timestamps agree with the lookup.
    const sample = await sampleRecords(access, leaderOf(p!), { topic, partition: 0, leaderEpoch: p!.leaderEpoch, fromOffset: 5, maxBytes: 65536 });
    expect(sample.batches[0]!.records[0]).toMatchObject({ offset: 5, timestamp: t0 + 10_000 });
  });

  it('an unknown topic or partition gives an error on the result, not a throw', async () => {
    const topic = await newTopic('sample-unknown');
    const [p] = await partitionsOf(topic);
    const leader = leaderOf(p!);
    const missingTopic = uniqueName('does-not-exist');

    const noTopic = await sampleRecords(access, leader, { topic: missingTopic, partition: 0, leaderEpoch: -1, fromOffset: 0, maxBytes: 1024 });
    expect(noTopic).toMatchObject({ topic: missingTopic, partition: 0, batches: [], error: 'UNKNOWN_TOPIC_OR_PARTITION', highWatermark: null });
    const noPartition = await sampleRecords(access, leader, { topic, partition: 7, leaderEpoch: -1, fromOffset: 0, maxBytes: 1024 });
    expect(noPartition.error).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const pastEnd = await sampleRecords(access, leader, { topic, partition: 0, leaderEpoch: p!.leaderEpoch, fromOffset: 50, maxBytes: 1024 });
    expect(pastEnd.error).toBe('OFFSET_OUT_OF_RANGE');

    const described = await describeProducersByLeader(access, brokers, [
      { topic: missingTopic, partition: 0, leader: p!.leader, leaderEpoch: -1 },
      { topic, partition: 0, leader: p!.leader, leaderEpoch: p!.leaderEpoch },
      { topic, partition: 0, leader: -1, leaderEpoch: -1 },
    ]);
    expect(described.find((d) => d.topic === missingTopic)?.error).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(described.filter((d) => d.topic === topic).map((d) => d.error).sort()).toEqual(['LEADER_NOT_AVAILABLE', null].sort());

    const times = await offsetsForTimes(access, brokers, [{ topic: missingTopic, partition: 0, leader: p!.leader, leaderEpoch: -1, timestamp: Date.now() }]);
    expect(times).toEqual([{ topic: missingTopic, partition: 0, offset: null, error: 'UNKNOWN_TOPIC_OR_PARTITION' }]);
  });
});
