import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { groupDetailResponseSchema, healthResponseSchema, type GroupDetailResponse } from '../lib/contract';
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
    const config = configSchema.parse({ port: 0, dataDir: tempDataDir(), pollIntervalMs: 1000, slowPollIntervalMs: 2000, clusters: [{ id: 'solo', brokers: [BROKER] }] });
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
});
