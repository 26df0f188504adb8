import { afterAll, describe, expect, it } from 'vitest';
import { clusterConfigSchema } from '../config/schema';
import { createTopic, deleteTopics, TEST_BROKERS, uniqueName } from '../test/kafka-fixtures';
import { KafkaMessagesClient } from './messages-client';
import { ReplayBatchWriter, type ReplayRecord } from './replay-batch-writer';

const cluster = clusterConfigSchema.parse({ id: 'local', brokers: TEST_BROKERS });
const topics: string[] = [];
const client = new KafkaMessagesClient(cluster);

afterAll(async () => {
  await client.close();
  await deleteTopics(topics);
});

async function topic(partitions: number, configs: Record<string, string> = {}): Promise<string> {
  const name = uniqueName('it-batch-writer');
  topics.push(name);
  await createTopic(name, partitions, configs);
  return name;
}

const record = (partition: number, i: number, value: Buffer | null = Buffer.from(`v${i}`)): ReplayRecord => ({
  partition,
  key: Buffer.from(`k${i}`),
  value,
  headers: [['h', Buffer.from('1')], ['h', null], ['i', Buffer.from(String(i))]],
  timestamp: 1_700_000_000_000 + i,
});

describe('ReplayBatchWriter', () => {
  it('writes sends in order with exact offsets per partition; a consumer reads every field back', async () => {
    const t = await topic(3);
    const writer = await ReplayBatchWriter.open(cluster, await client.layout(t));
    try {
      // Several sends in flight at once: sequences must follow per partition or the broker refuses them.
      const first = Array.from({ length: 10 }, (_, i) => record(i % 3, i));
      const second = Array.from({ length: 7 }, (_, i) => record(i % 2, 10 + i));
      const [a, b] = await Promise.all([writer.send(t, first), writer.send(t, second)]);
      expect(a!.sort((x, y) => x.partition - y.partition)).toEqual([
        { partition: 0, baseOffset: 0, count: 4 },
        { partition: 1, baseOffset: 0, count: 3 },
        { partition: 2, baseOffset: 0, count: 3 },
      ]);
      expect(b!.sort((x, y) => x.partition - y.partition)).toEqual([
        { partition: 0, baseOffset: 4, count: 4 },
        { partition: 1, baseOffset: 3, count: 3 },
      ]);
    } finally {
      await writer.close();
    }
    const layout = await client.layout(t);
    const [read] = await client.read(layout, [{ partition: 1, fromOffset: 0, maxBytes: 1 << 20 }], 1 << 20);
    expect(read!.records.map((r) => [r.offset, r.key?.toString(), r.value?.toString(), r.timestamp, r.headers.map(([k, v]) => [k, v?.toString() ?? null])])).toEqual(
      [1, 4, 7, 11, 13, 15].map((i, offset) => [offset, `k${i}`, `v${i}`, 1_700_000_000_000 + i, [['h', '1'], ['h', null], ['i', String(i)]]]),
    );
  });

  it('dies on the first error: that send and every later one reject, nothing is retried', async () => {
    const t = await topic(1, { 'max.message.bytes': '2000' });
    const writer = await ReplayBatchWriter.open(cluster, await client.layout(t));
    try {
      await expect(writer.send(t, [record(0, 0)])).resolves.toEqual([{ partition: 0, baseOffset: 0, count: 1 }]);
      const tooLarge = writer.send(t, [record(0, 1, Buffer.alloc(5000))]);
      const after = writer.send(t, [record(0, 2)]);
      await expect(tooLarge).rejects.toThrow(/MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE/);
      // Retrying cannot make the record smaller: the job is told not to.
      await expect(tooLarge).rejects.toMatchObject({ permanent: true });
      await expect(after).rejects.toThrow();
      await expect(writer.send(t, [record(0, 3)])).rejects.toThrow();
      await expect(writer.send(t, [record(5, 3)])).rejects.toThrow();
    } finally {
      await writer.close();
    }
  });

  it('refuses a partition the target does not have', async () => {
    const t = await topic(1);
    const writer = await ReplayBatchWriter.open(cluster, await client.layout(t));
    try {
      await expect(writer.send(t, [record(4, 0)])).rejects.toThrow(/partition 4/);
      await expect(writer.send(t, [record(0, 0)])).rejects.toThrow();
    } finally {
      await writer.close();
    }
  });
});
