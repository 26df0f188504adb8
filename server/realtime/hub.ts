import type { Server, Socket } from 'socket.io';
import { roomKey, roomSchema, type OverviewData, type OverviewDelta, type SubscribeAck } from '../../lib/contract';
import { diffOverview } from '../../lib/realtime/overview-delta';
import type { ClusterWatcher } from '../poller/cluster-watcher';

interface RoomState {
  seq: number;
  /** What subscribers hold at `seq`: a snapshot is this, and the next delta is computed from it. */
  sent: OverviewData;
}

/**
 * Pushes live data to subscribed sockets: a snapshot in the subscribe ack, then one delta per poll cycle with
 * a sequence number. Deltas are volatile (a slow client may miss one rather than grow server memory); the
 * client notices the gap in `seq` and subscribes again for a fresh snapshot.
 */
export class RealtimeHub {
  readonly #io: Server;
  readonly #watchers: Map<string, ClusterWatcher>;
  readonly #rooms = new Map<string, RoomState>();

  constructor(io: Server, watchers: Map<string, ClusterWatcher>) {
    this.#io = io;
    this.#watchers = watchers;
    for (const watcher of watchers.values()) {
      watcher.on('update', (overview) => this.#publish(roomKey({ kind: 'overview', cluster: watcher.config.id }), overview));
    }
    io.on('connection', (socket) => this.#onConnection(socket));
  }

  #onConnection(socket: Socket): void {
    socket.on('subscribe', (raw: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (a: SubscribeAck) => void) : () => undefined;
      const parsed = roomSchema.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, error: 'bad_room', message: 'subscribe expects { kind: "overview", cluster: "<cluster id>" }' });
        return;
      }
      const watcher = this.#watchers.get(parsed.data.cluster);
      if (!watcher) {
        reply({ ok: false, error: 'unknown_cluster', message: `No cluster "${parsed.data.cluster}" is configured; known: ${[...this.#watchers.keys()].join(', ')}` });
        return;
      }
      const key = roomKey(parsed.data);
      const state = this.#roomState(key, watcher.overview);
      void socket.join(key);
      reply({ ok: true, snapshot: { room: key, seq: state.seq, observedAt: Date.now(), data: state.sent } });
    });
    socket.on('unsubscribe', (raw: unknown) => {
      const parsed = roomSchema.safeParse(raw);
      if (parsed.success) void socket.leave(roomKey(parsed.data));
    });
  }

  #roomState(key: string, current: OverviewData): RoomState {
    let state = this.#rooms.get(key);
    if (!state) {
      state = { seq: 0, sent: current };
      this.#rooms.set(key, state);
    }
    return state;
  }

  #publish(key: string, next: OverviewData): void {
    const state = this.#rooms.get(key);
    // Nobody ever subscribed: nothing to diff against and nobody to send to.
    if (!state) return;
    const changes = diffOverview(state.sent, next);
    if (!changes) return;
    state.seq += 1;
    state.sent = next;
    if ((this.#io.sockets.adapter.rooms.get(key)?.size ?? 0) === 0) return;
    const delta: OverviewDelta = { room: key, seq: state.seq, observedAt: Date.now(), ...changes };
    this.#io.to(key).volatile.emit('delta', delta);
  }
}
