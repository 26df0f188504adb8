/**
 * The map benchmark's fixture: the real Topolog server (createTopologServer: Fastify, socket.io hub, production
 * Next.js UI) whose one cluster's topology source is a synthetic graph (synthetic-topology.ts) instead of discovery.
 * No Kafka: the cluster's watcher points at 127.0.0.1:1, where nothing listens, so it only reports "unreachable";
 * the topology rooms, the REST topology route and the map work from the synthetic source alone.
 *
 *   NODE_ENV=production node --import tsx bench/topology/map-fixture-server.ts --nodes 1000 [--port 0] [--seed N]
 *        [--ui-dir DIR] [--tick all|typical|sparse]
 * Open http://127.0.0.1:<port>/clusters/bench to look at it. `--ui-dir` serves the production build from another
 * directory (the bench serves a private copy of .next, so a rebuild by someone else cannot change it mid-run).
 *
 * Control (one command per line on stdin): `tick all|typical|sparse` starts a cycle every second with that kind of
 * change; `pause` stops the cycles. Events go to stdout as JSON lines: {"event":"ready","url":...},
 * {"event":"cycle","n":...,"buildMs":...}. Server log lines go to stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Topology } from '../../lib/contract';
import { createTopologServer, PROJECT_ROOT } from '../../server/app';
import { configSchema } from '../../server/config/schema';
import { attachNext } from '../../server/next-handler';
import type { ClusterWatcher } from '../../server/poller/cluster-watcher';
import { ClusterTopology } from '../../server/topology/discovery';
import { SyntheticTopology, type TickKind } from './synthetic-topology';

export const BENCH_CLUSTER = 'bench';
const TICK_KINDS: readonly TickKind[] = ['all', 'typical', 'sparse'];

/**
 * A ClusterTopology whose graph is the synthetic one: the hub subscribes to its 'cycle' events and builds room
 * updates with graphNow(), exactly as with discovery. It never reads Kafka.
 */
export class SyntheticClusterTopology extends ClusterTopology {
  readonly model: SyntheticTopology;
  #timer: NodeJS.Timeout | null = null;
  #cycles = 0;
  /** Time spent building graphs (graphNow) since the last cycle: the server-side cost of a room update. */
  buildMs = 0;

  constructor(watcher: ClusterWatcher, model: SyntheticTopology) {
    super(watcher);
    this.model = model;
  }

  override start(): void {
    // Discovery would hook the watcher here; the synthetic source is driven by tick() instead.
  }

  override async stop(): Promise<void> {
    this.pause();
  }

  override async run(): Promise<void> {
    // Nothing to discover.
  }

  override graphNow(now = Date.now(), showHidden = false): Topology {
    const t0 = performance.now();
    const graph = this.model.graph(now, showHidden);
    this.buildMs += performance.now() - t0;
    return graph;
  }

  override graphAt(at: number, showHidden = false): Topology {
    return { ...this.model.graph(at, showHidden), historical: true };
  }

  /** One cycle every `intervalMs` with changes of `kind`, until pause(). */
  tick(kind: TickKind, intervalMs = 1000, onCycle?: (n: number, buildMs: number) => void): void {
    this.pause();
    this.#timer = setInterval(() => {
      const now = Date.now();
      this.model.tick(kind, now);
      this.buildMs = 0;
      this.#cycles += 1;
      this.emit('cycle', now);
      onCycle?.(this.#cycles, this.buildMs);
    }, intervalMs);
  }

  pause(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      nodes: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '20261122' },
      port: { type: 'string', default: '0' },
      'ui-dir': { type: 'string' },
      tick: { type: 'string' },
    },
  });
  if (process.env.NODE_ENV !== 'production') {
    console.error('map-fixture-server: run it with NODE_ENV=production (it serves the production build of the UI).');
    process.exit(2);
  }
  const nodes = Number(args.nodes);
  if (!Number.isInteger(nodes) || nodes < 20) throw new Error('--nodes must be an integer ≥ 20');
  const model = new SyntheticTopology({ nodes, seed: Number(args.seed), cluster: BENCH_CLUSTER });
  const dataDir = mkdtempSync(join(tmpdir(), 'topolog-map-bench-'));
  const config = configSchema.parse({
    host: '127.0.0.1',
    port: Number(args.port),
    dataDir,
    pollIntervalMs: 5_000,
    slowPollIntervalMs: 30_000,
    // Nothing listens on port 1: the watcher stays "unreachable" and costs nothing; the graph is the fixture's.
    clusters: [{ id: BENCH_CLUSTER, name: 'map bench (synthetic)', brokers: ['127.0.0.1:1'] }],
  });
  let source: SyntheticClusterTopology | null = null;
  const uiDir = args['ui-dir'] ?? PROJECT_ROOT;
  const server = await createTopologServer(config, {
    // The UI is attached below, from uiDir; with the project's own build it is the same as ui: 'production'.
    ui: false,
    log: (line) => console.error(`[server] ${line}`),
    topologyFor: (watcher) => (source = new SyntheticClusterTopology(watcher, model)),
  });
  const closeNext = await attachNext(server.app, false, uiDir);
  const url = await server.listen();
  const out = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
  const topology = source as SyntheticClusterTopology | null;
  if (!topology) throw new Error('the synthetic topology source was not installed');
  const onCycle = (n: number, buildMs: number) => out({ event: 'cycle', n, buildMs: Math.round(buildMs * 10) / 10 });
  if (args.tick) topology.tick(args.tick as TickKind, 1000, onCycle);
  out({ event: 'ready', url, nodes, shape: model.shape(), uiDir });

  const shutdown = async () => {
    topology.pause();
    await server.close().catch(() => undefined);
    await closeNext().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  const commands = createInterface({ input: process.stdin });
  // The bench holds stdin open; when it goes away, so does the fixture.
  commands.on('close', () => void shutdown());
  commands.on('line', (line) => {
    const [command, arg] = line.trim().split(/\s+/);
    if (command === 'tick' && TICK_KINDS.includes(arg as TickKind)) {
      topology.tick(arg as TickKind, 1000, onCycle);
      out({ event: 'ticking', kind: arg });
    } else if (command === 'pause') {
      topology.pause();
      out({ event: 'paused' });
    } else if (command === 'exit') void shutdown();
    else out({ event: 'error', message: `unknown command: ${line}` });
  });
}

void main();
