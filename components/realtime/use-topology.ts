'use client';
import { useEffect, useState } from 'react';
import { topologyDeltaSchema, topologySchema, topologySubscribeAckSchema, type Topology } from '../../lib/contract';
import { applyTopologyDelta } from '../../lib/topology/topology-delta';
import { getSocket } from './socket';
import type { LiveConnection } from './use-overview';

export interface TopologyState {
  data: Topology | null;
  connection: LiveConnection;
  /** Why the graph cannot be shown (unknown cluster, no history for that moment, ...). */
  error: string | null;
  /** A past graph is being fetched; the previous one stays on screen meanwhile. */
  loading: boolean;
}

/** Marks when a live delta arrived, so the benchmark can measure the main-thread work of one metrics tick. */
export const TICK_MARK = 'topolog:tick-start';

/**
 * The topology graph of one cluster: live (`at` null) through the socket room, snapshot then deltas, re-subscribing
 * on a gap; or the graph of a past moment from the REST API. Switching between them keeps the last graph on screen
 * until the next one is there, so the map never flashes empty.
 */
export function useTopology(cluster: string, at: number | null, showHidden: boolean): TopologyState {
  const [state, setState] = useState<TopologyState>({ data: null, connection: 'connecting', error: null, loading: true });

  useEffect(() => {
    if (at !== null) return undefined;
    const socket = getSocket();
    const room = { kind: 'topology' as const, cluster, showHidden };
    let seq = -1;
    let roomKey = '';
    let cancelled = false;
    // While a (re)subscription waits for its snapshot, deltas are ignored: each one would look like another gap and
    // ask for yet another full snapshot, the storm a slow client that drops deltas can least afford.
    let waiting = false;

    const subscribe = () => {
      if (waiting) return;
      waiting = true;
      socket.emit('subscribe', room, (raw: unknown) => {
        waiting = false;
        if (cancelled) return;
        const ack = topologySubscribeAckSchema.safeParse(raw);
        if (!ack.success) {
          setState((s) => ({ ...s, loading: false, error: 'The server sent a graph this page does not understand; reload the page.' }));
          return;
        }
        if (!ack.data.ok) {
          setState({ data: null, connection: 'connecting', loading: false, error: ack.data.message });
          return;
        }
        seq = ack.data.snapshot.seq;
        roomKey = ack.data.snapshot.room;
        setState({ data: ack.data.snapshot.data, connection: 'live', error: null, loading: false });
      });
    };

    const onDelta = (raw: unknown) => {
      if (waiting) return;
      performance.mark(TICK_MARK);
      const delta = topologyDeltaSchema.safeParse(raw);
      if (!delta.success || delta.data.room !== roomKey) return;
      if (delta.data.seq !== seq + 1) {
        subscribe(); // a dropped volatile delta: start again from a snapshot
        return;
      }
      seq = delta.data.seq;
      setState((s) => (s.data ? { ...s, data: applyTopologyDelta(s.data, delta.data) } : s));
    };
    const onConnect = () => {
      waiting = false; // a reply lost with the old connection never comes
      subscribe();
    };
    const onDisconnect = () => setState((s) => ({ ...s, connection: 'disconnected' }));

    setState((s) => ({ ...s, loading: s.data === null || s.data.historical }));
    socket.on('topology:delta', onDelta);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    if (socket.connected) subscribe();

    return () => {
      cancelled = true;
      socket.off('topology:delta', onDelta);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.emit('unsubscribe', room);
    };
  }, [cluster, at, showHidden]);

  useEffect(() => {
    if (at === null) return undefined;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    // Debounced: dragging the time scrubber asks for the moment the user stops at, not every one in between.
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/clusters/${encodeURIComponent(cluster)}/topology?at=${at}&hidden=${showHidden}`, { signal: controller.signal });
        const body: unknown = await res.json();
        // On any failure the previous graph goes: it would show another moment under this moment's label.
        if (!res.ok) {
          const message = (body as { message?: string; hint?: string }).message ?? `The server answered ${res.status}.`;
          const hint = (body as { hint?: string }).hint;
          setState((s) => ({ ...s, data: null, loading: false, error: hint ? `${message} ${hint}` : message }));
          return;
        }
        const parsed = topologySchema.safeParse(body);
        if (!parsed.success) {
          setState((s) => ({ ...s, data: null, loading: false, error: 'The server sent a graph this page does not understand; reload the page (the server may have been upgraded).' }));
          return;
        }
        setState({ data: parsed.data, connection: 'live', error: null, loading: false });
      } catch (err) {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, data: null, loading: false, error: `Cannot load the graph of that moment (${(err as Error).message}). Is the Topolog server still running?` }));
      }
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [cluster, at, showHidden]);

  return state;
}
