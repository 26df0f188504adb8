import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditListResponseSchema,
  PROVENANCE_HEADERS,
  replayJobListResponseSchema,
  replayJobSchema,
  replayPlanResponseSchema,
  type ReplayJob,
  type ReplayPlanResponse,
  type ReplayRequest,
} from '../lib/contract';
import { parseSource } from '../lib/replay/job-progress';
import { PROJECT_ROOT, type TopologServer } from './app';
import { KafkaMessagesClient } from './kafka/messages-client';
import { MessagesService } from './messages/messages-service';
import { JobRunner } from './replay/job-runner';
import { initialProgress, type JobProgress } from './replay/job-types';
import { replayRequest } from './test/replay-fixtures';
import { TEST_BROKERS, createTopic, deleteTopics, eventually, tempDataDir, testKafka, uniqueName } from './test/kafka-fixtures';
import { localCluster, startTestServer } from './test/test-server';

const BASE = Date.now() - 3_600_000;
const SOURCE_PARTITIONS = 3;

/** Writes `count` records spread over the partitions; record i matches the test filter when i % 7 == 0. */
async function fill(topic: string, count: number): Promise<void> {
  const producer = testKafka('it-replay-writer').producer();
  await producer.connect();
  try {
    const CHUNK = 10_000;
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      await producer.send({
        topic,
        messages: Array.from({ length: n }, (_, j) => {
          const i = start + j;
          return { partition: i % SOURCE_PARTITIONS, key: `k${i}`, value: JSON.stringify({ i, kind: i % 7 === 0 ? 'keep' : 'skip', pad: 'x'.repeat(64) }), timestamp: String(BASE + i), headers: { origin: 'fixture' } };
        }),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Every record of a topic (read_uncommitted, as the most permissive consumer sees it). */
async function readAll(topic: string) {
  const client = new KafkaMessagesClient(localCluster());
  try {
    const layout = await client.layout(topic);
    const { marks } = await client.watermarks(layout, layout.partitions);
    const out: { partition: number; offset: number; value: string | null; headers: Map<string, string> }[] = [];
    for (const w of marks.values()) {
      let next = w.low;
      while (next < w.high) {
        const [read] = await client.read(layout, [{ partition: w.partition, fromOffset: next, maxBytes: 4 * 1024 * 1024 }], 4 * 1024 * 1024);
        if (read!.error) throw new Error(read!.error);
        for (const r of read!.records) out.push({ partition: r.partition, offset: r.offset, value: r.value?.toString('utf8') ?? null, headers: new Map(r.headers.map(([k, v]) => [k, v?.toString('utf8') ?? ''])) });
        next = Math.max(next + (read!.records.length ? 0 : 1), read!.nextOffset);
      }
    }
    return out;
  } finally {
    await client.close();
  }
}

/** Source "partition/offset" of every replayed record of a job, with how many times each appears. */
async function replayedCounts(target: string, jobId: string): Promise<{ counts: Map<string, number>; foreign: number }> {
  const counts = new Map<string, number>();
  let foreign = 0;
  for (const r of await readAll(target)) {
    const src = parseSource(r.headers.get(PROVENANCE_HEADERS.source) ?? '');
    if (r.headers.get(PROVENANCE_HEADERS.job) !== jobId || !src) {
      foreign++;
      continue;
    }
    const id = `${src.partition}/${src.offset}`;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return { counts, foreign };
}

/** Source "partition/offset" of the records with i % 7 == 0 among the first `count`. */
function expectedMatches(count: number): Set<string> {
  const perPartition = new Array<number>(SOURCE_PARTITIONS).fill(0);
  const ids = new Set<string>();
  for (let i = 0; i < count; i++) {
    const p = i % SOURCE_PARTITIONS;
    if (i % 7 === 0) ids.add(`${p}/${perPartition[p]}`);
    perPartition[p]!++;
  }
  return ids;
}

/** The tests' replays filter by default: only records whose value has kind "keep". */
const request = (cluster: string, source: string, target: string, extra: Partial<ReplayRequest> = {}): ReplayRequest =>
  replayRequest(cluster, source, target, { filter: 'value.kind == "keep"', ...extra });

async function api(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function planAndExecute(url: string, cluster: string, req: ReplayRequest): Promise<{ plan: ReplayPlanResponse; job: ReplayJob }> {
  const planned = await api(url, 'POST', `/api/clusters/${cluster}/replay/plan`, req);
  if (planned.status !== 200) throw new Error(`plan answered ${planned.status}: ${JSON.stringify(planned.body)}`);
  const plan = replayPlanResponseSchema.parse(planned.body);
  const executed = await api(url, 'POST', `/api/clusters/${cluster}/replay/execute`, { planId: plan.planId, planHash: plan.planHash, confirm: plan.confirmName });
  if (executed.status !== 201) throw new Error(`execute answered ${executed.status}: ${JSON.stringify(executed.body)}`);
  return { plan, job: replayJobSchema.parse(executed.body) };
}

async function jobState(url: string, cluster: string, id: string): Promise<ReplayJob> {
  const got = await api(url, 'GET', `/api/clusters/${cluster}/replay/jobs/${id}`);
  if (got.status !== 200) throw new Error(`job answered ${got.status}`);
  return replayJobSchema.parse(got.body);
}

const waitFor = (url: string, cluster: string, id: string, states: ReplayJob['state'][], timeoutMs = 60_000) =>
  eventually(async () => {
    const job = await jobState(url, cluster, id);
    if (job.state === 'failed' && !states.includes('failed')) throw new Error(`job failed: ${JSON.stringify(job.error)}`);
    return states.includes(job.state) ? job : undefined;
  }, { timeoutMs, what: `job ${id} to be ${states.join('/')}` });

describe('replay jobs against the real local Kafka', () => {
  let server: TopologServer;
  let url: string;
  const source = uniqueName('it-replay-src');
  const target = uniqueName('it-replay-dst');
  const small = uniqueName('it-replay-small');
  const smallTarget = uniqueName('it-replay-small-dst');
  const dlq = `${uniqueName('it-replay-orders')}.DLT`;
  const COUNT = 100_000;

  beforeAll(async () => {
    // One broker, no replication: nothing can become visible late, so recovery need not wait.
    ({ server, url } = await startTestServer({ replay: { recoverySettleMs: 1000 } }));
    await Promise.all([createTopic(source, SOURCE_PARTITIONS), createTopic(target, SOURCE_PARTITIONS), createTopic(small, SOURCE_PARTITIONS), createTopic(smallTarget, SOURCE_PARTITIONS), createTopic(dlq, 1)]);
    await fill(source, COUNT);
    await fill(small, 3_000);
    await eventually(async () => ((await api(url, 'GET', '/api/clusters/local/replay/jobs')).status === 200 ? true : undefined), { what: 'the server' });
    await eventually(async () => ((await api(url, 'POST', '/api/clusters/local/replay/plan', request('local', small, smallTarget))).status === 200 ? true : undefined), { what: 'the cluster to answer' });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await deleteTopics([source, target, small, smallTarget, dlq]);
  });

  it('replays 100,000 records with a CEL filter: exactly the matching ones, each once; the dry run writes nothing', async () => {
    const planned = await api(url, 'POST', '/api/clusters/local/replay/plan', request('local', source, target));
    expect(planned.status).toBe(200);
    const plan = replayPlanResponseSchema.parse(planned.body);
    const expected = expectedMatches(COUNT);
    expect(plan.inRange).toBe(COUNT);
    expect(plan.confirmName).toBe(target);
    expect(plan.blocked).toBeNull();
    expect(plan.sample.length).toBe(5);
    expect(plan.sample.every((s) => s.value?.includes('"keep"'))).toBe(true);
    if (plan.complete) expect(plan.matched).toBe(expected.size);
    else expect(Math.abs(plan.estimate - expected.size)).toBeLessThan(expected.size * 0.05);
    // The dry run wrote nothing.
    expect((await readAll(target)).length).toBe(0);

    // A wrong confirmation is refused.
    const wrong = await api(url, 'POST', '/api/clusters/local/replay/execute', { planId: plan.planId, planHash: plan.planHash, confirm: 'nope' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('confirm_mismatch');

    const executed = await api(url, 'POST', '/api/clusters/local/replay/execute', { planId: plan.planId, planHash: plan.planHash, confirm: target });
    expect(executed.status).toBe(201);
    const job = replayJobSchema.parse(executed.body);
    // Executing the same plan again is the same job (idempotency key = planId).
    const again = await api(url, 'POST', '/api/clusters/local/replay/execute', { planId: plan.planId, planHash: plan.planHash, confirm: target });
    expect(replayJobSchema.parse(again.body).id).toBe(job.id);

    const done = await waitFor(url, 'local', job.id, ['completed'], 120_000);
    expect(done.written).toBe(expected.size);
    expect(done.scanned).toBe(COUNT);
    expect(done.recoveries).toBe(0);
    const { counts, foreign } = await replayedCounts(target, job.id);
    expect(foreign).toBe(0);
    expect(counts.size).toBe(expected.size);
    for (const id of expected) expect(counts.get(id), id).toBe(1);
    // Same partitioning and kept headers: the original header is there next to the provenance.
    const one = (await readAll(target))[0]!;
    expect(one.headers.get('origin')).toBe('fixture');
    expect(one.headers.get(PROVENANCE_HEADERS.source)?.startsWith(`local/${source}/${one.partition}/`)).toBe(true);

    const list = replayJobListResponseSchema.parse((await api(url, 'GET', '/api/clusters/local/replay/jobs')).body);
    expect(list.jobs.some((j) => j.id === job.id && j.state === 'completed')).toBe(true);
    const audit = auditListResponseSchema.parse((await api(url, 'GET', '/api/clusters/local/audit?action=replay.start')).body);
    expect(audit.entries.some((e) => e.id === job.auditId && e.outcome === 'ok' && e.target === `topic:${target}`)).toBe(true);
    // The job's end is audited too, with what it wrote, pointing back at the start.
    const ends = auditListResponseSchema.parse((await api(url, 'GET', '/api/clusters/local/audit?action=replay.end')).body);
    expect(ends.entries.find((e) => e.target === `job:${job.id}`)).toMatchObject({ outcome: 'ok', params: { startedBy: job.auditId }, result: { state: 'completed', written: expected.size } });
  }, 180_000);

  it('pauses, resumes and cancels a rate-limited job; cancelled records stay', async () => {
    const { job } = await planAndExecute(url, 'local', request('local', small, smallTarget, { filter: null, rateLimit: 400, partitioning: 'key' }));
    await eventually(async () => ((await jobState(url, 'local', job.id)).written > 0 ? true : undefined), { what: 'some progress' });
    const paused = await api(url, 'POST', `/api/clusters/local/replay/jobs/${job.id}/pause`);
    expect(paused.status).toBe(200);
    const p = await waitFor(url, 'local', job.id, ['paused']);
    await new Promise((r) => setTimeout(r, 700));
    expect((await jobState(url, 'local', job.id)).written).toBe(p.written);
    // Pausing a paused job is refused, and says why.
    const twice = await api(url, 'POST', `/api/clusters/local/replay/jobs/${job.id}/pause`);
    expect(twice.status).toBe(409);
    expect(typeof twice.body.hint).toBe('string');

    expect((await api(url, 'POST', `/api/clusters/local/replay/jobs/${job.id}/resume`)).status).toBe(200);
    await eventually(async () => ((await jobState(url, 'local', job.id)).written > p.written ? true : undefined), { what: 'progress after resume' });
    expect((await api(url, 'POST', `/api/clusters/local/replay/jobs/${job.id}/cancel`)).status).toBe(200);
    const c = await waitFor(url, 'local', job.id, ['cancelled']);
    expect(c.written).toBeLessThan(3_000);
    expect(c.finishedAt).not.toBeNull();
    const { counts } = await replayedCounts(smallTarget, job.id);
    // What the checkpoint counts is in the target, each once.
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(c.written);
    const audit = auditListResponseSchema.parse((await api(url, 'GET', '/api/clusters/local/audit')).body);
    for (const action of ['replay.pause', 'replay.resume', 'replay.cancel'] as const) expect(audit.entries.some((e) => e.action === action && e.target === `job:${job.id}`)).toBe(true);
    expect(audit.entries.some((e) => e.action === 'replay.pause' && e.outcome === 'refused')).toBe(true);
    expect(audit.entries.find((e) => e.action === 'replay.end' && e.target === `job:${job.id}`)).toMatchObject({ result: { state: 'cancelled', written: c.written } });
  }, 90_000);

  it('a read-only cluster refuses to start (403), and the audit log holds the refusal', async () => {
    const planned = await api(url, 'POST', '/api/clusters/frozen/replay/plan', request('frozen', small, smallTarget));
    expect(planned.status).toBe(200);
    const plan = replayPlanResponseSchema.parse(planned.body);
    expect(plan.blocked?.reason).toContain('read-only');
    const executed = await api(url, 'POST', '/api/clusters/frozen/replay/execute', { planId: plan.planId, planHash: plan.planHash, confirm: smallTarget });
    expect(executed.status).toBe(403);
    expect(executed.body.error).toBe('read_only');
    const audit = auditListResponseSchema.parse((await api(url, 'GET', '/api/clusters/frozen/audit')).body);
    expect(audit.entries.some((e) => e.id === executed.body.auditId && e.action === 'replay.start' && e.outcome === 'refused')).toBe(true);
    // A read-only source with a writable target is refused as well.
    const mixed = await api(url, 'POST', '/api/clusters/frozen/replay/plan', { ...request('frozen', small, smallTarget), target: { cluster: 'local', topic: smallTarget } });
    const mixedPlan = replayPlanResponseSchema.parse(mixed.body);
    const refused = await api(url, 'POST', '/api/clusters/frozen/replay/execute', { planId: mixedPlan.planId, planHash: mixedPlan.planHash, confirm: smallTarget });
    expect(refused.status).toBe(403);
  });

  it('plan refuses the same topic, a bad filter, an unknown topic and internal topics, clearly', async () => {
    const same = await api(url, 'POST', '/api/clusters/local/replay/plan', request('local', small, small));
    expect(same.status).toBe(400);
    expect(same.body.error).toBe('same_topic');
    expect(String(same.body.hint)).toContain('allowSameTopic');
    const allowed = await api(url, 'POST', '/api/clusters/local/replay/plan', request('local', small, small, { allowSameTopic: true }));
    expect(allowed.status).toBe(200);

    const bad = await api(url, 'POST', '/api/clusters/local/replay/plan', request('local', small, smallTarget, { filter: 'value.kind == ' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_filter');
    expect(bad.body.filterError).toMatchObject({ position: expect.anything() });

    const missing = await api(url, 'POST', '/api/clusters/local/replay/plan', request('local', small, 'no-such-topic-xyz'));
    expect(missing.status).toBe(404);
    expect(String(missing.body.message)).toContain('target topic');
    const internal = await api(url, 'POST', '/api/clusters/local/replay/plan', request('local', small, '__consumer_offsets'));
    expect(internal.status).toBe(400);
    expect(internal.body.error).toBe('internal_topic');
    const garbage = await api(url, 'POST', '/api/clusters/local/replay/plan', { nope: true });
    expect(garbage.status).toBe(400);
  });

  it('recognises a dead-letter topic by name and Spring headers', async () => {
    const producer = testKafka('it-replay-dlq').producer();
    await producer.connect();
    await producer.send({ topic: dlq, messages: [1, 2, 3].map((i) => ({ value: `bad ${i}`, headers: { 'kafka_dlt-original-topic': i === 3 ? 'payments' : 'orders', 'kafka_dlt-original-partition': '0' } })) });
    await producer.disconnect();
    const got = await api(url, 'GET', `/api/clusters/local/topics/${encodeURIComponent(dlq)}/dead-letter`);
    expect(got.status).toBe(200);
    expect(got.body.deadLetter).toEqual({ topic: dlq, evidence: ['name', 'headers'], originals: [{ topic: 'orders', count: 2 }, { topic: 'payments', count: 1 }], originHeader: 'kafka_dlt-original-topic' });
    const plain = await api(url, 'GET', `/api/clusters/local/topics/${small}/dead-letter`);
    expect(plain.body).toEqual({ deadLetter: null });
    expect((await api(url, 'GET', '/api/clusters/local/topics/no-such-topic-xyz/dead-letter')).status).toBe(404);
  });
});

describe('replay survives kill -9 of Topolog mid-job: no duplicate, no gap', () => {
  const source = uniqueName('it-replay-crash-src');
  const target = uniqueName('it-replay-crash-dst');
  const COUNT = 12_000;
  const dataDir = tempDataDir();
  let child: ChildProcess | null = null;
  let output = '';

  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });

  const startChild = async (): Promise<string> => {
    const port = await freePort();
    // One broker, no replication: the recovery after the kill need not wait for late writes to settle.
    const configFile = join(dataDir, 'topolog.json');
    writeFileSync(configFile, JSON.stringify({ replay: { recoverySettleMs: 1000 } }));
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', String(port), '--brokers', TEST_BROKERS[0]!, '--data-dir', dataDir, '--config', configFile], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => ((await fetch(`${url}/api/clusters/default/replay/jobs`)).status === 200 ? true : undefined), { timeoutMs: 60_000, what: `the child server (${output.slice(-500)})` });
    return url;
  };

  const kill9 = async () => {
    const c = child!;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
    child = null;
  };

  beforeAll(async () => {
    await Promise.all([createTopic(source, SOURCE_PARTITIONS), createTopic(target, SOURCE_PARTITIONS)]);
    await fill(source, COUNT);
  }, 120_000);

  afterAll(async () => {
    if (child) await kill9();
    await deleteTopics([source, target]);
  });

  it('resumes after a crash and the target holds every selected record exactly once', async () => {
    let url = await startChild();
    await eventually(async () => ((await api(url, 'POST', '/api/clusters/default/replay/plan', request('default', source, target))).status === 200 ? true : undefined), { what: 'the cluster to answer' });
    // No filter, 2,000 records/s over 12,000: about 6 s, so the kill lands mid-job.
    const { job } = await planAndExecute(url, 'default', request('default', source, target, { filter: null, rateLimit: 2_000 }));
    await eventually(async () => ((await jobState(url, 'default', job.id)).written >= 3_000 ? true : undefined), { what: 'progress before the kill' });
    await kill9();
    url = await startChild();
    const done = await waitFor(url, 'default', job.id, ['completed'], 90_000);
    expect(done.recoveries).toBeGreaterThanOrEqual(1);
    expect(output).toMatch(/replay job .* recovery read \d+ target records/);
    expect(done.written).toBe(COUNT);
    const { counts, foreign } = await replayedCounts(target, job.id);
    expect(foreign).toBe(0);
    const dups = [...counts.entries()].filter(([, n]) => n > 1);
    expect(dups).toEqual([]);
    expect(counts.size).toBe(COUNT);
    await kill9();
  }, 180_000);
});

describe('recovery skips what a dead run wrote past its checkpoint (deterministic)', () => {
  const source = uniqueName('it-replay-lost-src');
  const target = uniqueName('it-replay-lost-dst');
  const COUNT = 9_000;
  const cluster = localCluster();
  const messages = new MessagesService([cluster], { filterWorkers: 1 });

  beforeAll(async () => {
    await Promise.all([createTopic(source, SOURCE_PARTITIONS), createTopic(target, SOURCE_PARTITIONS)]);
    await fill(source, COUNT);
  }, 120_000);

  afterAll(async () => {
    await messages.close();
    await deleteTopics([source, target]);
  });

  it('a run whose last checkpoints were lost is completed by the next one with no duplicate and no gap', async () => {
    const req = request('local', source, target, { filter: 'value.kind == "keep"', partitioning: 'key', rateLimit: 1_000 });
    const ranges = [0, 1, 2].map((partition) => ({ partition, from: 0, to: COUNT / SOURCE_PARTITIONS }));
    const runner = (progress: JobProgress, save: (p: JobProgress) => void) =>
      new JobRunner({ jobId: 'job-lost', request: req, ranges, source: messages.client('local'), target: messages.client('local'), targetCluster: cluster, filter: messages.filter(req.filter), progress, checkpoint: save });
    // The first run writes everything, but the store "loses" every checkpoint after the first few (as if the
    // process died right after Kafka acknowledged them): the kept one is unclean, with marks and positions mid-way.
    let kept: JobProgress | null = null;
    let saves = 0;
    const first = runner(initialProgress(ranges), (p) => {
      // Saves 1 and 2 are the marks and the start of the run; 3 and 4 the first two acknowledged batches.
      if (++saves <= 4) kept = structuredClone(p);
    });
    // The rate limit makes small batches (250 records), so there are several checkpoints.
    expect((await first.run()).kind).toBe('completed');
    const stale = kept as unknown as JobProgress;
    expect(stale.clean).toBe(false);
    expect(stale.written).toBe(500);
    // The second run recovers, then is paused before its checkpoint passes what recovery found: it must stay
    // unclean, or the third run would skip the scan and send those records again.
    let saved = 0;
    const second = runner(stale, () => {
      // Save 1 starts the run, right after the recovery scan: pause there, before anything is counted.
      if (++saved === 1) second.stop('pause');
    });
    expect((await second.run()).kind).toBe('stopped');
    // What the job service saves when the run ends.
    const afterPause = structuredClone(second.progress);
    expect(afterPause.recoveries).toBe(1);
    expect(afterPause.clean).toBe(false);
    let last: JobProgress | null = null;
    const third = runner(afterPause, (p) => (last = structuredClone(p)));
    expect((await third.run()).kind).toBe('completed');
    const final = last as unknown as JobProgress;
    expect(final.recoveries).toBe(2);
    expect(final.written).toBe(expectedMatches(COUNT).size);
    const { counts, foreign } = await replayedCounts(target, 'job-lost');
    expect(foreign).toBe(0);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(counts.keys())).toEqual(expectedMatches(COUNT));
  }, 120_000);
});
