import type { Server, Socket } from 'socket.io';
import {
  roomKey, roomSchema, type GroupData, type GroupRoom, type GroupSubscribeAck, type OverviewData, type OverviewDelta, type SubscribeAck,
  type TopicDetail, type TopicRoom, type TopicSubscribeAck, type Topology, type TopologyDelta, type TopologyRoom, type TopologySubscribeAck,
} from '../../lib/contract';
import { buildTopicDetail } from '../topology/topic-view';
import { deepEqual } from '../../lib/realtime/keyed-diff';
import { diffTopology, isEmptyTopologyChange } from '../../lib/topology/topology-delta';
import type { ClusterTopology } from '../topology/discovery';
import { diffOverview } from '../../lib/realtime/overview-delta';
import type { ClusterWatcher } from '../poller/cluster-watcher';

interface RoomState<T> {
  seq: number;
  /** What subscribers hold at `seq`: a snapshot is this, and the next update is computed from it. */
  sent: T;
}

/**
 * Pushes live data to subscribed sockets: a snapshot in the subscribe ack, then one update per poll cycle with a
 * sequence number, only to rooms that have subscribers. Overview rooms get keyed deltas (`delta`); group rooms get
 * the group's whole detail when it changed (`group:update`). Emits are volatile (a slow client may miss one rather
 * than grow server memory); the client notices the gap in `seq` and subscribes again for a fresh snapshot.
 */
export class RealtimeHub {
  readonly #io: Server;
  readonly #watchers: Map<string, ClusterWatcher>;
  readonly #overviews = new Map<string, RoomState<OverviewData>>();
  readonly #groups = new Map<string, RoomState<GroupData> & { room: GroupRoom }>();
  /** Keyed by roomKey: the default and the showHidden room of a cluster are separate rooms with their own graphs. */
  readonly #topologyRooms = new Map<string, RoomState<Topology> & { room: TopologyRoom }>();
  readonly #topologies: Map<string, ClusterTopology>;
  readonly #topics = new Map<string, RoomState<TopicDetail> & { room: TopicRoom }>();

