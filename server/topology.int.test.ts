import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Consumer, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupHistoryResponseSchema, groupsResponseSchema, type NodeHealth, type Topology, type TopologyEdge } from '../lib/contract';
import { createTopologServer, type TopologServer } from './app';
import { configSchema } from './config/schema';
import { createTopic, deleteTopics, eventually, produce, TEST_BROKERS, tempDataDir, testKafka, uniqueName } from './test/kafka-fixtures';
import { startJavaConsumer } from './test/java-consumer';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tag = Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 6);
// Service names without digits or dashes: identity normalisation must not mistake the test's randomness for a pod suffix.
const SIGNUP = `signup${tag}`;
const RELAY = `relay${tag}`;
const KIP = `kipreader${tag}`;
const TXN = `ledger${tag}`;

const T = {
  events: uniqueName('topo-events'),
  out: uniqueName('topo-out'),
  dlq: uniqueName('topo-dlq'),
  java: uniqueName('topo-java'),
  txn: uniqueName('topo-txn'),
  extra: uniqueName('topo-declared'),
  health: uniqueName('topo-health'),
};
const HEALTH_GROUP = uniqueName('topo-health-group');

/** Kafka's Java console producer: idempotent by default, no headers. Resolves when it has sent `lines` and exited. */
function javaProduce(topic: string, lines: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['scripts/kafka.sh', 'run-class', 'org.apache.kafka.tools.ConsoleProducer', '--bootstrap-server', TEST_BROKERS[0]!, '--topic', topic], { cwd: ROOT, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`console producer exited ${code}: ${stderr.slice(-1000)}`))));
    child.stdin.end(Array.from({ length: lines }, (_, i) => `line ${i}`).join('\n') + '\n');
  });
}

let server: TopologServer;
const stoppers: (() => Promise<unknown>)[] = [];
let groupsBefore: Set<string>;
let beforeProducers = 0;

