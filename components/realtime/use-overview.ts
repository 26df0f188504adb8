'use client';
import { useEffect, useState } from 'react';
import { overviewDeltaSchema, subscribeAckSchema, type OverviewData, type Room } from '../../lib/contract';
import { applyOverviewDelta } from '../../lib/realtime/overview-delta';
import { getSocket } from './socket';

export type LiveConnection = 'connecting' | 'live' | 'disconnected';

export interface OverviewState {
  data: OverviewData | null;
  connection: LiveConnection;
  /** Why the subscription was refused (unknown cluster, ...), shown instead of data. */
  error: string | null;
}

/**
 * Live overview of one cluster: a snapshot on subscribe, then deltas. A gap in the sequence, a malformed
 * message or a reconnect triggers a fresh subscription, so the view never drifts from the server.
 */
export function useOverview(cluster: string): OverviewState {
  const [state, setState] = useState<OverviewState>({ data: null, connection: 'connecting', error: null });

  useEffect(() => {
    const socket = getSocket();
    const room: Room = { kind: 'overview', cluster };
    let seq = -1;
    let roomKey = '';
    let cancelled = false;

    const subscribe = () => {
      socket.emit('subscribe', room, (raw: unknown) => {
        if (cancelled) return;
        const ack = subscribeAckSchema.safeParse(raw);
        if (!ack.success) {
          setState((s) => ({ ...s, error: 'The server sent a snapshot this page does not understand; reload the page.' }));
          return;
        }
        if (!ack.data.ok) {
          setState({ data: null, connection: 'live', error: ack.data.message });
          return;
        }
        seq = ack.data.snapshot.seq;
        roomKey = ack.data.snapshot.room;
        setState({ data: ack.data.snapshot.data, connection: 'live', error: null });
      });
    };

    const onDelta = (raw: unknown) => {
      const delta = overviewDeltaSchema.safeParse(raw);
      if (!delta.success || delta.data.room !== roomKey) return;
      if (delta.data.seq !== seq + 1) {
        // Missed a delta (volatile emits may drop under load): start again from a snapshot.
        subscribe();
        return;
      }
      seq = delta.data.seq;
      setState((s) => (s.data ? { ...s, data: applyOverviewDelta(s.data, delta.data) } : s));
    };
    const onConnect = () => subscribe();
    const onDisconnect = () => setState((s) => ({ ...s, connection: 'disconnected' }));

    socket.on('delta', onDelta);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    if (socket.connected) subscribe();

    return () => {
      cancelled = true;
      socket.off('delta', onDelta);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.emit('unsubscribe', room);
    };
  }, [cluster]);

  return state;
}
