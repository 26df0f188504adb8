'use client';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { Room } from '../../lib/contract';
import type { LiveConnection } from './use-overview';
import { getSocket } from './socket';

export interface WholeRoomState<T> {
  data: T | null;
  /** When the server sent the data (its tick), epoch ms. */
  observedAt: number | null;
  connection: LiveConnection;
  /** Why the subscription was refused (unknown group or topic, ...), shown instead of data. */
  error: string | null;
}

interface Snapshot<T> {
  room: string;
  seq: number;
  observedAt: number;
  data: T;
}

/**
 * A room whose updates carry the whole payload (group and topic pages): a snapshot in the subscribe ack, then
 * `event` with seq + 1 whenever anything changed. A gap in seq, a reconnect or a refused subscription that may
 * resolve later (a group that appears at the next slow poll) leads to a fresh subscription.
 */
export function useWholeRoom<T>(room: Room | null, event: string, snapshotSchema: z.ZodType<Snapshot<T>>): WholeRoomState<T> {
  const [state, setState] = useState<WholeRoomState<T>>({ data: null, observedAt: null, connection: 'connecting', error: null });
  const roomJson = room ? JSON.stringify(room) : null;

  useEffect(() => {
    if (!roomJson) return;
    const current = JSON.parse(roomJson) as Room;
    const socket = getSocket();
    let seq = -1;
    let key = '';
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // One subscription in flight at a time: updates that arrive out of order before its ack must not each send another.
    let pending = false;
    setState({ data: null, observedAt: null, connection: 'connecting', error: null });

    const subscribe = () => {
      if (pending) return;
      pending = true;
      socket.emit('subscribe', current, (raw: unknown) => {
        pending = false;
        if (cancelled) return;
        const ack = raw as { ok?: boolean; snapshot?: unknown; message?: string };
        if (ack?.ok !== true) {
          setState((s) => ({ ...s, connection: 'live', error: typeof ack?.message === 'string' ? ack.message : 'The server refused this subscription.' }));
          // A group or topic created moments ago appears at the next slow poll: ask again in a while.
          clearTimeout(retry);
          retry = setTimeout(subscribe, 5000);
          return;
        }
        const snapshot = snapshotSchema.safeParse(ack.snapshot);
        if (!snapshot.success) {
          setState((s) => ({ ...s, error: 'The server sent data this page does not understand; reload the page.' }));
          return;
        }
        seq = snapshot.data.seq;
        key = snapshot.data.room;
        setState({ data: snapshot.data.data, observedAt: snapshot.data.observedAt, connection: 'live', error: null });
      });
    };
    const onUpdate = (raw: unknown) => {
      const update = snapshotSchema.safeParse(raw);
      if (!update.success || update.data.room !== key) return;
      if (update.data.seq !== seq + 1) {
        subscribe();
        return;
      }
      seq = update.data.seq;
      setState({ data: update.data.data, observedAt: update.data.observedAt, connection: 'live', error: null });
    };
    const onConnect = () => subscribe();
    const onDisconnect = () => {
      // An ack lost with the connection never comes: the reconnect subscribes afresh.
      pending = false;
      setState((s) => ({ ...s, connection: 'disconnected' }));
    };
    socket.on(event, onUpdate);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    if (socket.connected) subscribe();
    return () => {
      cancelled = true;
      clearTimeout(retry);
      socket.off(event, onUpdate);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.emit('unsubscribe', current);
    };
  }, [roomJson, event, snapshotSchema]);

  return state;
}
