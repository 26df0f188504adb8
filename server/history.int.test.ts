import { afterAll, describe, expect, it } from 'vitest';
import { groupDetailResponseSchema, groupHistoryResponseSchema, topicHistoryResponseSchema } from '../lib/contract';
import { configSchema } from './config/schema';
import { createTopologServer, type TopologServer } from './app';
import { TEST_BROKERS, createTopic, deleteTopics, eventually, startConsumer, tempDataDir, uniqueName } from './test/kafka-fixtures';
import { startTraffic } from './test/traffic';

const THRESHOLDS = { windowMs: 12_000, graceMs: 3_000, rebalanceGraceMs: 3_000 };

describe('history survives a restart of Topolog', () => {
  const topics: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await deleteTopics(topics);
  });

  const start = async (dataDir: string): Promise<{ server: TopologServer; url: string }> => {
    const config = configSchema.parse({ port: 0, dataDir, pollIntervalMs: 1000, slowPollIntervalMs: 2000, statusThresholds: THRESHOLDS, clusters: [{ id: 'local', brokers: TEST_BROKERS }] });
    const server = await createTopologServer(config, { ui: false, log: () => undefined });
    return { server, url: await server.listen() };
  };

  it('has status and lag in seconds at the first cycle after a restart, and history across it', async () => {
    const dataDir = tempDataDir();
    const topic = uniqueName('history');
    topics.push(topic);
    await createTopic(topic, 1);
    cleanups.push(await startTraffic(topic, 10));
    const group = uniqueName('history-group');
    const consumer = await startConsumer(group, topic);
    cleanups.push(() => consumer.disconnect());

    const first = await start(dataDir);
    const before = await eventually(async () => {
      const res = await fetch(`${first.url}/api/clusters/local/groups/${group}`);
      if (res.status !== 200) return undefined;
      const d = groupDetailResponseSchema.parse(await res.json());
      return d.group.status === 'OK' ? d : undefined;
    }, { what: 'status OK before the restart', timeoutMs: 45_000 });
    expect(before.group.lagSecondsMax).not.toBeNull();
    const restartAt = Date.now();
    await first.server.close();

    const second = await start(dataDir);
    cleanups.push(() => second.server.close());
    // The very first answer after the restart already has a judged status: the window came back from the store.
    const after = await eventually(async () => {
      const res = await fetch(`${second.url}/api/clusters/local/groups/${group}`);
      return res.status === 200 ? groupDetailResponseSchema.parse(await res.json()) : undefined;
    }, { what: 'the group after the restart', intervalMs: 100 });
    expect(after.group.status).toBe('OK');
    expect(after.partitions[0]?.lagSecondsMethod).not.toBe('unknown');

    const history = groupHistoryResponseSchema.parse(await (await fetch(`${second.url}/api/clusters/local/groups/${group}/history?from=${restartAt - 60_000}&to=${Date.now()}&stepMs=2000`)).json());
    const known = history.points.filter((p) => p.lag !== null);
    expect(known.length).toBeGreaterThan(5);
    expect(known.some((p) => p.t < restartAt)).toBe(true);
    expect(history.points.every((p) => p.lag === null || (Number.isFinite(p.lag) && p.lag >= 0))).toBe(true);
    expect(known.some((p) => (p.produceRate ?? 0) > 0)).toBe(true);

    const topicHistory = topicHistoryResponseSchema.parse(await (await fetch(`${second.url}/api/clusters/local/topics/${topic}/history?from=${restartAt - 60_000}`)).json());
    expect(topicHistory.points.some((p) => (p.produceRate ?? 0) > 5)).toBe(true);

    const bad = await fetch(`${second.url}/api/clusters/local/groups/${group}/history?from=10&to=5`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'bad_range' });
  });
});