async function graph(query = ''): Promise<Topology> {
  const res = await server.app.inject({ method: 'GET', url: `/api/clusters/local/topology${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Topology;
}

function edge(g: Topology, kind: TopologyEdge['kind'], from: string, to: string): TopologyEdge | undefined {
  return g.edges.find((e) => e.kind === kind && e.from === from && e.to === to);
}

async function edgeEventually(kind: TopologyEdge['kind'], from: string, to: string, check: (e: TopologyEdge) => boolean = () => true, timeoutMs = 40_000): Promise<TopologyEdge> {
  return eventually(
    async () => {
      const e = edge(await graph(), kind, from, to);
      return e && check(e) ? e : undefined;
    },
    { timeoutMs, intervalMs: 500, what: `${kind} ${from} → ${to}` },
  );
}

const ce = (source: string, type: string) => ({ ce_specversion: '1.0', ce_id: `${Math.random()}`, ce_source: source, ce_type: type });

describe('topology discovery against the real broker', () => {
  beforeAll(async () => {
    const admin = testKafka().admin();
    await admin.connect();
    groupsBefore = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
    await admin.disconnect();
    for (const topic of Object.values(T)) if (topic !== T.extra) await createTopic(topic, topic === T.events ? 2 : 1);

    const dir = tempDataDir();
    const asyncapi = join(dir, `${RELAY}.asyncapi.yaml`);
    // The relay's own document: it reads events and writes out (both real), and declares a topic it never writes.
    writeFileSync(
      asyncapi,
      `asyncapi: 3.0.0
info: { title: ${RELAY}, version: 1.0.0 }
channels:
  events: { address: ${T.events}, messages: { e: { payload: { type: object } } } }
  out: { address: ${T.out}, messages: { o: { payload: { type: object } } } }
  extra: { address: ${T.extra}, messages: { x: { payload: { type: object } } } }
operations:
  readEvents:
    action: receive
    channel: { $ref: '#/channels/events' }
    bindings: { kafka: { groupId: { type: string, enum: [${RELAY}] } } }
  writeOut: { action: send, channel: { $ref: '#/channels/out' } }
  writeExtra: { action: send, channel: { $ref: '#/channels/extra' } }
`,
    );
    const config = configSchema.parse({
      port: 0,
      dataDir: dir,
      pollIntervalMs: 1000,
      slowPollIntervalMs: 2000,
      clusters: [
        {
          id: 'local',
          brokers: TEST_BROKERS,
          topology: { asyncapi: [asyncapi], liveMs: 6000, recentMs: 20_000, staleMs: 600_000, sampler: { resampleMs: 1000, maxPartitionsPerCycle: 50 } },
          // Short status windows, so a status is judged within seconds (for the live and past health of groups).
          statusThresholds: { windowMs: 12_000, graceMs: 3_000, rebalanceGraceMs: 3_000 },
        },
      ],
    });
    server = await createTopologServer(config, { ui: false, log: () => undefined });
    await server.listen();
  });

  afterAll(async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    await server?.close();
    await deleteTopics(Object.values(T));
  });

  it('knows the graph had none of the producers before they started (?at= in the past)', async () => {
    await eventually(async () => ((await graph()).nodes.some((n) => n.id === `topic:${T.events}`) ? true : undefined), { what: 'topics in the graph' });
    beforeProducers = Date.now();
    // Evidence is stamped with record and poll times; give the clock a tick so nothing lands on the same millisecond.
    await new Promise((r) => setTimeout(r, 50));
  });

  it('names a kafkajs producer by its ce_source, and a consume-then-produce service sits between its topics', async () => {
    const kafka = testKafka(`${SIGNUP}-7d9f8b6c4-x2kq9`);
    const signup: Producer = kafka.producer();
    await signup.connect();
    let n = 0;
    const timer = setInterval(() => {
      void signup.send({ topic: T.events, messages: [{ key: String(n++ % 5), value: 'u', headers: ce(`//example.com/${SIGNUP}`, 'user.registered') }] }).catch(() => undefined);
    }, 100);
    stoppers.push(async () => {
      clearInterval(timer);
      await signup.disconnect();
    });

    const relayKafka = testKafka(`${RELAY}-5c6b7d8f9-abcde`);
    const out: Producer = relayKafka.producer();
    await out.connect();
    const consumer: Consumer = relayKafka.consumer({ groupId: RELAY });
    await consumer.connect();
    await consumer.subscribe({ topic: T.events, fromBeginning: true });
    let i = 0;
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        i += 1;
        if (i % 10 === 0) {
          // A Spring-style dead letter: the original CloudEvents headers are copied over (inherited, not the writer).
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
          await out.send({
            topic: T.dlq,
            messages: [{ value: message.value, headers: { ...headers, 'kafka_dlt-original-topic': T.events, 'kafka_dlt-original-partition': String(partition), 'kafka_dlt-original-offset': message.offset, 'kafka_dlt-original-consumer-group': RELAY, 'kafka_dlt-exception-fqcn': 'java.lang.IllegalStateException' } }],
          });
        } else {
          await out.send({ topic: T.out, messages: [{ value: message.value, headers: ce(`/${RELAY}`, 'thing.relayed') }] });
        }
      },
    });
    stoppers.push(async () => {
      await consumer.disconnect();
      await out.disconnect();
    });

    const produces = await edgeEventually('produces', `service:${SIGNUP}`, `topic:${T.events}`, (e) => e.state === 'live');
    expect(produces.evidence.some((x) => x.source === 'observed.header' && x.detail.header === 'ce_source')).toBe(true);
    await edgeEventually('consumes', `topic:${T.events}`, `consumerGroup:${RELAY}`, (e) => e.evidence.some((x) => x.source === 'observed.groupAssignment'));
    const member = await edgeEventually('memberOf', `consumerGroup:${RELAY}`, `service:${RELAY}`);
    expect(member.evidence[0]!.detail.clients).toEqual([`${RELAY}-5c6b7d8f9-abcde`]);
    await edgeEventually('produces', `service:${RELAY}`, `topic:${T.out}`, (e) => e.state === 'live');
  });

  it('links a dead-letter topic to its source, written by the failing group\'s service, not by the copied ce_source', async () => {
    await edgeEventually('deadLetters', `topic:${T.events}`, `topic:${T.dlq}`);
    const dlqWriter = await edgeEventually('produces', `service:${RELAY}`, `topic:${T.dlq}`);
    expect(dlqWriter.evidence.some((x) => x.detail.header === 'kafka_dlt-original-consumer-group')).toBe(true);
    const g = await graph();
    // The copied ce_source is a weak, inherited claim: if it shows at all it must be marked so.
    const inherited = edge(g, 'produces', `service:${SIGNUP}`, `topic:${T.dlq}`);
    if (inherited) expect(inherited.evidence.every((x) => x.detail.inherited === true)).toBe(true);
  });

  it('shows a header-less idempotent Java producer as an unknown producer with its session', async () => {
    await javaProduce(T.java, 20);
    const unknown = await edgeEventually('produces', `unknownProducer:${T.java}`, `topic:${T.java}`);
    const session = unknown.evidence.find((x) => x.source === 'observed.producerSession');
    expect(session?.detail.producerId).toMatch(/^\d+$/);
    expect(session?.detail.partitions).toEqual(['0']);
  });

  it('names a transactional producer by its transactional id', async () => {
    const producer = testKafka(`${TXN}-app`).producer({ transactionalId: `${TXN}-tx`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    let running = true;
    const loop = (async () => {
      while (running) {
        const tx = await producer.transaction();
        await tx.send({ topic: T.txn, messages: [{ value: 'x' }] });
        await new Promise((r) => setTimeout(r, 300));
        await tx.commit();
      }
    })();
    stoppers.push(async () => {
      running = false;
      await loop.catch(() => undefined);
      await producer.disconnect();
    });
    const named = await edgeEventually('produces', `service:${TXN}-tx`, `topic:${T.txn}`, (e) => e.evidence.some((x) => x.source === 'observed.transaction'));
    expect(named.evidence.find((x) => x.source === 'observed.transaction')?.detail.transactionalId).toBe(`${TXN}-tx`);
    // Its session is named too, with a rate from sequence numbers.
    await edgeEventually('produces', `service:${TXN}-tx`, `topic:${T.txn}`, (e) => e.evidence.some((x) => x.source === 'observed.producerSession') && e.metrics.method === 'sequence');
  });

  it('shows a KIP-848 group (Java consumer, group.protocol=consumer) as a consumer of its topic', async () => {
    stoppers.push(startJavaConsumer(T.java, KIP, { protocol: 'consumer', clientId: `${KIP}-6f7c8d9b5-qwert` }));
    await edgeEventually('consumes', `topic:${T.java}`, `consumerGroup:${KIP}`, (e) => e.evidence.some((x) => x.source === 'observed.groupAssignment'), 60_000);
    await edgeEventually('memberOf', `consumerGroup:${KIP}`, `service:${KIP}`);
    const g = await graph();
    expect(g.nodes.find((n) => n.id === `consumerGroup:${KIP}`)?.detail.type).toBe('consumer');
  });

  it('compares with the AsyncAPI document: declared-only, confirmed and observed-only edges', async () => {
    const g = await graph();
    const declaredOnly = edge(g, 'produces', `service:${RELAY}`, `topic:${T.extra}`);
    // The declared topic does not exist, so only the declaration stands behind it.
    expect(declaredOnly?.state).toBe('declaredOnly');
    expect(declaredOnly?.drift).toBe('declaredOnly');
    expect(edge(g, 'produces', `service:${RELAY}`, `topic:${T.out}`)?.drift).toBe('confirmed');
    expect(edge(g, 'consumes', `topic:${T.events}`, `consumerGroup:${RELAY}`)?.drift).toBe('confirmed');
    // signup writes a topic the document governs, but no document declares it.
    expect(edge(g, 'produces', `service:${SIGNUP}`, `topic:${T.events}`)?.drift).toBe('observedOnly');
  });

  it('moves a stopped producer from live to recent to stale', async () => {
    // A second short run of the Java producer: a new session that writes, then stops advancing for good.
    await javaProduce(T.java, 5);
    await edgeEventually('produces', `unknownProducer:${T.java}`, `topic:${T.java}`, (e) => e.state === 'live');
    const seen: string[] = ['live'];
    await eventually(
      async () => {
        const e = edge(await graph(), 'produces', `unknownProducer:${T.java}`, `topic:${T.java}`);
        if (e && seen.at(-1) !== e.state) seen.push(e.state);
        return e?.state === 'stale' ? true : undefined;
      },
      { timeoutMs: 50_000, intervalMs: 500, what: 'the stopped producer to go stale' },
    );
    // liveMs 6 s, recentMs 20 s: each state is seen on the way, in order.
    expect(seen).toEqual(['live', 'recent', 'stale']);
  });

  it('rebuilds the past: ?at= before the producers started has none of them', async () => {
    const past = await graph(`?at=${beforeProducers}`);
    expect(past.historical).toBe(true);
    expect(past.nodes.some((n) => n.id === `topic:${T.events}`)).toBe(true);
    expect(past.edges.filter((e) => e.kind === 'produces' && (e.to === `topic:${T.events}` || e.to === `topic:${T.java}`))).toEqual([]);
    const now = await graph(`?at=${Date.now()}`);
    expect(edge(now, 'produces', `service:${SIGNUP}`, `topic:${T.events}`)).toBeDefined();
    const bad = await server.app.inject({ method: 'GET', url: '/api/clusters/local/topology?at=yesterday-ish' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().hint).toMatch(/ISO 8601/);
  });

  it('puts each consumer group\'s live status and lag, as the groups API reports them, on its node', async () => {
    await eventually(
      async () => {
        const [g, res] = await Promise.all([graph(), server.app.inject({ method: 'GET', url: '/api/clusters/local/groups' })]);
        const groups = new Map(groupsResponseSchema.parse(res.json()).groups.map((x) => [x.id, x]));
        const nodes = g.nodes.filter((n) => n.kind === 'consumerGroup');
        expect(nodes.map((n) => n.name)).toContain(RELAY);
        for (const n of nodes) {
          const o = groups.get(n.name);
          const expected: NodeHealth | null = o ? { status: o.status, statusReason: o.statusReason ?? null, lag: o.lagSum, lagSeconds: o.lagSecondsMax } : null;
          // Both read the watcher's last cycle; a cycle between the two requests makes them differ, so try again.
          if (JSON.stringify(n.health) !== JSON.stringify(expected)) return undefined;
        }
        expect(g.nodes.filter((n) => n.kind !== 'consumerGroup').every((n) => n.health === null)).toBe(true);
        return expect(g.nodes.find((n) => n.name === RELAY)?.health?.status).not.toBeNull();
      },
      { what: 'group nodes carrying the groups API\'s status and lag', timeoutMs: 40_000 },
    );
  });

  it('rebuilds a group\'s health at a past moment: its lag and status then, as the group history says', async () => {
    await produce(T.health, 30);
    const admin = testKafka().admin();
    await admin.connect();
    try {
      // "Consumed part": the group has read 10 of 30 and nobody consumes (offsets committed without joining).
      await admin.setOffsets({ groupId: HEALTH_GROUP, topic: T.health, partitions: [{ partition: 0, offset: '10' }] });
      const node = `consumerGroup:${HEALTH_GROUP}`;
      // Frozen at lag 20 with no consumer for a whole (12 s) window: the poller says STOP.
      const then = await eventually(
        async () => {
          const g = await graph();
          const health = g.nodes.find((n) => n.id === node)?.health;
          return health?.status === 'STOP' && health.lag === 20 ? { at: g.at, health } : undefined;
        },
        { what: 'the group STOP with lag 20 in the live graph', timeoutMs: 45_000 },
      );
      expect(then.health.statusReason).toMatch(/^no consumer/);
      // Let the poller record a few cycles after that moment, then catch the group up.
      await new Promise((r) => setTimeout(r, 2500));
      await admin.setOffsets({ groupId: HEALTH_GROUP, topic: T.health, partitions: [{ partition: 0, offset: '30' }] });
      await eventually(
        async () => {
          const health = (await graph()).nodes.find((n) => n.id === node)?.health;
          return health?.lag === 0 && health.status === 'OK' ? true : undefined;
        },
        { what: 'the group caught up (lag 0, OK) in the live graph', timeoutMs: 30_000 },
      );

      const past = await graph(`?at=${then.at}`);
      expect(past.historical).toBe(true);
      const health = past.nodes.find((n) => n.id === node)?.health;
      const res = await server.app.inject({ method: 'GET', url: `/api/clusters/local/groups/${HEALTH_GROUP}/history?from=${then.at - 20_000}&to=${then.at}&stepMs=10000` });
      const point = groupHistoryResponseSchema.parse(res.json()).points.at(-1);
      expect(point?.t).toBe(then.at);
      // The lag and lag in seconds the group history gives for that moment, and the status the poller gave then.
      expect(health).toEqual({ status: 'STOP', statusReason: expect.stringMatching(/^no consumer/), lag: point?.lag, lagSeconds: point?.lagSecondsMax });
      expect(health?.lag).toBe(20);
      expect(health?.lagSeconds).toBeGreaterThan(0);
    } finally {
      await admin.deleteGroups([HEALTH_GROUP]).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('never leaves a consumer group behind: the sampler reads without joining', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const after = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => !groupsBefore.has(id));
    const described = after.length ? (await admin.describeGroups(after)).groups : [];
    await admin.disconnect();
    // New groups on this shared broker may come from other tests; none may belong to Topolog.
    for (const g of described) expect(g.members.every((m) => !m.clientId.startsWith('topolog'))).toBe(true);
    expect(after.filter((id) => id.startsWith('topolog'))).toEqual([]);
    const g = await graph();
    expect(g.sources.find((s) => s.source === 'headers')?.error).toBeNull();
    expect(g.cost?.requests).toBeGreaterThan(0);
  });
});