  constructor(io: Server, watchers: Map<string, ClusterWatcher>, topologies: Map<string, ClusterTopology> = new Map()) {
    this.#io = io;
    this.#watchers = watchers;
    this.#topologies = topologies;
    for (const topology of topologies.values()) {
      topology.on('cycle', (at) => this.#publishTopologies(topology, at));
    }
    for (const watcher of watchers.values()) {
      watcher.on('update', (overview) => {
        this.#publishOverview(roomKey({ kind: 'overview', cluster: watcher.config.id }), overview);
        this.#publishGroups(watcher);
        this.#publishTopics(watcher);
      });
    }
    io.on('connection', (socket) => this.#onConnection(socket));
  }

  #onConnection(socket: Socket): void {
    socket.on('subscribe', (raw: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (a: SubscribeAck | GroupSubscribeAck | TopologySubscribeAck | TopicSubscribeAck) => void) : () => undefined;
      const parsed = roomSchema.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, error: 'bad_room', message: 'subscribe expects { kind: "overview", cluster }, { kind: "group", cluster, group }, { kind: "topic", cluster, topic } or { kind: "topology", cluster, showHidden? }' });
        return;
      }
      const room = parsed.data;
      const watcher = this.#watchers.get(room.cluster);
      if (!watcher) {
        reply({ ok: false, error: 'unknown_cluster', message: `No cluster "${room.cluster}" is configured; known: ${[...this.#watchers.keys()].join(', ')}` });
        return;
      }
      const key = roomKey(room);
      if (room.kind === 'overview') {
        const state = this.#overviews.get(key) ?? { seq: 0, sent: watcher.overview };
        this.#overviews.set(key, state);
        void socket.join(key);
        reply({ ok: true, snapshot: { room: key, seq: state.seq, observedAt: Date.now(), data: state.sent } });
        return;
      }
      if (room.kind === 'topology') {
        const topology = this.#topologies.get(room.cluster);
        if (!topology) {
          reply({ ok: false, error: 'no_topology', message: `Topology discovery is not running for cluster "${room.cluster}".` });
          return;
        }
        const state = this.#topologyRooms.get(key) ?? { seq: 0, sent: topology.graphNow(Date.now(), room.showHidden === true), room };
        this.#topologyRooms.set(key, state);
        void socket.join(key);
        reply({ ok: true, snapshot: { room: key, seq: state.seq, observedAt: Date.now(), data: state.sent } });
        return;
      }
      if (room.kind === 'topic') {
        const detail = this.#topics.get(key)?.sent ?? buildTopicDetail(watcher, this.#topologies.get(room.cluster), room.topic);
        if (!detail) {
          reply({ ok: false, error: 'unknown_topic', message: `No topic "${room.topic}" on cluster "${room.cluster}" (yet): new topics appear at the next slow poll.` });
          return;
        }
        const state = this.#topics.get(key) ?? { seq: 0, sent: detail, room };
        this.#topics.set(key, state);
        void socket.join(key);
        reply({ ok: true, snapshot: { room: key, seq: state.seq, observedAt: Date.now(), data: state.sent } });
        return;
      }
      const detail = watcher.groupDetail(room.group);
      if (!detail) {
        reply({ ok: false, error: 'unknown_group', message: `No consumer group "${room.group}" on cluster "${room.cluster}" (yet): new groups appear at the next slow poll.` });
        return;
      }
      const state = this.#groups.get(key) ?? { seq: 0, sent: { group: detail.summary, partitions: detail.partitions }, room };
      this.#groups.set(key, state);
      void socket.join(key);
      reply({ ok: true, snapshot: { room: key, seq: state.seq, observedAt: Date.now(), data: state.sent } });
    });
    socket.on('unsubscribe', (raw: unknown) => {
      const parsed = roomSchema.safeParse(raw);
      if (parsed.success) void socket.leave(roomKey(parsed.data));
    });
  }

  #hasSubscribers(key: string): boolean {
    return (this.#io.sockets.adapter.rooms.get(key)?.size ?? 0) > 0;
  }

  #publishOverview(key: string, next: OverviewData): void {
    const state = this.#overviews.get(key);
    // Nobody ever subscribed: nothing to diff against and nobody to send to.
    if (!state) return;
    const changes = diffOverview(state.sent, next);
    if (!changes) return;
    state.seq += 1;
    state.sent = next;
    if (!this.#hasSubscribers(key)) return;
    const delta: OverviewDelta = { room: key, seq: state.seq, observedAt: Date.now(), ...changes };
    this.#io.to(key).volatile.emit('delta', delta);
  }

  /**
   * Every watched topology room of this cluster: the default one and the one with hidden nodes, each its own graph.
   * Both emit in the same tick, so one socket in both rooms would usually miss the second (a volatile emit is dropped
   * while the socket is still writing) and re-subscribe; a client holds one of the two (the map's toggle swaps them).
   */
  #publishTopologies(topology: ClusterTopology, at: number): void {
    for (const [key, state] of this.#topologyRooms) {
      if (state.room.cluster === topology.clusterId) this.#publishTopology(key, state, topology, at);
    }
  }

  /** Changed and removed nodes and edges since what the room's subscribers hold. */
  #publishTopology(key: string, state: RoomState<Topology> & { room: TopologyRoom }, topology: ClusterTopology, at: number): void {
    if (!this.#hasSubscribers(key)) {
      this.#topologyRooms.delete(key);
      return;
    }
    // Built here, only for a room someone watches: discovery itself never needs the whole graph.
    const next = topology.graphNow(at, state.room.showHidden === true);
    const changes = diffTopology(state.sent, next);
    state.sent = changes.sent;
    if (isEmptyTopologyChange(changes)) return;
    state.seq += 1;
    const delta: TopologyDelta = { room: key, seq: state.seq, observedAt: next.observedAt, nodes: changes.nodes, edges: changes.edges, figures: changes.figures };
    this.#io.to(key).volatile.emit('topology:delta', delta);
  }

  #publishGroups(watcher: ClusterWatcher): void {
    for (const [key, state] of this.#groups) {
      if (state.room.cluster !== watcher.config.id) continue;
      if (!this.#hasSubscribers(key)) {
        // Forget rooms nobody watches any more; a new subscriber starts from a fresh snapshot.
        this.#groups.delete(key);
        continue;
      }
      const detail = watcher.groupDetail(state.room.group);
      if (!detail) continue;
      const next: GroupData = { group: detail.summary, partitions: detail.partitions };
      if (deepEqual(state.sent, next)) continue;
      state.seq += 1;
      state.sent = next;
      this.#io.to(key).volatile.emit('group:update', { room: key, seq: state.seq, observedAt: Date.now(), data: next });
    }
  }

  /** Like groups: the whole topic detail when anything on the page changed. */
  #publishTopics(watcher: ClusterWatcher): void {
    for (const [key, state] of this.#topics) {
      if (state.room.cluster !== watcher.config.id) continue;
      if (!this.#hasSubscribers(key)) {
        this.#topics.delete(key);
        continue;
      }
      const next = buildTopicDetail(watcher, this.#topologies.get(watcher.config.id), state.room.topic);
      if (!next || deepEqual(state.sent, next)) continue;
      state.seq += 1;
      state.sent = next;
      this.#io.to(key).volatile.emit('topic:update', { room: key, seq: state.seq, observedAt: Date.now(), data: next });
    }
  }
}
