import { createServer, type Server } from 'node:http';

export interface ReceivedHook {
  path: string;
  at: number;
  body: unknown;
}

/**
 * A real HTTP server that plays the team's webhook endpoint (generic JSON on /hook, Slack on /slack). It starts on
 * the port e2e/topolog.e2e.json points the alert webhooks at; until it listens, Topolog's deliveries fail and are
 * retried, which is part of what the test checks.
 */
export async function startWebhookReceiver(port: number): Promise<{ hooks: ReceivedHook[]; close: () => Promise<void> }> {
  const hooks: ReceivedHook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      hooks.push({ path: req.url ?? '', at: Date.now(), body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { hooks, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
