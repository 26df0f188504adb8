import { randomUUID } from 'node:crypto';
import type { Server as SocketServer, Socket } from 'socket.io';
import { tailRequestSchema, type TailAck, type TailBatch } from '../../lib/contract';
import { MessagesError } from '../messages/errors';
import type { MessagesService } from '../messages/messages-service';
import { TailSession } from '../messages/tail';

const MAX_TAILS_PER_SOCKET = 3;
const MAX_TAILS = 50;
/** A browser that has not acknowledged a batch for this long is treated as having done so (it keeps the drop rule). */
const ACK_TIMEOUT_MS = 30_000;

/** `messages:tail` / `messages:tail:stop` on the shared socket (protocol in lib/contract/messages.ts). */
export function attachTailSockets(io: SocketServer, messages: MessagesService, log: (line: string) => void): { close(): void } {
  const all = new Set<TailSession>();
  io.on('connection', (socket: Socket) => {
    const mine = new Map<string, TailSession>();
    const stop = (id: string) => {
      const session = mine.get(id);
      if (!session) return;
      session.stop();
      mine.delete(id);
      all.delete(session);
    };

    socket.on('messages:tail', async (raw: unknown, ack: unknown) => {
      const reply = (answer: TailAck) => typeof ack === 'function' && ack(answer);
      const request = tailRequestSchema.safeParse(raw);
      if (!request.success) return reply({ ok: false, error: 'bad_request', message: `Bad tail request: ${request.error.issues[0]!.message}` });
      if (mine.size >= MAX_TAILS_PER_SOCKET || all.size >= MAX_TAILS) {
        return reply({ ok: false, error: 'busy', message: 'Too many live tails are open; stop one (or close other tabs) and try again.' });
      }
      const { cluster, topic, partitions, filter } = request.data;
      const tailId = randomUUID();
      try {
        const session = new TailSession({
          client: messages.client(cluster),
          topic,
          partitions: partitions && partitions.length > 0 ? partitions : null,
          filter: messages.filter(filter),
          send: (batch) => sendBatch(socket, { tailId, ...batch }),
          log,
          // A tail that ended on its own gives its place back.
          onEnd: () => stop(tailId),
        });
        mine.set(tailId, session);
        all.add(session);
        await session.start();
        reply({ ok: true, tailId });
      } catch (err) {
        stop(tailId);
        // A MessagesError may be the unknown cluster itself: only other errors have a client to explain them with.
        const e = err instanceof MessagesError ? err : messages.explain(err, messages.client(cluster));
        return reply({ ok: false, error: e.code, message: e.message, ...(e.filterError ? { filterError: e.filterError } : {}) });
      }
    });

    socket.on('messages:tail:stop', (raw: unknown) => {
      const id = (raw as { tailId?: unknown } | null)?.tailId;
      if (typeof id === 'string') stop(id);
    });
    socket.on('disconnect', () => {
      for (const id of [...mine.keys()]) stop(id);
    });
  });
  return {
    close() {
      for (const session of all) session.stop();
      all.clear();
    },
  };
}

/** Emits one batch and resolves on the browser's ack (or after the timeout, or at once when the socket is gone). */
function sendBatch(socket: Socket, batch: TailBatch): Promise<void> {
  if (socket.disconnected) return Promise.resolve();
  return new Promise((resolve) => {
    socket.timeout(ACK_TIMEOUT_MS).emit('messages:tail:batch', batch, () => resolve());
  });
}
