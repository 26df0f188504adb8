import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kafkajs';
import { PROVENANCE_HEADERS, replayJobSchema, replayPlanResponseSchema, type ReplayJob, type ReplayPlanResponse, type ReplayRequest } from '../lib/contract';
import { parseSource } from '../lib/replay/job-progress';
import type { TopologServer } from './app';
import { KafkaMessagesClient } from './kafka/messages-client';
import { createTopic, deleteTopics, eventually, testKafka, uniqueName } from './test/kafka-fixtures';
import { localCluster, startTestServer } from './test/test-server';
import { replayRequest } from './test/replay-fixtures';

const PARTITIONS = 2;
type Kind = 'committed' | 'plain' | 'aborted' | 'open';

interface SourceRecord {
  partition: number;
  offset: number;
  kind: Kind;
  i: number;
  headers: Map<string, string>;
}

const message = (kind: Kind, i: number) => ({ partition: i % PARTITIONS, key: `${kind}-${i}`, value: JSON.stringify({ kind, i }), headers: { origin: 'fixture' } });

/** Every record of a topic as browsing reads it (read_uncommitted: aborted and open transactions included). */
async function readAll(topic: string): Promise<SourceRecord[]> {
  const client = new KafkaMessagesClient(localCluster());
  try {
    const layout = await client.layout(topic);
    const { marks } = await client.watermarks(layout, layout.partitions);
    const out: SourceRecord[] = [];
    for (const w of marks.values()) {
      let next = w.low;
      while (next < w.high) {
        const [read] = await client.read(layout, [{ partition: w.partition, fromOffset: next, maxBytes: 4 * 1024 * 1024 }], 4 * 1024 * 1024);
        if (read!.error) throw new Error(read!.error);
        for (const r of read!.records) {
          const v = JSON.parse(r.value?.toString('utf8') ?? '{}') as { kind: Kind; i: number };
          out.push({ partition: r.partition, offset: r.offset, kind: v.kind, i: v.i, headers: new Map(r.headers.map(([k, h]) => [k, h?.toString('utf8') ?? ''])) });
        }
        next = Math.max(next + (read!.records.length ? 0 : 1), read!.nextOffset);
      }
    }
    return out;
  } finally {
    await client.close();
  }
}

