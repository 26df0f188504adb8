import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import {
  clustersResponseSchema, groupsResponseSchema, topologyDeltaSchema, topologySubscribeAckSchema, type TopologyDelta, healthResponseSchema, overviewDeltaSchema, subscribeAckSchema, topicsResponseSchema,
  type OverviewDelta,
} from '../lib/contract';
import { configSchema } from './config/schema';
import { createTopologServer, type TopologServer } from './app';
import { startJavaConsumer } from './test/java-consumer';
import { TEST_BROKERS, createTopic, deleteTopics, eventually, produce, startConsumer, uniqueName, tempDataDir } from './test/kafka-fixtures';

// Real broker, real server on a free port; only the UI is left out (the e2e tests cover it).
async function startServer(brokers: string[], pollIntervalMs = 1000): Promise<{ server: TopologServer; url: string }> {
  const config = configSchema.parse({ port: 0, dataDir: tempDataDir(), pollIntervalMs, slowPollIntervalMs: 2 * pollIntervalMs, clusters: [{ id: 'local', brokers }] });
  const server = await createTopologServer(config, { ui: false, log: () => undefined });
  const url = await server.listen();
  return { server, url };
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

describe('Topolog against the real local Kafka', () => {
  let server: TopologServer;
  let url: string;
  const createdTopics: string[] = [];

  beforeAll(async () => {
    ({ server, url } = await startServer(TEST_BROKERS));
    await eventually(async () => {
      const health = healthResponseSchema.parse((await getJson(`${url}/api/health`)).body);
      return health.clusters[0]?.state === 'ok' ? true : undefined;
    }, { what: 'the cluster to be ok' });
  });
  afterAll(async () => {
    await server?.close();
    await deleteTopics(createdTopics);
  });

  it('reports the cluster ok with its brokers, controller and Kafka version', async () => {
    const health = healthResponseSchema.parse((await getJson(`${url}/api/health`)).body);
    expect(health).toMatchObject({ status: 'ok', clusters: [{ id: 'local', state: 'ok', error: null }] });
    const { body } = await getJson(`${url}/api/clusters`);
    const [cluster] = clustersResponseSchema.parse(body).clusters;
    expect(cluster?.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port: Number(TEST_BROKERS[0]!.split(':')[1]), rack: null }]);
    expect(cluster?.controllerId).not.toBeNull();
    expect(cluster?.clusterId).toMatch(/\S{10,}/);
    expect(cluster?.version).toMatch(/^(4\.x|2\.8–3\.x)$/);
    expect(cluster?.observedAt).toBeGreaterThan(Date.now() - 10_000);
  });

  it('lists a newly created topic with its partitions, and marks internal topics', async () => {
    const topic = uniqueName('it-topic');
    createdTopics.push(topic);
    await createTopic(topic, 3);
    const listed = await eventually(async () => {
      const body = topicsResponseSchema.parse((await getJson(`${url}/api/clusters/local/topics`)).body);
      return body.topics.find((t) => t.name === topic);
    }, { what: `topic ${topic} in the API` });
    expect(listed).toMatchObject({ partitions: 3, replicationFactor: 1, internal: false, underReplicatedPartitions: 0, offlinePartitions: 0, produceRate: null });
    const all = topicsResponseSchema.parse((await getJson(`${url}/api/clusters/local/topics`)).body).topics;
    const offsets = all.find((t) => t.name === '__consumer_offsets');
    if (offsets) expect(offsets.internal).toBe(true);
  });

  it('shows a running kafkajs group with its member, and keeps its topic after the member leaves', async () => {
    const topic = uniqueName('it-group-topic');
    const groupId = uniqueName('it-group');
    createdTopics.push(topic);
    await createTopic(topic, 2);
    await produce(topic, 20);
    const consumer = await startConsumer(groupId, topic, 'billing-service-5d8f7c-abcde');
    try {
      const group = await eventually(async () => {
        const body = groupsResponseSchema.parse((await getJson(`${url}/api/clusters/local/groups`)).body);
        const g = body.groups.find((x) => x.id === groupId);
        return g?.state === 'Stable' && g.members.length === 1 ? g : undefined;
      }, { what: `group ${groupId} to be Stable with one member` });
      expect(group).toMatchObject({ type: 'classic', protocolType: 'consumer', topics: [topic] });
      // The lag engine measures it: 20 messages on two partitions, read from the beginning.
      expect(group.lagSum).toBeGreaterThanOrEqual(0);
      expect(group.lagSum).toBeLessThanOrEqual(20);
      expect(group.status).not.toBeNull();
      expect(group.members[0]).toMatchObject({ clientId: 'billing-service-5d8f7c-abcde', topics: [topic] });
      // Let it commit, so the empty group still says what it reads.
      await new Promise((r) => setTimeout(r, 6_000));
    } finally {
      await consumer.disconnect();
    }
    const empty = await eventually(async () => {
      const body = groupsResponseSchema.parse((await getJson(`${url}/api/clusters/local/groups`)).body);
      const g = body.groups.find((x) => x.id === groupId);
      return g?.state === 'Empty' ? g : undefined;
    }, { what: `group ${groupId} to become Empty` });
    expect(empty.members).toEqual([]);
    expect(empty.topics).toEqual([topic]);
  });

  it('describes a KIP-848 group (group.protocol=consumer, Java client) with its member, which classic DescribeGroups cannot', async () => {
    const [cluster] = clustersResponseSchema.parse((await getJson(`${url}/api/clusters`)).body).clusters;
    // Kafka 3.9 rejects group.protocol=consumer by default; the new protocol is GA from 4.0.
    if (cluster?.version !== '4.x') return expect(cluster?.version).toBe('2.8–3.x');
    const topic = uniqueName('it-848-topic');
    const groupId = uniqueName('it-848-group');
    createdTopics.push(topic);
    await createTopic(topic, 2);
    await produce(topic, 5);
    const stop = startJavaConsumer(topic, groupId, { clientId: 'fraud-service-6c9d8-qwert' });
    try {
      const group = await eventually(async () => {
        const body = groupsResponseSchema.parse((await getJson(`${url}/api/clusters/local/groups`)).body);
        const g = body.groups.find((x) => x.id === groupId);
        return g?.members.length === 1 && g.state === 'Stable' ? g : undefined;
      }, { what: `KIP-848 group ${groupId} with one member`, timeoutMs: 45_000 });
      expect(group).toMatchObject({ type: 'consumer', topics: [topic] });
      expect(group.members[0]).toMatchObject({ clientId: 'fraud-service-6c9d8-qwert', topics: [topic] });
    } finally {
      await stop();
    }
  });

  it('pushes a snapshot on subscribe, then a delta with the next sequence number when a topic appears', async () => {
    const socket: Socket = connect(url, { transports: ['websocket'] });
    try {
      const ack = subscribeAckSchema.parse(await socket.timeout(5000).emitWithAck('subscribe', { kind: 'overview', cluster: 'local' }));
      if (!ack.ok) throw new Error(ack.message);
      const { seq } = ack.snapshot;
      expect(ack.snapshot.data.cluster.state).toBe('ok');

      const deltas: OverviewDelta[] = [];
      socket.on('delta', (raw: unknown) => deltas.push(overviewDeltaSchema.parse(raw)));
      const topic = uniqueName('it-live-topic');
      createdTopics.push(topic);
      await createTopic(topic, 1);
      const delta = await eventually(() => deltas.find((d) => d.topics.upsert.some((t) => t.name === topic)), { what: 'a delta with the new topic' });
      // Deltas arrive in order with no gap from the snapshot's sequence number.
      expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => seq + 1 + i));
      expect(delta.topics.upsert.find((t) => t.name === topic)?.partitions).toBe(1);
    } finally {
      socket.close();
    }
  });

  it('pushes the topology graph on subscribe, then topology:delta with the next sequence number when a topic appears', async () => {
    const socket: Socket = connect(url, { transports: ['websocket'] });
    try {
      const ack = topologySubscribeAckSchema.parse(await socket.timeout(5000).emitWithAck('subscribe', { kind: 'topology', cluster: 'local' }));
      if (!ack.ok) throw new Error(ack.message);
      const deltas: TopologyDelta[] = [];
      socket.on('topology:delta', (raw: unknown) => deltas.push(topologyDeltaSchema.parse(raw)));
      const topic = uniqueName('it-topology-topic');
      createdTopics.push(topic);
      await createTopic(topic, 1);
      await eventually(() => deltas.find((d) => d.nodes.upsert.some((n) => n.id === `topic:${topic}`)), { what: 'a topology delta with the new topic' });
      expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => ack.snapshot.seq + 1 + i));
    } finally {
      socket.close();
    }
  });

  it('keeps hidden nodes to the topology room that asks for them (showHidden), each room with its own graph and sequence', async () => {
    // An internal topic is hidden; it is in the graph once discovery has seen the metadata.
    await eventually(async () => {
      const res = await getJson(`${url}/api/clusters/local/topology?hidden=true`);
      return (res.body as { nodes: { hidden: boolean }[] }).nodes.some((n) => n.hidden) ? true : undefined;
    }, { what: 'a hidden node in the ?hidden=true graph' });
    // Two subscribers, as two browser tabs would be: one with hidden nodes, one without. (One socket in both rooms
    // would miss deltas: both rooms emit in the same tick, and a volatile emit is dropped while the socket is busy.)
    const sockets: Socket[] = [connect(url, { transports: ['websocket'] }), connect(url, { transports: ['websocket'] })];
    try {
      const deltas: TopologyDelta[][] = [[], []];
      const subscribe = async (i: number, room: object) => {
        const ack = topologySubscribeAckSchema.parse(await sockets[i]!.timeout(5000).emitWithAck('subscribe', room));
        if (!ack.ok) throw new Error(ack.message);
        sockets[i]!.on('topology:delta', (raw: unknown) => deltas[i]!.push(topologyDeltaSchema.parse(raw)));
        return ack.snapshot;
      };
      const snapshots = [await subscribe(0, { kind: 'topology', cluster: 'local' }), await subscribe(1, { kind: 'topology', cluster: 'local', showHidden: true })];
      const [plain, hidden] = snapshots as [(typeof snapshots)[0], (typeof snapshots)[0]];
      expect(plain.room).toBe('topology:local');
      expect(hidden.room).toBe('topology:local:hidden');
      expect(plain.data.nodes.some((n) => n.hidden)).toBe(false);
      expect(hidden.data.nodes.some((n) => n.hidden)).toBe(true);
      expect(hidden.data.nodes.length).toBeGreaterThan(plain.data.nodes.length);

      const topic = uniqueName('it-hidden-topic');
      createdTopics.push(topic);
      await createTopic(topic, 1);
      const hasTopic = (d: TopologyDelta) => d.nodes.upsert.some((n) => n.id === `topic:${topic}`);
      await eventually(() => (deltas.every((list) => list.some(hasTopic)) ? true : undefined), { what: 'the new topic in both rooms' });
      snapshots.forEach((snapshot, i) => {
        // Each room has its own sequence, from its own snapshot, and its subscribers get only its deltas.
        expect(deltas[i]!.every((d) => d.room === snapshot.room)).toBe(true);
        expect(deltas[i]!.map((d) => d.seq)).toEqual(deltas[i]!.map((_, k) => snapshot.seq + 1 + k));
      });
      // The default room never receives a hidden node.
      expect(deltas[0]!.every((d) => d.nodes.upsert.every((n) => !n.hidden))).toBe(true);
    } finally {
      for (const socket of sockets) socket.close();
    }
  });

  it('refuses an unknown cluster or room clearly', async () => {
    const { status, body } = await getJson(`${url}/api/clusters/nope/topics`);
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: 'unknown_cluster', message: 'No cluster "nope" is configured.' });
    expect((await getJson(`${url}/api/nothing-here`)).status).toBe(404);
    const socket: Socket = connect(url, { transports: ['websocket'] });
    try {
      expect(await socket.timeout(5000).emitWithAck('subscribe', { kind: 'overview', cluster: 'nope' })).toMatchObject({ ok: false, error: 'unknown_cluster' });
      expect(await socket.timeout(5000).emitWithAck('subscribe', { kind: 'drop tables' })).toMatchObject({ ok: false, error: 'bad_room' });
    } finally {
      socket.close();
    }
  });
});

