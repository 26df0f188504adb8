import { ConfigError, loadConfig } from './config/load';
import { createTopologServer } from './app';

/** `topolog` / `npm start` / `npm run dev`: one process, one port, UI + API + socket.io. */
async function main(): Promise<void> {
  let options;
  try {
    options = loadConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(process.argv.includes('--help') || process.argv.includes('-h') ? 0 : 2);
    }
    throw err;
  }
  const { config, dev } = options;
  const log = (line: string) => console.log(`[topolog] ${line}`);
  log(`configuration from: ${options.sources.join(', ') || 'defaults'}`);
  if (!isLoopback(config.host)) {
    console.warn(`[topolog] WARNING: listening on ${config.host}, beyond loopback. Login is not built yet: anyone who can reach this port sees the cluster data.`);
  }

  let server;
  try {
    server = await createTopologServer(config, { ui: dev ? 'dev' : 'production', log });
  } catch (err) {
    console.error(`[topolog] cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
  let url: string;
  try {
    url = await server.listen();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') console.error(`[topolog] port ${config.port} on ${config.host} is already in use: stop the other process or pass --port.`);
    else console.error(`[topolog] cannot listen on ${config.host}:${config.port}: ${e.message}`);
    await server.close();
    process.exit(1);
  }
  log(`clusters: ${config.clusters.map((c) => `${c.id} (${c.brokers.join(',')})`).join('; ')}`);
  log(`ready on ${url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await server.close().catch((err: unknown) => console.error(err));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A bug in one request or poll must not take the server down; it is logged loudly instead.
  process.on('unhandledRejection', (reason) => console.error('[topolog] unhandled rejection:', reason));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

void main();
