import { afterAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, groupTrendsFilterParam, groupTrendsResponseSchema, groupsResponseSchema, type GroupTrendsResponse } from '../lib/contract';
import { configSchema } from './config/schema';
import { createTopologServer, type TopologServer } from './app';
import { TEST_BROKERS, createTopic, deleteTopics, eventually, produce, startConsumer, tempDataDir, uniqueName } from './test/kafka-fixtures';

// The groups list's sparkline route against the real broker: a compact grid for the groups asked for, the caps on the
// filter, its own path (so /groups/trends is a group's detail again), and seeding from the store after a restart.
describe('GET /api/clusters/:cluster/group-trends', () => {
  const topics: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await deleteTopics(topics);
  });

  const start = async (dataDir: string): Promise<TopologServer> => {
    const config = configSchema.parse({ port: 0, dataDir, pollIntervalMs: 1000, slowPollIntervalMs: 2000, clusters: [{ id: 'local', brokers: TEST_BROKERS }] });
    const server = await createTopologServer(config, { ui: false, log: () => undefined });
    await server.listen();
    return server;
  };
  const get = async (server: TopologServer, url: string) => {
    const res = await server.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() as unknown, bytes: res.body.length };
  };
  const trendsOf = async (server: TopologServer, query = ''): Promise<GroupTrendsResponse> => {
    const res = await get(server, `/api/clusters/local/group-trends${query}`);
    expect(res.status).toBe(200);
    return groupTrendsResponseSchema.parse(res.body);
  };

  it('answers the groups asked for on a grid, refuses oversized filters, and seeds from the store after a restart', async () => {
    const dataDir = tempDataDir();
    const topic = uniqueName('trends-topic');
    topics.push(topic);
    await createTopic(topic, 2);
    await produce(topic, 30);
    const group = uniqueName('trends,group'); // a comma in the name: legal in Kafka, and the filter must carry it
    const consumer = await startConsumer(group, topic);
    cleanups.push(() => consumer.disconnect());

    const first = await start(dataDir);
    cleanups.push(() => first.close());
    await eventually(async () => {
      const res = await get(first, '/api/clusters/local/groups');
      return res.status === 200 && groupsResponseSchema.parse(res.body).groups.some((g) => g.id === group && g.lagSum !== null) ? true : undefined;
    }, { what: `group ${group} with a known lag`, timeoutMs: 45_000 });
    const seenAt = Date.now();

    const snap = await eventually(async () => {
      const s = await trendsOf(first, `?groups=${groupTrendsFilterParam([group, 'no-such-group'])}`);
      return s.trends[0]?.lags.at(-1) != null ? s : undefined;
    }, { what: 'a lag in the newest slot' });
    expect(snap.trends.map((t) => t.group)).toEqual([group]);
    expect(snap.trends[0]!.lags).toHaveLength(61);
    expect(snap).toMatchObject({ cluster: 'local', stepMs: 15_000, truncated: false, seeding: false });
    expect(snap.fromMs % 15_000).toBe(0);

    // No filter: at most 500 groups (the broker may hold others' groups), a few KB for this one.
    const all = await trendsOf(first);
    expect(all.trends.length).toBeLessThanOrEqual(500);
    expect(all.trends.some((t) => t.group === group) || all.truncated).toBe(true);
    expect((await get(first, `/api/clusters/local/group-trends?groups=${groupTrendsFilterParam([group])}`)).bytes).toBeLessThan(2_000);

    // Beyond the caps: 400 with a message that says what the limit is.
    const tooMany = await get(first, `/api/clusters/local/group-trends?groups=${Array.from({ length: 501 }, (_, i) => `g${i}`).join(',')}`);
    expect(tooMany.status).toBe(400);
    expect(apiErrorSchema.parse(tooMany.body)).toMatchObject({ error: 'bad_query', message: expect.stringContaining('at most 500') });
    const tooLong = await get(first, `/api/clusters/local/group-trends?groups=${'x'.repeat(1025)}`);
    expect(tooLong.status).toBe(400);
    expect(apiErrorSchema.parse(tooLong.body).message).toContain('at most 1024');

    // The old path is a group's detail again: a group named "trends" is not shadowed by the sparklines.
    const detail = await get(first, '/api/clusters/local/groups/trends');
    expect(detail.status).toBe(404);
    expect(apiErrorSchema.parse(detail.body).error).toBe('unknown_group');

    // Long enough for the store to hold history in an earlier step than the restart's first live point.
    await new Promise((r) => setTimeout(r, Math.max(0, seenAt + 20_000 - Date.now())));
    await first.close();
    const restartedAt = Date.now();
    const second = await start(dataDir);
    cleanups.push(() => second.close());
    const seeded = await eventually(async () => {
      const res = await get(second, `/api/clusters/local/group-trends?groups=${groupTrendsFilterParam([group])}`);
      if (res.status !== 200) return undefined;
      const s = groupTrendsResponseSchema.parse(res.body);
      return s.trends.length === 1 && !s.seeding ? s : undefined;
    }, { what: 'the trends of the group after the restart' });
    // Slots from before the restart are known: read back from the store, not only the live points since.
    const beforeRestart = seeded.trends[0]!.lags.filter((lag, k) => lag !== null && seeded.fromMs + (k + 1) * seeded.stepMs <= restartedAt);
    expect(beforeRestart.length).toBeGreaterThanOrEqual(1);
  });
});