async function api(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const request = (source: string, target: string): ReplayRequest => replayRequest('local', source, target);

describe('replaying a topic written by transactional producers (read_committed)', () => {
  let server: TopologServer;
  let url: string;
  const source = uniqueName('it-replay-tx-src');
  const target = uniqueName('it-replay-tx-dst');
  const kafka = testKafka('it-replay-tx');
  const transactional = (id: string) => kafka.producer({ transactionalId: uniqueName(id), idempotent: true, maxInFlightRequests: 1 });
  const committer = transactional('it-tx-committer');
  const aborter = transactional('it-tx-aborter');
  const holder = transactional('it-tx-holder');
  const plainProducer = kafka.producer();
  let open: Transaction | null = null;
  let sourceRecords: SourceRecord[] = [];
  let plan: ReplayPlanResponse;

  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    await Promise.all([createTopic(source, PARTITIONS), createTopic(target, PARTITIONS)]);
    await Promise.all([committer.connect(), aborter.connect(), holder.connect(), plainProducer.connect()]);

    let i = 0;
    const batch = (kind: Kind, n: number) => Array.from({ length: n }, () => message(kind, i++));
    // committed, aborted (interleaved with a committed one), plain, aborted again by the same producer, committed,
    // then a transaction left open at the end.
    let tx = await committer.transaction();
    await tx.send({ topic: source, messages: batch('committed', 6) });
    await tx.commit();
    const aborted = await aborter.transaction();
    await aborted.send({ topic: source, messages: batch('aborted', 4) });
    tx = await committer.transaction();
    await tx.send({ topic: source, messages: batch('committed', 4) });
    await aborted.send({ topic: source, messages: batch('aborted', 4) });
    await tx.commit();
    await aborted.abort();
    await plainProducer.send({ topic: source, messages: batch('plain', 4) });
    const again = await aborter.transaction();
    await again.send({ topic: source, messages: batch('aborted', 6) });
    await again.abort();
    tx = await committer.transaction();
    await tx.send({ topic: source, messages: batch('committed', 4) });
    await tx.commit();
    open = await holder.transaction();
    await open.send({ topic: source, messages: batch('open', 4) });

    sourceRecords = await readAll(source);
    await eventually(async () => ((await api(url, 'POST', '/api/clusters/local/replay/plan', request(source, target))).status === 200 ? true : undefined), { what: 'the cluster to answer' });
  }, 120_000);

  afterAll(async () => {
    await open?.abort().catch(() => undefined);
    await Promise.all([committer, aborter, holder, plainProducer].map((p) => p.disconnect().catch(() => undefined)));
    await server?.close();
    await deleteTopics([source, target]);
  });

  const expected = () => new Set(sourceRecords.filter((r) => r.kind === 'committed' || r.kind === 'plain').map((r) => `${r.partition}/${r.offset}`));

  it('browsing still reads uncommitted: aborted and open records are shown', () => {
    const kinds = new Map<Kind, number>();
    for (const r of sourceRecords) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({ committed: 14, aborted: 14, plain: 4, open: 4 });
  });

  it('the plan ends at the last stable offset and counts and samples the committed records only', async () => {
    const planned = await api(url, 'POST', '/api/clusters/local/replay/plan', request(source, target));
    expect(planned.status).toBe(200);
    plan = replayPlanResponseSchema.parse(planned.body);
    expect(plan.complete).toBe(true);
    expect(plan.matched).toBe(expected().size);
    expect(plan.estimate).toBe(expected().size);
    expect(plan.scanned).toBe(expected().size);
    for (const s of plan.sample) expect(s.value).toMatch(/"kind":"(committed|plain)"/);
    // Each partition's range stops at its first record of the open transaction.
    for (const range of plan.ranges) {
      const firstOpen = Math.min(...sourceRecords.filter((r) => r.partition === range.partition && r.kind === 'open').map((r) => r.offset));
      expect(range.to, `partition ${range.partition}`).toBe(firstOpen);
    }
    expect(plan.warnings.some((w) => w.includes('14 records of aborted transactions'))).toBe(true);
    // 4 open records plus their partitions' share of nothing else: the held-back offsets are exactly the open ones.
    expect(plan.warnings.some((w) => /^4 offsets of open transactions at the end are not included/.test(w))).toBe(true);
  });

  it('the replay writes exactly the committed records, each once (needs job-runner reading committed)', async () => {
    plan ??= replayPlanResponseSchema.parse((await api(url, 'POST', '/api/clusters/local/replay/plan', request(source, target))).body);
    const executed = await api(url, 'POST', '/api/clusters/local/replay/execute', { planId: plan.planId, planHash: plan.planHash, confirm: plan.confirmName });
    expect(executed.status).toBe(201);
    const job = replayJobSchema.parse(executed.body);
    const done = await eventually(
      async () => {
        const got = replayJobSchema.parse((await api(url, 'GET', `/api/clusters/local/replay/jobs/${job.id}`)).body) as ReplayJob;
        if (got.state === 'failed') throw new Error(`job failed: ${JSON.stringify(got.error)}`);
        return got.state === 'completed' ? got : undefined;
      },
      { timeoutMs: 60_000, what: 'the job to complete' },
    );
    expect(done.written).toBe(expected().size);

    const copied = await readAll(target);
    expect(copied.filter((r) => r.kind !== 'committed' && r.kind !== 'plain')).toEqual([]);
    const seen = new Map<string, number>();
    for (const r of copied) {
      const src = parseSource(r.headers.get(PROVENANCE_HEADERS.source) ?? '');
      expect(src, `provenance of target ${r.partition}/${r.offset}`).not.toBeNull();
      expect(src!.cluster).toBe('local');
      expect(src!.topic).toBe(source);
      const id = `${src!.partition}/${src!.offset}`;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual([...expected()].sort());
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);
});
