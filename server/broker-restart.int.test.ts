import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { groupDetailResponseSchema, healthResponseSchema, PROVENANCE_HEADERS, replayJobSchema, replayPlanResponseSchema, type GroupDetailResponse, type ReplayJob } from '../lib/contract';
import { configSchema } from './config/schema';
import { createTopologServer, type TopologServer } from './app';
import { eventually, uniqueName, tempDataDir } from './test/kafka-fixtures';

// A broker of its own on another port: stopping the shared test broker would break every other test.
const PORT = Number(process.env.RESTART_KAFKA_PORT ?? 9992);
const BROKER = `127.0.0.1:${PORT}`;
const kafkaSh = (cmd: string) => execFileSync('bash', ['scripts/kafka.sh', cmd], { env: { ...process.env, KAFKA_PORT: String(PORT) }, stdio: 'pipe' }).toString();

describe('a broker stopped and started again', () => {
  let server: TopologServer;
  let url: string;
  const kafka = new Kafka({ clientId: 'restart-test', brokers: [BROKER], logLevel: logLevel.NOTHING });

  beforeAll(async () => {
    kafkaSh('start');
    const config = configSchema.parse({ port: 0, dataDir: tempDataDir(), pollIntervalMs: 1000, slowPollIntervalMs: 2000, replay: { recoverySettleMs: 1000 }, clusters: [{ id: 'solo', brokers: [BROKER] }] });
    server = await createTopologServer(config, { ui: false, log: () => undefined });
    url = await server.listen();
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    kafkaSh('stop');
  }, 60_000);

  const health = async () => healthResponseSchema.parse(await (await fetch(`${url}/api/health`)).json()).clusters[0]!;
  const detail = async (group: string): Promise<GroupDetailResponse | undefined> => {
    const res = await fetch(`${url}/api/clusters/solo/groups/${group}`);
    return res.status === 200 ? groupDetailResponseSchema.parse(await res.json()) : undefined;
  };
  const sane = (d: GroupDetailResponse) => d.partitions.every((p) => [p.lag, p.lagSeconds, p.committed, p.highWatermark].every((v) => v === null || (Number.isFinite(v) && v >= 0)));

  it('gives stale values while it is down, then fresh ones, never negative or NaN', async () => {
    const topic = uniqueName('restart');
    const group = uniqueName('restart-group');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 30 }, (_, i) => ({ value: `m${i}` })) });
    await producer.disconnect();
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '10' }] });
    await admin.disconnect();

    const before = await eventually(async () => {
      const d = await detail(group);
      return d?.partitions[0]?.lag === 20 ? d : undefined;
    }, { what: 'lag 20 before the restart' });
    expect(sane(before)).toBe(true);

    kafkaSh('stop');
    const down = await eventually(async () => {
      const h = await health();
      return h.state === 'unreachable' ? h : undefined;
    }, { what: 'the cluster to be unreachable', timeoutMs: 40_000 });
    expect(down.error?.message).toMatch(/refused|did not answer|failed/);
    // The last values are still served, and their age shows: observedAt stops moving.
    const stale = (await detail(group))!;
    expect(stale.partitions[0]).toMatchObject({ lag: 20, committed: 10, highWatermark: 30 });
    expect(sane(stale)).toBe(true);
    const observedWhileDown = stale.observedAt;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await detail(group))!.observedAt).toBe(observedWhileDown);

    kafkaSh('start');
    await eventually(async () => ((await health()).state === 'ok' ? true : undefined), { what: 'the cluster to be ok again', timeoutMs: 90_000 });
    const after = await eventually(async () => {
      const d = await detail(group);
      return d && d.observedAt > observedWhileDown ? d : undefined;
    }, { what: 'fresh values after the restart' });
    expect(after.partitions[0]).toMatchObject({ lag: 20, committed: 10, highWatermark: 30, staleSince: null });
    expect(sane(after)).toBe(true);
  }, 240_000);
  it('lets a replay job ride out the restart by itself: it completes with no duplicate and no gap', async () => {
    const source = uniqueName('restart-replay-src');
    const target = uniqueName('restart-replay-tgt');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: source, numPartitions: 1 }, { topic: target, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const total = 3_000;
    for (let i = 0; i < total; i += 500) await producer.send({ topic: source, messages: Array.from({ length: 500 }, (_, j) => ({ key: `k${i + j}`, value: `r${i + j}` })) });
    await producer.disconnect();
    await eventually(async () => ((await health()).state === 'ok' ? true : undefined), { what: 'the cluster to be ok' });

    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    // 300 records/s: about 10 s of copying, so the broker stops in the middle of it.
    const planned = await post('/api/clusters/solo/replay/plan', {
      source: { cluster: 'solo', topic: source, partitions: null, range: { by: 'offsets', from: null, to: null } },
      filter: null,
      target: { cluster: 'solo', topic: target },
      partitioning: 'same',
      keep: { key: true, headers: true, timestamp: true },
      rateLimit: 300,
      maxRecords: null,
    });
    expect(planned.status).toBe(200);
    const plan = replayPlanResponseSchema.parse(planned.body);
    const executed = await post('/api/clusters/solo/replay/execute', { planId: plan.planId, planHash: plan.planHash, confirm: target });
    expect(executed.status).toBe(201);
    const jobId = replayJobSchema.parse(executed.body).id;
    const job = async (): Promise<ReplayJob> => replayJobSchema.parse(await (await fetch(`${url}/api/clusters/solo/replay/jobs/${jobId}`)).json());

    await eventually(async () => ((await job()).written >= 600 ? true : undefined), { what: '600 records copied' });
    kafkaSh('stop');
    // Still running to the outside, saying what went wrong and that it retries by itself.
    const waiting = await eventually(async () => {
      const j = await job();
      return j.state === 'running' && j.error?.hint.includes('Retrying by itself') ? j : undefined;
    }, { what: 'the job to wait for a retry', timeoutMs: 60_000 });
    expect(waiting.written).toBeLessThan(total);
    kafkaSh('start');
    const done = await eventually(async () => {
      const j = await job();
      if (j.state === 'failed') throw new Error(`the job failed: ${JSON.stringify(j.error)}`);
      return j.state === 'completed' ? j : undefined;
    }, { what: 'the job to complete after the restart', timeoutMs: 180_000, intervalMs: 1_000 });
    expect(done.written).toBe(total);
    expect(done.recoveries).toBeGreaterThanOrEqual(1);

    // Every source offset exactly once in the target, read from the start as any consumer would.
    const seen = new Map<number, number>();
    const consumer = kafka.consumer({ groupId: uniqueName('restart-replay-check') });
    await consumer.connect();
    await consumer.subscribe({ topic: target, fromBeginning: true });
    const admin2 = kafka.admin();
    await admin2.connect();
    const high = Number((await admin2.fetchTopicOffsets(target))[0]!.high);
    await admin2.disconnect();
    let read = 0;
    await consumer.run({
      eachMessage: async ({ message }) => {
        read++;
        const from = message.headers?.[PROVENANCE_HEADERS.source]?.toString() ?? '';
        const offset = Number(from.split('/').pop());
        seen.set(offset, (seen.get(offset) ?? 0) + 1);
      },
    });
    await eventually(() => (read >= high ? true : undefined), { what: `all ${high} target records read`, timeoutMs: 60_000 });
    await consumer.disconnect();
    expect(high).toBe(total);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(seen.size).toBe(total);
    expect(Math.min(...seen.keys())).toBe(0);
    expect(Math.max(...seen.keys())).toBe(total - 1);
  }, 360_000);
});