describe('Topolog with an unreachable broker', () => {
  it('reports it unreachable with an actionable error, keeps serving and keeps retrying', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const { server, url } = await startServer(['127.0.0.1:1']);
    try {
      const health = await eventually(async () => {
        const h = healthResponseSchema.parse((await getJson(`${url}/api/health`)).body);
        return h.clusters[0]?.state === 'unreachable' ? h : undefined;
      }, { what: 'the cluster to be unreachable' });
      expect(health.status).toBe('degraded');
      expect(health.clusters[0]?.error).toMatchObject({ code: 'ECONNREFUSED', message: 'Connection refused by 127.0.0.1:1.' });
      expect(health.clusters[0]?.retryAt).toBeGreaterThan(health.clusters[0]!.since);

      const topics = await getJson(`${url}/api/clusters/local/topics`);
      expect(topics.status).toBe(503);
      expect(topics.body).toMatchObject({ error: 'cluster_unreachable', message: 'Connection refused by 127.0.0.1:1.' });
      expect((topics.body as { hint: string }).hint).toContain('retries automatically');

      // The state's "since" stays put across retries: it says how long the outage has lasted.
      const since = health.clusters[0]!.since;
      await new Promise((r) => setTimeout(r, 2500));
      const later = healthResponseSchema.parse((await getJson(`${url}/api/health`)).body);
      expect(later.clusters[0]).toMatchObject({ state: 'unreachable', since });
    } finally {
      await server.close();
    }
  });
});
