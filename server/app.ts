import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { Server as SocketServer } from 'socket.io';
import type { TopologConfig } from './config/schema';
import { ClusterWatcher } from './poller/cluster-watcher';
import { GroupTrends } from './poller/group-trends';
import { RealtimeHub } from './realtime/hub';
import type { ApiContext } from './api/context';
import { healthRoutes } from './api/health';
import { topicRoutes } from './api/topics';
import { groupRoutes } from './api/groups';
import { historyRoutes } from './api/history';
import { metricsRoutes } from './api/metrics';
import { topologyRoutes } from './api/topology';
import { alertRoutes } from './api/alerts';
import { messageRoutes } from './api/messages';
import { MessagesService } from './messages/messages-service';
import { attachTailSockets } from './realtime/tail-socket';
import { AlertManager } from './alerts/alert-manager';
import { ClusterTopology } from './topology/discovery';
import { attachNext } from './next-handler';
import { openHistoryStore } from './store';
import { WriteGuard } from './audit/write-guard';
import { auditRoutes } from './api/audit';
import { resetRoutes } from './api/resets';
import { ResetService } from './replay/reset-service';
import { replayRoutes } from './api/replay-jobs';
import { ReplayJobService } from './replay/job-service';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface TopologServerOptions {
  /** Serve the Next.js UI (dev or production build); integration tests of the API leave it off. */
  ui?: false | 'dev' | 'production';
  log?: (line: string) => void;
  /**
   * A cluster's topology source instead of discovery (undefined: discovery). The map benchmark serves a synthetic
   * graph through the real hub and UI this way (bench/topology/map-fixture-server.ts).
   */
  topologyFor?: (watcher: ClusterWatcher) => ClusterTopology | undefined;
}

export interface TopologServer {
  app: FastifyInstance;
  io: SocketServer;
  watchers: Map<string, ClusterWatcher>;
  topologies: Map<string, ClusterTopology>;
  /** Listens on the configured host and port; resolves to the URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function createTopologServer(config: TopologConfig, options: TopologServerOptions = {}): Promise<TopologServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const app = Fastify({ logger: false, forceCloseConnections: true });

  // One store for all clusters; series are keyed by cluster id. Opening it fails clearly on a bad --data-dir.
  const store = openHistoryStore({ dataDir: config.dataDir, retentionMs: config.historyRetentionMs });
  const watchers = new Map<string, ClusterWatcher>();
  for (const cluster of config.clusters) {
    watchers.set(cluster.id, new ClusterWatcher(cluster, { pollIntervalMs: config.pollIntervalMs, slowPollIntervalMs: config.slowPollIntervalMs, statusThresholds: config.statusThresholds, store, log }));
  }
  const topologies = new Map<string, ClusterTopology>();
  for (const [id, watcher] of watchers) {
    topologies.set(id, options.topologyFor?.(watcher) ?? new ClusterTopology(watcher, { log: store.evidence, logLine: log, retentionMs: config.historyRetentionMs, statusThresholds: config.statusThresholds }));
  }
  // Alerts follow every watcher's cycles; links in notifications use alerts.publicUrl, else this server's address.
  const ownUrl = config.port !== 0 && !['0.0.0.0', '::'].includes(config.host) ? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}` : null;
  const alerts = new AlertManager({ config: config.alerts, store, publicUrl: config.alerts.publicUrl ?? ownUrl, log });
  for (const watcher of watchers.values()) alerts.attach(watcher);
  // Every write (produce, offset reset, replay) is audited before it runs and refused on a read-only cluster.
  const readOnly = new Map(config.clusters.map((c) => [c.id, c.readOnly]));
  const writes = new WriteGuard(store.audit, (cluster) => readOnly.get(cluster) ?? true, log);
  const ctx: ApiContext = { version: VERSION, watchers, topologies, alerts, store, writes };

  await app.register(healthRoutes, ctx);
  await app.register(topicRoutes, ctx);
  // The sparklines' rings follow every watcher's updates from the start, so they fill while nobody looks.
  const groupTrends = new GroupTrends(watchers, { log });
  await app.register(groupRoutes, { ...ctx, groupTrends });
  await app.register(metricsRoutes, ctx);
  await app.register(historyRoutes, ctx);
  await app.register(topologyRoutes, ctx);
  await app.register(alertRoutes, ctx);
  // Browse, filter, export and produce read and write through their own Kafka clients and a pool of filter workers.
  const messages = new MessagesService(config.clusters);
  await app.register(messageRoutes, { ...ctx, messages });
  await app.register(auditRoutes, ctx);
  // Re-produce jobs run on the server (resumed at listen), through the messages clients and filter workers.
  const replayJobs = new ReplayJobService({ store: store.replay, audit: store.audit, messages, clusters: config.clusters, readOnly: (c) => writes.readOnly(c), recoverySettleMs: config.replay.recoverySettleMs, log });
  await app.register(replayRoutes, { ...ctx, messages, replayJobs });
  // Offset resets have their own Kafka client per cluster; every execute goes through the WriteGuard.
  const resets = new ResetService(config.clusters, { writes, replay: store.replay });
  await app.register(resetRoutes, { ...ctx, resets });
  // Unknown API paths answer in JSON, never with the UI's HTML 404.
  app.all('/api/*', async (req, reply) =>
    reply.code(404).send({ error: 'not_found', message: `No API route ${req.method} ${req.url.split('?')[0]}`, hint: 'See the REST routes in the README.' }),
  );
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) log(`error on ${req.method} ${req.url}: ${err.stack ?? err.message}`);
    void reply.code(status).send({ error: status >= 500 ? 'internal_error' : 'bad_request', message: err.message });
  });

  const closeNext = options.ui ? await attachNext(app, options.ui === 'dev', PROJECT_ROOT) : async () => undefined;

  const io = new SocketServer(app.server, {
    serveClient: false,
    // Next's dev server upgrades its own HMR socket on the same port: leave foreign upgrades alone.
    destroyUpgrade: false,
    maxHttpBufferSize: 64 * 1024,
  });
  new RealtimeHub(io, watchers, topologies);
  const tails = attachTailSockets(io, messages, log);

  return {
    app,
    io,
    watchers,
    topologies,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      for (const topology of topologies.values()) topology.start();
      for (const watcher of watchers.values()) watcher.start();
      replayJobs.start();
      const address = app.server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${host}:${address.port}`;
    },
    async close() {
      // Jobs stop after their current batch (checkpointed) while their Kafka clients and the store are still open.
      await replayJobs.close();
      await Promise.all([...watchers.values()].map((w) => w.stop()));
      alerts.close();
      tails.close();
      groupTrends.close();
      await Promise.all([...topologies.values()].map((t) => t.stop()));
      io.close();
      await app.close();
      await closeNext();
      store.close();
      await messages.close();
      await resets.close();
    },
  };
}
