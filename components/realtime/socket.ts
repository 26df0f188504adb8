'use client';
import { io, type Socket } from 'socket.io-client';

let socket: Socket | null = null;

/** One socket.io connection per tab, shared by every live view. WebSocket only: no long-polling fallback. */
export function getSocket(): Socket {
  socket ??= io({ path: '/socket.io', transports: ['websocket'], reconnectionDelayMax: 10_000 });
  return socket;
}
