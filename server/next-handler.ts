import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import next from 'next';

/**
 * Serves the Next.js app from the same Fastify server: every path that is not an API route, /metrics or
 * socket.io goes to Next's request handler. Returns a function that shuts Next down.
 */
export async function attachNext(app: FastifyInstance, dev: boolean, dir: string): Promise<() => Promise<void>> {
  if (!dev && !existsSync(join(dir, '.next', 'BUILD_ID'))) {
    throw new Error(`No production build of the UI in ${join(dir, '.next')}: run "npm run build" first, or "npm run dev" for development mode.`);
  }
  const nextApp = next({ dev, dir, quiet: !dev });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();

  app.route({
    method: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    url: '/*',
    handler: async (req, reply) => {
      reply.hijack();
      await handle(req.raw, reply.raw);
    },
  });

  if (dev) {
    // Hot reload in dev mode uses a websocket on /_next/webpack-hmr; socket.io handles its own path.
    const upgrade = nextApp.getUpgradeHandler();
    app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (req.url?.startsWith('/_next/')) void upgrade(req, socket, head);
    });
  }
  return async () => {
    await nextApp.close?.();
  };
}
