import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from 'kafkajs';
import {
  auditListResponseSchema,
  resetListResponseSchema,
  resetPlanResponseSchema,
  resetRecordSchema,
  writeErrorSchema,
  type ResetPlanRequest,
  type ResetPlanResponse,
  type ResetRecord,
} from '../lib/contract';
import type { TopologServer } from './app';
import { GroupOffsetsClient } from './kafka/group-offsets';
import { startJavaConsumer } from './test/java-consumer';
import { TEST_BROKERS, createTopic, deleteTopics, eventually, startConsumer, testKafka, uniqueName } from './test/kafka-fixtures';
import { localCluster, startTestServer } from './test/test-server';

// Recent: records older than the topic's retention (7 days by default) would be deleted by the broker mid-test.
const BASE = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
const PER_PARTITION = 20;
/** Partition p's i-th record is written at BASE + i s + p × 10 ms: every timestamp distinct and known. */
const timeOf = (p: number, i: number) => BASE + i * 1000 + p * 10;

describe('consumer-group offset reset against the real local Kafka', () => {
  let server: TopologServer;
  let url: string;
  let admin: Admin;
  const topic = uniqueName('it-reset');
  const tail = uniqueName('it-reset-tail');
  const groups: string[] = [];
  const group = (name: string) => {
    const g = uniqueName(`it-reset-${name}`);
    groups.push(g);
    return g;
  };

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const base = (g: string, cluster = 'local') => `/api/clusters/${cluster}/groups/${encodeURIComponent(g)}/resets`;
  const plan = async (g: string, request: ResetPlanRequest, cluster = 'local'): Promise<ResetPlanResponse> => {
    const { status, body } = await call('POST', `${base(g, cluster)}/plan`, request);
    if (status !== 200) throw new Error(`plan answered ${status}: ${JSON.stringify(body)}`);
    return resetPlanResponseSchema.parse(body);
  };
  const execute = async (p: ResetPlanResponse, confirm = p.confirmName ?? undefined, cluster = 'local') => call('POST', `${base(p.group, cluster)}/execute`, { planId: p.planId, planHash: p.planHash, confirm });
  const executeOk = async (p: ResetPlanResponse): Promise<ResetRecord> => {
    const { status, body } = await execute(p);
    if (status !== 200) throw new Error(`execute answered ${status}: ${JSON.stringify(body)}`);
    return resetRecordSchema.parse(body);
  };

  /** Committed offsets as Kafka holds them, read with kafkajs (not through Topolog). */
  const committed = async (g: string, t = topic): Promise<number[]> => {
    const [entry] = await admin.fetchOffsets({ groupId: g, topics: [t] });
    return entry!.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
  };
  const commit = async (g: string, offsets: number[], t = topic) => admin.setOffsets({ groupId: g, topic: t, partitions: offsets.map((offset, partition) => ({ partition, offset: String(offset) })) });
  const targets = (p: ResetPlanResponse | ResetRecord) => p.partitions.map((x) => x.target);

  /**
   * A kafkajs consumer of the group started after the reset reads exactly the expected records: per partition, the
   * offsets from `first` on, `count` of them.
   */
  const consumeExpect = async (g: string, expected: { first: number; count: number }[], t = topic) => {
    const seen = new Map<number, number[]>();
    const consumer = testKafka(`${g}-check`).consumer({ groupId: g, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: t, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          seen.set(partition, [...(seen.get(partition) ?? []), Number(message.offset)]);
        },
      });
      const total = expected.reduce((s, e) => s + e.count, 0);
      await eventually(() => ([...seen.values()].reduce((s, l) => s + l.length, 0) >= total ? true : undefined), { what: `${total} records in group ${g}` });
    } finally {
      await consumer.disconnect();
    }
    expected.forEach((e, p) => expect(seen.get(p) ?? [], `partition ${p}`).toEqual(Array.from({ length: e.count }, (_, i) => e.first + i)));
  };

  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    admin = testKafka('it-reset-admin').admin();
    await admin.connect();
    await createTopic(topic, 2);
    await createTopic(tail, 2);
    const producer = testKafka('it-reset-writer').producer();
    await producer.connect();
    try {
      for (let p = 0; p < 2; p++) {
        await producer.send({ topic, messages: Array.from({ length: PER_PARTITION }, (_, i) => ({ partition: p, key: `k${i}`, value: `v-${p}-${i}`, timestamp: String(timeOf(p, i)) })) });
        await producer.send({ topic: tail, messages: Array.from({ length: PER_PARTITION }, (_, i) => ({ partition: p, value: `old-${i}` })) });
      }
    } finally {
      await producer.disconnect();
    }
    for (const cluster of ['local', 'frozen']) {
      await eventually(async () => ((await call('POST', `${base('probe', cluster)}/plan`, { spec: { mode: 'earliest' }, scope: [{ topic, partitions: null }] })).status === 200 ? true : undefined), {
        what: `cluster ${cluster} to answer`,
      });
    }
  });
  afterAll(async () => {
    await server?.close();
    if (admin) {
      await admin.deleteGroups(groups).catch(() => undefined);
      await admin.disconnect();
    }
    await deleteTopics([topic, tail]);
  });

  it('earliest: previews the reprocessing, needs the typed name for the whole group, and moves exactly as previewed', async () => {
    const g = group('earliest');
    await commit(g, [10, 12]);
    const p = await plan(g, { spec: { mode: 'earliest' }, scope: [] });
    expect(p.groupState).toBe('Empty');
    expect(p.blocked).toBeNull();
    expect(p.members).toEqual([]);
    expect(p.partitions).toMatchObject([
      { topic, partition: 0, current: 10, target: 0, reprocess: 10, skip: 0, lagAfter: 20, low: 0, high: 20, clamped: null },
      { topic, partition: 1, current: 12, target: 0, reprocess: 12, skip: 0, lagAfter: 20 },
    ]);
    expect(p.totals).toEqual({ reprocess: 22, skip: 0, lagAfter: 40, changed: 2 });
    expect(p.confirmName).toBe(g);
    expect(p.command.dryRun).toBe(`kafka-consumer-groups.sh --bootstrap-server ${TEST_BROKERS[0]} --group ${g} --reset-offsets --to-earliest --all-topics --dry-run`);
    expect(p.command.execute).toMatch(/--execute$/);
    expect(p.warnings.join(' ')).toMatch(/assign\(\).*Kafka Streams/);

    // Whole-group scope without the typed name: refused, audited, nothing changes; then with it, applied.
    const wrong = await execute(p, 'not-the-group');
    expect(wrong.status).toBe(400);
    expect(writeErrorSchema.parse(wrong.body)).toMatchObject({ error: 'confirmation_mismatch', auditId: expect.any(Number) });
    expect(await committed(g)).toEqual([10, 12]);

    const record = await executeOk(p);
    expect(record).toMatchObject({ outcome: 'applied', undoOf: null, undoneBy: null, undoable: true });
    expect(record.partitions).toEqual([
      { topic, partition: 0, target: 0, previous: 10, after: 0, error: null },
      { topic, partition: 1, target: 0, previous: 12, after: 0, error: null },
    ]);
    expect(await committed(g)).toEqual(targets(p));
    // The same plan executed again (a double click) answers the same record and writes nothing more.
    expect(resetRecordSchema.parse((await execute(p)).body).id).toBe(record.id);
    await consumeExpect(g, [{ first: 0, count: 20 }, { first: 0, count: 20 }]);
  });

  it('latest: skips what is left, and the group then reads only new records', async () => {
    const g = group('latest');
    await commit(g, [5, 20], tail);
    const p = await plan(g, { spec: { mode: 'latest' }, scope: [{ topic: tail, partitions: null }] });
    expect(p.partitions.map((x) => [x.current, x.target, x.skip])).toEqual([
      [5, 20, 15],
      [20, 20, 0],
    ]);
    // Not the whole group, but messages are skipped: the typed name is still required.
    expect(p.confirmName).toBe(g);
    expect(p.command.dryRun).toContain(`--to-latest --topic ${tail} --dry-run`);
    await executeOk(p);
    expect(await committed(g, tail)).toEqual([20, 20]);
    const producer = testKafka('it-reset-tail-writer').producer();
    await producer.connect();
    await producer.send({ topic: tail, messages: [0, 1, 0, 1, 0].map((partition, i) => ({ partition, value: `new-${i}` })) });
    await producer.disconnect();
    await consumeExpect(g, [{ first: 20, count: 3 }, { first: 20, count: 2 }], tail);
  });

  it('timestamp: each partition goes to its first record at or after the time', async () => {
    const g = group('time');
    await commit(g, [2, 2]);
    // 12.005 s after BASE: partition 0's record 13 (13.000 s) and partition 1's record 12 (12.010 s).
    const at = BASE + 12_005;
    const p = await plan(g, { spec: { mode: 'timestamp', timestamp: at }, scope: [{ topic, partitions: null }] });
    expect(targets(p)).toEqual([13, 12]);
    expect(p.partitions.map((x) => x.skip)).toEqual([11, 10]);
    expect(p.command.dryRun).toContain(`--to-datetime ${new Date(at).toISOString()}`);
    const record = await executeOk(p);
    expect(record.partitions.map((x) => x.after)).toEqual([13, 12]);
    expect(await committed(g)).toEqual([13, 12]);
    await consumeExpect(g, [{ first: 13, count: 7 }, { first: 12, count: 8 }]);
  });

  it('offset: one partition only; the others keep their offset', async () => {
    const g = group('offset');
    await commit(g, [10, 10]);
    const p = await plan(g, { spec: { mode: 'offset', offset: 7 }, scope: [{ topic, partitions: [1] }] });
    expect(p.partitions).toMatchObject([{ partition: 1, current: 10, target: 7, reprocess: 3, skip: 0 }]);
    expect(p.confirmName).toBeNull();
    expect(p.command.dryRun).toContain(`--to-offset 7 --topic ${topic}:1 --dry-run`);
    await executeOk(p);
    expect(await committed(g)).toEqual([10, 7]);
    await consumeExpect(g, [{ first: 10, count: 10 }, { first: 7, count: 13 }]);
  });

  it('shift back and forward, with a shift past the end clamped to the log in the preview', async () => {
    const g = group('shift');
    await commit(g, [10, 15]);
    const back = await plan(g, { spec: { mode: 'shift', by: -4 }, scope: [{ topic, partitions: null }] });
    expect(targets(back)).toEqual([6, 11]);
    expect(back.command.dryRun).toContain('--shift-by -4');
    await executeOk(back);
    expect(await committed(g)).toEqual([6, 11]);

    const forward = await plan(g, { spec: { mode: 'shift', by: 8 }, scope: [{ topic, partitions: null }] });
    expect(forward.partitions.map((x) => [x.requested, x.target, x.clamped])).toEqual([
      [14, 14, null],
      [19, 19, null],
    ]);
    const far = await plan(g, { spec: { mode: 'shift', by: 12 }, scope: [{ topic, partitions: null }] });
    expect(far.partitions.map((x) => [x.requested, x.target, x.clamped])).toEqual([
      [18, 18, null],
      [23, 20, 'to-log-end'],
    ]);
    expect(far.warnings.join(' ')).toMatch(/1 partition asked for an offset outside the log.*1 23 → 20 \(log end\)/);
    await executeOk(far);
    expect(await committed(g)).toEqual([18, 20]);
    await consumeExpect(g, [{ first: 18, count: 2 }, { first: 20, count: 0 }]);
  });

  it('an offset beyond the end is clamped to the log end, and the preview says so', async () => {
    const g = group('clamp');
    await commit(g, [3, 3]);
    const p = await plan(g, { spec: { mode: 'offset', offset: 1_000 }, scope: [{ topic, partitions: [0] }] });
    expect(p.partitions).toMatchObject([{ partition: 0, requested: 1_000, target: 20, clamped: 'to-log-end', skip: 17, lagAfter: 0 }]);
    expect(p.warnings.join(' ')).toContain('clamped');
  });

  it('copy: takes another group\'s committed offsets, with the --from-file rows', async () => {
    const source = group('src');
    const g = group('copy');
    await commit(source, [3, 15]);
    await commit(g, [10, 10]);
    const p = await plan(g, { spec: { mode: 'copy', group: source }, scope: [{ topic, partitions: null }] });
    expect(targets(p)).toEqual([3, 15]);
    expect(p.command.csv).toBe(`${topic},0,3\n${topic},1,15\n`);
    expect(p.command.dryRun).toContain(`--from-file ${g}-offsets.csv`);
    await executeOk(p);
    expect(await committed(g)).toEqual([3, 15]);
    await consumeExpect(g, [{ first: 3, count: 17 }, { first: 15, count: 5 }]);
  });

  it('undo: puts the previous offsets back, and the original is marked undone', async () => {
    const g = group('undo');
    await commit(g, [10, 4]);
    const reset = await executeOk(await plan(g, { spec: { mode: 'earliest' }, scope: [{ topic, partitions: null }] }));
    expect(await committed(g)).toEqual([0, 0]);

    const { status, body } = await call('POST', `${base(g)}/${reset.id}/undo/plan`);
    expect(status).toBe(200);
    const undo = resetPlanResponseSchema.parse(body);
    expect(undo.spec).toEqual({ mode: 'offsets', offsets: [{ topic, partition: 0, offset: 10 }, { topic, partition: 1, offset: 4 }] });
    expect(undo.partitions.map((x) => [x.current, x.target])).toEqual([
      [0, 10],
      [0, 4],
    ]);
    expect(undo.command.csv).toBe(`${topic},0,10\n${topic},1,4\n`);
    const undone = await executeOk(undo);
    expect(undone).toMatchObject({ outcome: 'applied', undoOf: reset.id });
    expect(await committed(g)).toEqual([10, 4]);

    const list = resetListResponseSchema.parse((await call('GET', base(g))).body);
    expect(list.resets.map((r) => r.id)).toEqual([undone.id, reset.id]);
    expect(list.resets[1]).toMatchObject({ undoneBy: undone.id, undoable: false });
    // Undoing twice is refused with a reason.
    const again = await call('POST', `${base(g)}/${reset.id}/undo/plan`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'already_undone', hint: expect.any(String) });
    await consumeExpect(g, [{ first: 10, count: 10 }, { first: 4, count: 16 }]);
  });

  it('a group with a live classic (kafkajs) member is refused, listing it, and nothing changes', async () => {
    const g = group('classic-live');
    await commit(g, [20, 20]);
    const consumer = await startConsumer(g, topic, 'email-service');
    try {
      const p = await plan(g, { spec: { mode: 'earliest' }, scope: [{ topic, partitions: null }] });
      expect(p.members).toEqual([expect.objectContaining({ clientId: 'email-service', protocol: 'classic' })]);
      expect(p.blocked?.reason).toMatch(/1 live member: email-service on .* \(classic\)/);
      const refused = await execute(p);
      expect(refused.status).toBe(409);
      const error = writeErrorSchema.parse(refused.body);
      expect(error).toMatchObject({ error: 'group_has_members', auditId: expect.any(Number) });
      expect(error.message).toMatch(/email-service.*Nothing was changed/);
      expect(error.hint).toMatch(/Stop these consumers first/);
      expect(error.members).toEqual([expect.objectContaining({ clientId: 'email-service', protocol: 'classic' })]);
      expect(await committed(g)).toEqual([20, 20]);

      // Had a member slipped in after the check, Kafka itself rejects the admin commit: reported per partition.
      const port = new GroupOffsetsClient(localCluster());
      try {
        const result = await port.alterOffsets(g, [{ topic, partition: 0, offset: 0 }, { topic, partition: 1, offset: 0 }]);
        expect([...result.values()]).toEqual([expect.stringMatching(/^[A-Z_]+$/), expect.stringMatching(/^[A-Z_]+$/)]);
      } finally {
        await port.close();
      }
      expect(await committed(g)).toEqual([20, 20]);
    } finally {
      await consumer.disconnect();
    }
  });

  it('a group with a live KIP-848 member is refused at execute even when the preview was made while empty', async () => {
    const g = group('kip848-live');
    // Previewed before the group exists: the preview says the reset would create it.
    const p = await plan(g, { spec: { mode: 'earliest' }, scope: [{ topic, partitions: null }] });
    expect(p.groupState).toBeNull();
    expect(p.warnings.join(' ')).toMatch(/does not exist yet/);
    expect(p.blocked).toBeNull();

    const stop = startJavaConsumer(topic, g, { protocol: 'consumer', clientId: 'jvm-billing' });
    try {
      // The console consumer reads everything and commits the end; then the offsets stay put.
      await eventually(async () => ((await committed(g)).join() === '20,20' ? true : undefined), { what: 'the KIP-848 consumer to commit the end', timeoutMs: 60_000 });
      const now = await plan(g, { spec: { mode: 'earliest' }, scope: [{ topic, partitions: null }] });
      expect(now.members).toEqual([expect.objectContaining({ clientId: 'jvm-billing', protocol: 'consumer' })]);
      expect(now.groupState).toBe('Stable');

      const refused = await execute(p);
      expect(refused.status).toBe(409);
      const error = writeErrorSchema.parse(refused.body);
      expect(error.error).toBe('group_has_members');
      expect(error.message).toMatch(/jvm-billing.*\(KIP-848\)/);
      expect(error.members).toEqual([expect.objectContaining({ clientId: 'jvm-billing', protocol: 'consumer' })]);
      expect(await committed(g)).toEqual([20, 20]);
    } finally {
      await stop();
    }
  }, 120_000);

  it('a log start that moved past a previewed target (retention) moves the target up to it, and the audit says so', async () => {
    const g = group('moved');
    await commit(g, [10, 10], tail);
    const p = await plan(g, { spec: { mode: 'offset', offset: 2 }, scope: [{ topic: tail, partitions: [0] }] });
    expect(p.partitions).toMatchObject([{ partition: 0, target: 2, low: 0 }]);
    await admin.deleteTopicRecords({ topic: tail, partitions: [{ partition: 0, offset: '5' }] });
    const record = await executeOk(p);
    expect(record.partitions).toEqual([{ topic: tail, partition: 0, target: 5, previous: 10, after: 5, error: null }]);
    expect(await committed(g, tail)).toEqual([5, 10]);
    const entries = auditListResponseSchema.parse((await call('GET', '/api/clusters/local/audit?limit=50')).body).entries;
    expect(entries.find((e) => e.target === `group:${g}`)?.result).toMatchObject({ reclamped: [{ topic: tail, partition: 0, planned: 2, target: 5 }] });
  });

  it('refuses unknown topics and partitions by name', async () => {
    const g = group('bad');
    const unknown = await call('POST', `${base(g)}/plan`, { spec: { mode: 'earliest' }, scope: [{ topic: 'no-such-topic-xyz', partitions: null }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'unknown_topic', message: expect.stringContaining('no-such-topic-xyz'), hint: expect.any(String) });
    const partition = await call('POST', `${base(g)}/plan`, { spec: { mode: 'earliest' }, scope: [{ topic, partitions: [5] }] });
    expect(partition.status).toBe(400);
    expect(partition.body).toMatchObject({ error: 'unknown_partition', message: expect.stringContaining('no partition 5') });
    const invalid = await call('POST', `${base(g)}/plan`, { spec: { mode: 'sideways' }, scope: [] });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: 'bad_request', hint: expect.stringContaining('mode') });
    const whole = await call('POST', `${base(g)}/plan`, { spec: { mode: 'earliest' }, scope: [] });
    expect(whole.status).toBe(400);
    expect(whole.body).toMatchObject({ error: 'nothing_to_reset' });
    const stale = await call('POST', `${base(g)}/execute`, { planId: 'nope', planHash: 'nope' });
    expect(stale.status).toBe(404);
    expect(stale.body).toMatchObject({ error: 'plan_not_found', auditId: expect.any(Number) });
  });

  it('a read-only cluster previews but refuses to execute (403), and the audit log holds every action', async () => {
    const g = group('frozen');
    await commit(g, [10, 10]);
    const p = await plan(g, { spec: { mode: 'earliest' }, scope: [{ topic, partitions: null }] }, 'frozen');
    expect(p.blocked?.reason).toMatch(/read-only/);
    const refused = await execute(p, undefined, 'frozen');
    expect(refused.status).toBe(403);
    expect(writeErrorSchema.parse(refused.body)).toMatchObject({ error: 'read_only', auditId: expect.any(Number) });
    expect(await committed(g)).toEqual([10, 10]);

    const frozen = auditListResponseSchema.parse((await call('GET', '/api/clusters/frozen/audit')).body);
    expect(frozen.entries).toContainEqual(expect.objectContaining({ action: 'reset', target: `group:${g}`, outcome: 'refused' }));

    const local = auditListResponseSchema.parse((await call('GET', '/api/clusters/local/audit?limit=500')).body).entries;
    const of = (name: string) => local.filter((e) => e.target === `group:${groups.find((x) => x.includes(`it-reset-${name}-`))}`).map((e) => `${e.action}:${e.outcome}`);
    // Newest first.
    expect(of('earliest')).toEqual(['reset:ok', 'reset:refused']);
    expect(of('undo')).toEqual(['undo:ok', 'reset:ok']);
    expect(of('classic-live')).toEqual(['reset:refused']);
    expect(of('kip848-live')).toEqual(['reset:refused']);
    for (const name of ['latest', 'time', 'offset', 'copy']) expect(of(name), name).toEqual(['reset:ok']);
    expect(of('shift')).toEqual(['reset:ok', 'reset:ok']);
    const ok = local.find((e) => e.target === `group:${groups.find((x) => x.includes('it-reset-offset-'))}`)!;
    expect(ok.params).toMatchObject({ spec: { mode: 'offset', offset: 7 }, targets: [{ topic, partition: 1, target: 7 }], undoOf: null });
    expect(ok.result).toMatchObject({ outcome: 'applied', failures: [] });
    expect(local.some((e) => e.target === `group:${groups.find((x) => x.includes('it-reset-bad-'))}` && e.outcome === 'refused')).toBe(true);
  });
});
