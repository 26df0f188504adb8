/**
 * Topology map rendering (issue 5): the real server and the production UI in the real Chromium, on a synthetic
 * graph (synthetic-topology.ts) served by map-fixture-server.ts. Targets (docs/PRODUCT.md): 1,000 nodes / 2,000
 * edges, first render ≤ 1.5 s, a metrics tick ≤ 16 ms of main-thread work.
 *
 *   node --import tsx bench/topology/map-render.bench.ts [--sizes 200,1000,2000] [--fold-sizes 1000] [--runs 3]
 *        [--ticks 30] [--kinds all,typical,sparse] [--views opened,zoomedOut] [--profile 1000] [--json out.json]
 *        [--code worktree|<git rev>] [--patch file.patch]
 *
 * Per configuration (nodes, edges = 2 × nodes; and folded: ?fold=topics,services,groups) it starts a fixture server,
 * then in Chromium (1440×900, --no-sandbox --disable-gpu):
 * 1. first render, `--runs` times, each in a fresh browser context (cold cache, new renderer): navigation start →
 *    `topolog:map-first-render` (the map's own mark: first nodes on the map and fitted), and → painted: the start of
 *    the first animation frame after the mark from which the number of mounted map nodes stops changing (the frame
 *    before it has been rendered with every node that is going to be mounted). Also: when the snapshot arrived on the
 *    socket, its size, mounted nodes and edges, and CDP Performance.getMetrics (script, style, layout, task) at that
 *    point.
 * 2. ticks: one page, left as opened (`opened`) and then zoomed out with the mouse wheel to the map's minimum zoom
 *    (`zoomedOut`: as many nodes on screen as the map allows). For each tick kind (`all`: every figure moves;
 *    `typical`: ~10 % of figures, evidence re-observed as the real server does; `sparse`: ~10 % of figures and nothing
 *    else), the fixture emits a cycle a second; after 3 warm-up ticks, ≥ `--ticks` ticks are measured:
 *    - the map's `topolog:tick` measures (delta arrival → the commit of the figures update): median, p95, max;
 *    - CDP Performance.getMetrics TaskDuration over the period ÷ deltas received (all main-thread work, JSON parse,
 *      style, layout, paint included), raw and net of the idle rate measured on the same page before the ticks;
 *    - Long Animation Frames (PerformanceObserver 'long-animation-frame', > 50 ms) during the period.
 * 3. `--profile N`: for the N-node configuration, a CDP CPU profile of one first render and of 10 s of `all` ticks
 *    (zoomed out): self time by function, each with an excerpt of its minified source (property names and strings
 *    survive minification and tell which code it is), and by script — where the time goes.
 *
 * The code measured is pinned: the bench copies the work tree (or exports a git revision) to .scratch/map-bench/,
 * applies `--patch` if given, runs `next build` there, and runs the fixture server from that copy, so server and UI
 * come from one moment whatever others edit or rebuild meanwhile. Nothing in components/ or lib/ is touched.
 */
import { execSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { percentile } from '../poll/layout';

const ROOT = join(import.meta.dirname, '..', '..');
const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '200,1000,2000' },
    'fold-sizes': { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    ticks: { type: 'string', default: '30' },
    kinds: { type: 'string', default: 'all,typical,sparse' },
    views: { type: 'string', default: 'opened,zoomedOut' },
    profile: { type: 'string', default: '1000' },
    json: { type: 'string' },
    /** What to measure: `worktree` (the files as they are now) or a git revision. */
    code: { type: 'string', default: 'worktree' },
    /** A patch to apply to that code first (a candidate fix), with `git apply`. */
    patch: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const RUNS = Number(args.runs);
const TICKS = Number(args.ticks);
const KINDS = list(args.kinds) as TickKind[];
const VIEWS = list(args.views) as View[];
const PROFILE_SIZE = Number(args.profile);
const VIEWPORT = { width: 1440, height: 900 };
const WARMUP_TICKS = 3;
const FIRST_RENDER_MARK = 'topolog:map-first-render';
const TICK_MEASURE = 'topolog:tick';

type TickKind = 'all' | 'typical' | 'sparse';
type View = 'opened' | 'zoomedOut';
interface Config {
  label: string;
  nodes: number;
  fold: boolean;
}

const t00 = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - t00) / 1000).toFixed(1)} s] ${line}`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (v: number[]) => percentile(v, 50);
const stats = (v: number[]) => (v.length === 0 ? null : { median: round(median(v)), p95: round(percentile(v, 95)), max: round(Math.max(...v)), n: v.length });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the code measured, pinned -----------------------------------------------------------------------------------

/**
 * A private copy of the code to measure, built there: the working tree as it is now (`worktree`: tracked and untracked
 * files, ignored ones left out) or a git revision, optionally with a patch applied. Server and UI then come from the
 * same moment, whatever others edit or rebuild in the repo while the bench runs. node_modules is found one level up
 * (the repo's), as Node and Turbopack look upwards for it.
 */
function prepareCode(code: string, patch: string | undefined): { dir: string; code: string; commit: string; dirty: string[]; patch: string | null; buildId: string; buildSeconds: number } {
  const git = (cmd: string) => execSync(`git ${cmd}`, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const commit = git(`rev-parse --short ${code === 'worktree' ? 'HEAD' : code}`).trim();
  const dirty = code === 'worktree' ? git('status --porcelain -- app components lib server').split('\n').filter(Boolean) : [];
  const dir = join(ROOT, '.scratch', 'map-bench', `${code === 'worktree' ? 'worktree' : commit}${patch ? `+${basename(patch).replace(/\W+/g, '-')}` : ''}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  if (code === 'worktree') {
    for (const file of git('ls-files -z -c -o --exclude-standard').split('\0').filter(Boolean)) {
      if (!existsSync(join(ROOT, file))) continue; // deleted in the work tree
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      cpSync(join(ROOT, file), join(dir, file));
    }
  } else {
    execSync(`git archive ${commit} | tar -x -C "${dir}"`, { cwd: ROOT });
  }
  // The bench's own fixture is always the current one.
  for (const file of ['bench/topology/synthetic-topology.ts', 'bench/topology/map-fixture-server.ts']) cpSync(join(ROOT, file), join(dir, file));
  if (patch) execSync(`git apply --verbose "${resolve(patch)}"`, { cwd: dir, stdio: 'inherit' });
  const t0 = Date.now();
  try {
    execSync('npx next build', { cwd: dir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }, stdio: 'pipe', encoding: 'utf8' });
  } catch (err) {
    throw new Error(`next build failed in ${dir}: ${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`);
  }
  const buildId = readFileSync(join(dir, '.next', 'BUILD_ID'), 'utf8').trim();
  return { dir, code, commit, dirty, patch: patch ?? null, buildId, buildSeconds: round((Date.now() - t0) / 1000) };
}

// ---- the fixture server -----------------------------------------------------------------------------------------

interface Fixture {
  url: string;
  shape: unknown;
  send(command: string): void;
  cycles: number;
  buildMs: number[];
  close(): Promise<void>;
}

async function startFixture(nodes: number, codeDir: string): Promise<Fixture> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', join(codeDir, 'bench/topology/map-fixture-server.ts'), '--nodes', String(nodes)], {
    cwd: codeDir,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const fixture: Fixture = {
    url: '',
    shape: null,
    cycles: 0,
    buildMs: [],
    send: (command) => child.stdin.write(`${command}\n`),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture server did not start in 60 s: ${stderr.join('')}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`fixture server exited (${code}): ${stderr.join('')}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return; // Next prints its own lines
      const event = JSON.parse(line) as { event: string; url?: string; shape?: unknown; n?: number; buildMs?: number };
      if (event.event === 'ready') {
        clearTimeout(timer);
        fixture.url = event.url!;
        fixture.shape = event.shape;
        resolve(fixture);
      } else if (event.event === 'cycle') {
        fixture.cycles = event.n!;
        fixture.buildMs.push(event.buildMs!);
      }
    });
  });
}

// ---- in the page ------------------------------------------------------------------------------------------------

/**
 * Installed before the page's own scripts: socket frames with their arrival time and size (the listener is added
 * before socket.io's own handler, so the time is the arrival, before parsing), Long Animation Frames, and a frame
 * loop that notes when the map's first-render mark has been painted.
 */
function pageProbe(): void {
  interface Frame { t: number; size: number; kind: string }
  interface Loaf { start: number; duration: number; blocking: number; scripts: { invoker: string; src: string; fn: string; duration: number }[] }
  const bench = {
    frames: [] as Frame[],
    loaf: [] as Loaf[],
    painted: null as number | null,
    paintedMounted: null as { nodes: number; edges: number } | null,
    wsCreatedAt: null as number | null,
    wsOpenAt: null as number | null,
  };
  (window as unknown as { __bench: typeof bench }).__bench = bench;
  const Native = window.WebSocket;
  class ProbedWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      bench.wsCreatedAt ??= performance.now();
      this.addEventListener('open', () => {
        bench.wsOpenAt ??= performance.now();
      });
      this.addEventListener('message', (e: MessageEvent) => {
        const data = e.data as unknown;
        const size = typeof data === 'string' ? data.length : data instanceof ArrayBuffer ? data.byteLength : 0;
        const head = typeof data === 'string' ? data.slice(0, 24) : '';
        const kind = head.startsWith('42["topology:delta"') ? 'delta' : head.startsWith('43') ? 'ack' : 'other';
        bench.frames.push({ t: performance.now(), size, kind });
      });
    }
  }
  window.WebSocket = ProbedWebSocket;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { blockingDuration: number; scripts: { invoker: string; sourceURL: string; sourceFunctionName: string; duration: number }[] })[]) {
        bench.loaf.push({
          start: e.startTime,
          duration: e.duration,
          blocking: e.blockingDuration,
          scripts: e.scripts.slice(0, 3).map((s) => ({ invoker: s.invoker, src: s.sourceURL.split('/').pop() ?? '', fn: s.sourceFunctionName, duration: s.duration })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // no LoAF in this browser: counted as unavailable
  }
  const mounted = () => ({ nodes: document.querySelectorAll('[data-testid=map-node]').length, edges: document.querySelectorAll('[data-testid=map-edge]').length });
  let last: { ts: number; nodes: number } | null = null;
  let stableSince: number | null = null;
  const loop = (ts: number) => {
    const mark = performance.getEntriesByName('topolog:map-first-render')[0];
    if (mark && ts > mark.startTime) {
      // This frame began after the mark: the frame with the mark has been rendered. Wait until the count of
      // mounted nodes stops changing (culling mounts what the fitted viewport shows, possibly a frame later).
      const now = mounted();
      if (last && now.nodes === last.nodes) {
        stableSince ??= last.ts;
        if (ts - stableSince >= 100 || bench.painted === null) {
          bench.painted ??= stableSince;
          bench.paintedMounted ??= now;
          if (ts - stableSince >= 100) return;
        }
      } else {
        stableSince = null;
        bench.painted = null;
        bench.paintedMounted = null;
      }
      last = { ts, nodes: now.nodes };
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}

/**
 * tsx compiles this file with esbuild's keepNames, which wraps functions in `__name(...)`: the functions handed to
 * the page (the probe, page.evaluate callbacks) need that helper there too.
 */
async function preparePage(page: Page): Promise<void> {
  await page.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  await page.addInitScript(pageProbe);
}

interface BenchWindow {
  __bench: {
    frames: { t: number; size: number; kind: string }[];
    loaf: { start: number; duration: number; blocking: number; scripts: { invoker: string; src: string; fn: string; duration: number }[] }[];
    painted: number | null;
    paintedMounted: { nodes: number; edges: number } | null;
    wsCreatedAt: number | null;
    wsOpenAt: number | null;
  };
}

const mapPath = (config: Config) => `/clusters/bench${config.fold ? '?fold=topics,services,groups' : ''}`;

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

async function waitPainted(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(() => {
    const b = (window as unknown as BenchWindow).__bench;
    return b.painted !== null && b.paintedMounted !== null && performance.now() - b.painted > 150;
  }, null, { timeout: timeoutMs, polling: 50 });
}

interface FirstRender {
  markMs: number;
  paintedMs: number;
  snapshotAtMs: number | null;
  snapshotBytes: number | null;
  responseEndMs: number;
  domContentLoadedMs: number;
  scriptsLoadedMs: number;
  clustersFetchedMs: number | null;
  socketCreatedMs: number | null;
  socketOpenMs: number | null;
  fcpMs: number | null;
  mounted: { nodes: number; edges: number };
  inView: string;
  cdp: { scriptMs: number; recalcStyleMs: number; layoutMs: number; taskMs: number };
  loaf: { count: number; totalMs: number; maxMs: number };
}

async function firstRender(browser: Browser, url: string, config: Config): Promise<FirstRender> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await preparePage(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.goto(url + mapPath(config));
    await waitPainted(page);
    const m = await metrics(cdp);
    const r = await page.evaluate(([markName]) => {
      const b = (window as unknown as BenchWindow).__bench;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const mark = performance.getEntriesByName(markName!)[0]!;
      const ack = b.frames.filter((f) => f.kind === 'ack').sort((x, y) => y.size - x.size)[0] ?? null;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
      const loaf = b.loaf.filter((l) => l.start <= b.painted!);
      const transform = (document.querySelector('.react-flow__viewport') as HTMLElement | null)?.style.transform ?? '';
      return {
        markMs: mark.startTime,
        paintedMs: b.painted!,
        snapshotAtMs: ack?.t ?? null,
        snapshotBytes: ack?.size ?? null,
        responseEndMs: nav.responseEnd,
        domContentLoadedMs: nav.domContentLoadedEventEnd,
        scriptsLoadedMs: Math.max(0, ...resources.filter((e) => e.initiatorType === 'script').map((e) => e.responseEnd)),
        clustersFetchedMs: resources.find((e) => e.name.endsWith('/api/clusters'))?.responseEnd ?? null,
        socketCreatedMs: b.wsCreatedAt,
        socketOpenMs: b.wsOpenAt,
        fcpMs: fcp,
        mounted: b.paintedMounted!,
        inView: transform,
        loaf: { count: loaf.length, totalMs: loaf.reduce((s, l) => s + l.duration, 0), maxMs: Math.max(0, ...loaf.map((l) => l.duration)) },
      };
    }, [FIRST_RENDER_MARK]);
    return {
      ...r,
      // With timeDomain threadTicks these are the renderer main thread's CPU seconds since the process started; a
      // fresh context has a fresh renderer, so they cover this page's load up to the moment read (just after painted).
      cdp: { scriptMs: round((m.ScriptDuration ?? 0) * 1000), recalcStyleMs: round((m.RecalcStyleDuration ?? 0) * 1000), layoutMs: round((m.LayoutDuration ?? 0) * 1000), taskMs: round((m.TaskDuration ?? 0) * 1000) },
    };
  } finally {
    await context.close();
  }
}

interface TickResult {
  view: View;
  kind: TickKind;
  mounted: { nodes: number; edges: number };
  transform: string;
  ticks: number;
  deltas: number;
  deltaKB: number;
  tickMs: ReturnType<typeof stats>;
  taskMsPerTick: number;
  taskMsPerTickNet: number;
  scriptMsPerTick: number;
  styleLayoutMsPerTick: number;
  loaf: { count: number; maxMs: number; maxBlockingMs: number };
  serverBuildMs: number;
}

/** Zooms the map out with the mouse wheel to its minimum zoom, over the top left of the graph. */
async function zoomOut(page: Page): Promise<void> {
  const box = (await page.locator('[data-testid=map-canvas]').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.2);
  for (let i = 0; i < 12; i += 1) {
    await page.mouse.wheel(0, 400);
    await sleep(120);
  }
  // Let culling mount what is now on screen.
  let previous = -1;
  for (let i = 0; i < 40; i += 1) {
    await sleep(250);
    const now = await page.locator('[data-testid=map-node]').count();
    if (now === previous) break;
    previous = now;
  }
}

async function mountedNow(page: Page): Promise<{ nodes: number; edges: number }> {
  return page.evaluate(() => ({ nodes: document.querySelectorAll('[data-testid=map-node]').length, edges: document.querySelectorAll('[data-testid=map-edge]').length }));
}

async function measureTicks(page: Page, cdp: CDPSession, fixture: Fixture, view: View, kind: TickKind, idleTaskMsPerSec: number): Promise<TickResult> {
  const countDeltas = () => page.evaluate(() => (window as unknown as BenchWindow).__bench.frames.filter((f) => f.kind === 'delta').length);
  const before = await countDeltas();
  fixture.send(`tick ${kind}`);
  await page.waitForFunction((n) => (window as unknown as BenchWindow).__bench.frames.filter((f) => f.kind === 'delta').length >= n, before + WARMUP_TICKS, { timeout: 30_000, polling: 100 });
  const buildFrom = fixture.buildMs.length;
  const t0 = await page.evaluate(() => performance.now());
  const m0 = await metrics(cdp);
  await page.waitForFunction(
    ([from, n, name]) => performance.getEntriesByName(name as string, 'measure').filter((e) => e.startTime >= (from as number)).length >= (n as number),
    [t0, TICKS, TICK_MEASURE] as const,
    { timeout: (TICKS + 60) * 1000, polling: 200 },
  );
  const m1 = await metrics(cdp);
  const t1 = await page.evaluate(() => performance.now());
  fixture.send('pause');
  await sleep(1_500);
  const serverBuild = fixture.buildMs.slice(buildFrom);
  const r = await page.evaluate(([from, to, name]) => {
    const b = (window as unknown as BenchWindow).__bench;
    const measures = performance.getEntriesByName(name as string, 'measure').filter((e) => e.startTime >= (from as number) && e.startTime <= (to as number));
    const deltas = b.frames.filter((f) => f.kind === 'delta' && f.t >= (from as number) && f.t <= (to as number));
    const loaf = b.loaf.filter((l) => l.start >= (from as number) && l.start <= (to as number));
    return {
      durations: measures.map((e) => e.duration),
      deltas: deltas.length,
      deltaBytes: deltas.reduce((s, f) => s + f.size, 0),
      loaf: { count: loaf.length, maxMs: Math.max(0, ...loaf.map((l) => l.duration)), maxBlockingMs: Math.max(0, ...loaf.map((l) => l.blocking)) },
    };
  }, [t0, t1, TICK_MEASURE] as const);
  const seconds = (t1 - t0) / 1000;
  const per = (name: string) => (((m1[name] ?? 0) - (m0[name] ?? 0)) * 1000) / Math.max(1, r.deltas);
  const taskMsPerTick = per('TaskDuration');
  return {
    view,
    kind,
    mounted: await mountedNow(page),
    transform: await page.evaluate(() => (document.querySelector('.react-flow__viewport') as HTMLElement | null)?.style.transform ?? ''),
    ticks: r.durations.length,
    deltas: r.deltas,
    deltaKB: round(r.deltaBytes / Math.max(1, r.deltas) / 1024),
    tickMs: stats(r.durations),
    taskMsPerTick: round(taskMsPerTick),
    taskMsPerTickNet: round(taskMsPerTick - (idleTaskMsPerSec * seconds) / Math.max(1, r.deltas)),
    scriptMsPerTick: round(per('ScriptDuration')),
    styleLayoutMsPerTick: round(per('RecalcStyleDuration') + per('LayoutDuration')),
    loaf: { count: r.loaf.count, maxMs: round(r.loaf.maxMs), maxBlockingMs: round(r.loaf.maxBlockingMs) },
    serverBuildMs: round(median(serverBuild.length ? serverBuild : [0])),
  };
}

// ---- where the time goes: CPU profile -------------------------------------------------------------------------

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** The minified source at a profile frame: property names and strings survive minification and name the code. */
const chunkText = new Map<string, string | null>();
function excerptAt(uiDir: string, url: string, line: number, column: number): string {
  const file = url.split('/_next/')[1]?.split('?')[0];
  if (!file) return '';
  if (!chunkText.has(file)) {
    try {
      chunkText.set(file, readFileSync(join(uiDir, '.next', file), 'utf8'));
    } catch {
      chunkText.set(file, null);
    }
  }
  const text = chunkText.get(file);
  if (!text) return '';
  let offset = column;
  for (let l = 0, pos = 0; l < line; l += 1) {
    pos = text.indexOf('\n', pos) + 1;
    offset = pos + column;
  }
  return text.slice(offset, offset + 110).replace(/\s+/g, ' ');
}

interface CostLine {
  what: string;
  ms: number;
  share: number;
}

/** Self time of a CPU profile: by function (with a source excerpt), and by script file; idle left out. */
function selfTime(profile: CpuProfile, uiDir: string, top = 15): { total: number; byFunction: CostLine[]; byScript: CostLine[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i += 1) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const byFunction = new Map<string, number>();
  const byScript = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const { functionName: fn, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
    if (fn === '(idle)') continue;
    total += ms;
    const script = fn.startsWith('(') ? fn : url ? url.replace(/^https?:\/\/[^/]+/, '') : '(native)';
    byScript.set(script, (byScript.get(script) ?? 0) + ms);
    const key = fn.startsWith('(') || !url ? script : `${script.split('/').pop()}:${lineNumber}:${columnNumber} ${fn || '(anonymous)'} «${excerptAt(uiDir, url, lineNumber, columnNumber)}»`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  }
  const lines = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([what, ms]) => ({ what, ms: round(ms), share: round((100 * ms) / total) }));
  return { total: round(total), byFunction: lines(byFunction), byScript: lines(byScript) };
}

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string } }

/** Starts a CDP trace of the renderer's timeline events; the returned function ends it and gives the events. */
async function startTrace(cdp: CDPSession): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink', 'cc', 'toplevel'] },
  });
  return async () => {
    const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
    await cdp.send('Tracing.end');
    await done;
    return events;
  };
}

/**
 * Self time by trace event name on the page's main thread (CrRendererMain of the renderer with the most script):
 * what the CPU profile calls "(program)" splits here into style, layout, paint, commit, GC and the rest.
 */
function traceBreakdown(events: TraceEvent[], top = 14): { totalMs: number; byEvent: CostLine[] } {
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
  const weight = new Map<string, number>();
  for (const e of events) if (e.ph === 'X' && mains.includes(`${e.pid}:${e.tid}`)) weight.set(`${e.pid}:${e.tid}`, (weight.get(`${e.pid}:${e.tid}`) ?? 0) + (e.name === 'FunctionCall' ? (e.dur ?? 0) : 0));
  const main = [...weight.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const list = events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === main && (e.dur ?? 0) > 0).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const stack: { end: number; name: string; child: number; dur: number }[] = [];
  const self = new Map<string, number>();
  let total = 0;
  const close = (frame: { name: string; child: number; dur: number }) => self.set(frame.name, (self.get(frame.name) ?? 0) + Math.max(0, frame.dur - frame.child) / 1000);
  for (const e of list) {
    while (stack.length && stack[stack.length - 1]!.end <= e.ts) close(stack.pop()!);
    const parent = stack[stack.length - 1];
    if (parent) parent.child += e.dur!;
    else total += e.dur! / 1000;
    stack.push({ end: e.ts + e.dur!, name: e.name, child: 0, dur: e.dur! });
  }
  while (stack.length) close(stack.pop()!);
  return {
    totalMs: round(total),
    byEvent: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([what, ms]) => ({ what, ms: round(ms), share: round((100 * ms) / total) })),
  };
}

async function profileRun(browser: Browser, fixture: Fixture, config: Config, uiDir: string): Promise<unknown> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await preparePage(page);
    // Same origin first, so the profiled renderer is the one that will load the map.
    await page.goto(`${fixture.url}/api/health`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.goto(fixture.url + mapPath(config));
    await waitPainted(page);
    const first = ((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile;
    await sleep(1_000);
    await zoomOut(page);
    fixture.send('tick all');
    await sleep(3_500);
    const during = async (seconds: number, measure: 'profile' | 'trace') => {
      const t0 = await page.evaluate(() => performance.now());
      let result: unknown;
      if (measure === 'profile') {
        await cdp.send('Profiler.start');
        await sleep(seconds * 1000);
        result = selfTime(((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile, uiDir);
      } else {
        const stop = await startTrace(cdp);
        await sleep(seconds * 1000);
        result = traceBreakdown(await stop());
      }
      const t1 = await page.evaluate(() => performance.now());
      const deltas = await page.evaluate(([from, to]) => (window as unknown as BenchWindow).__bench.frames.filter((f) => f.kind === 'delta' && f.t >= from! && f.t <= to!).length, [t0, t1]);
      return { seconds, deltas, ...(result as object) };
    };
    const ticksProfile = await during(10, 'profile');
    const ticksTrace = await during(10, 'trace');
    fixture.send('pause');
    await sleep(1_500);
    // The same for a first render, traced in a fresh page of the same origin.
    const page2 = await context.newPage();
    await preparePage(page2);
    await page2.goto(`${fixture.url}/api/health`);
    const cdp2 = await context.newCDPSession(page2);
    const stop = await startTrace(cdp2);
    await page2.goto(fixture.url + mapPath(config));
    await waitPainted(page2);
    const firstTrace = traceBreakdown(await stop());
    return { mounted: await mountedNow(page), firstRender: { profile: selfTime(first, uiDir), trace: firstTrace }, ticksAll: { profile: ticksProfile, trace: ticksTrace } };
  } finally {
    await context.close();
  }
}

// ---- the run ----------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const build = prepareCode(args.code, args.patch);
  const configs: Config[] = [
    ...list(args.sizes).map((s) => ({ label: `${s} nodes`, nodes: Number(s), fold: false })),
    ...list(args['fold-sizes']).map((s) => ({ label: `${s} nodes, folded`, nodes: Number(s), fold: true })),
  ];
  const browser = await chromium.launch({ executablePath: args.chromium, args: ['--no-sandbox', '--disable-gpu'] });
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGB: round(totalmem() / 1024 ** 3),
    freeGB: round(freemem() / 1024 ** 3),
    node: process.version,
    chromium: browser.version(),
    loadAtStart: loadavg().map((x) => round(x, 2)),
  };
  log(`machine: ${JSON.stringify(machine)}`);
  log(`code: ${build.code} (commit ${build.commit}${build.dirty.length ? `, ${build.dirty.length} changed files in app/ components/ lib/ server/` : ''})${build.patch ? ` + ${build.patch}` : ''}, built in ${build.buildSeconds} s in ${relative(ROOT, build.dir)}`);
  const results: unknown[] = [];
  const failures: { config: string; view: View; kind: TickKind; error: string }[] = [];
  const rows: string[] = [];
  let profile: unknown = null;
  try {
    for (const config of configs) {
      const fixture = await startFixture(config.nodes, build.dir);
      log(`${config.label}: fixture ${fixture.url}, shape ${JSON.stringify(fixture.shape)}`);
      try {
        const firsts: FirstRender[] = [];
        for (let run = 0; run < RUNS; run += 1) {
          const r = await firstRender(browser, fixture.url, config);
          firsts.push(r);
          log(`${config.label}: first render ${run + 1}: mark ${round(r.markMs)} ms, painted ${round(r.paintedMs)} ms, snapshot at ${r.snapshotAtMs === null ? '?' : round(r.snapshotAtMs)} ms (${r.snapshotBytes === null ? '?' : round(r.snapshotBytes / 1024)} KB), mounted ${r.mounted.nodes} nodes / ${r.mounted.edges} edges, view ${r.inView}, CDP script ${r.cdp.scriptMs} / style ${r.cdp.recalcStyleMs} / layout ${r.cdp.layoutMs} / task ${r.cdp.taskMs} ms, LoAF ${r.loaf.count} (max ${round(r.loaf.maxMs)} ms)`);
        }

        const ticks: TickResult[] = [];
        const context = await browser.newContext({ viewport: VIEWPORT });
        try {
          const page = await context.newPage();
          page.on('crash', () => log(`${config.label}: THE PAGE CRASHED (renderer process gone)`));
          await preparePage(page);
          const cdp = await context.newCDPSession(page);
          await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
          await page.goto(fixture.url + mapPath(config));
          await waitPainted(page);
          views: for (const view of VIEWS) {
            if (view === 'zoomedOut') await zoomOut(page);
            await sleep(2_000);
            // The page's own background work (clocks, the banner's countdown) with no ticks: subtracted as "net".
            const i0 = await metrics(cdp);
            await sleep(5_000);
            const i1 = await metrics(cdp);
            const idleTaskMsPerSec = (((i1.TaskDuration ?? 0) - (i0.TaskDuration ?? 0)) * 1000) / 5;
            log(`${config.label}, ${view}: ${JSON.stringify(await mountedNow(page))} mounted, idle main thread ${round(idleTaskMsPerSec)} ms/s`);
            for (const kind of KINDS) {
              try {
                const t = await measureTicks(page, cdp, fixture, view, kind, idleTaskMsPerSec);
                ticks.push(t);
                log(`${config.label}, ${view}, ${kind}: ${JSON.stringify(t)}`);
              } catch (err) {
                // A crashed page or a tick that never commits is a result too: record it and go on.
                fixture.send('pause');
                failures.push({ config: config.label, view, kind, error: (err as Error).message.split('\n')[0]! });
                log(`${config.label}, ${view}, ${kind}: FAILED: ${(err as Error).message.split('\n')[0]}`);
                break views;
              }
            }
          }
        } finally {
          await context.close().catch(() => undefined);
        }
        if (!config.fold && config.nodes === PROFILE_SIZE) {
          profile = await profileRun(browser, fixture, config, build.dir);
          log(`profile at ${config.label}: ${JSON.stringify(profile, null, 1)}`);
        }

        const mark = firsts.map((f) => f.markMs);
        const painted = firsts.map((f) => f.paintedMs);
        const snapshot = firsts.map((f) => f.snapshotAtMs ?? Number.NaN);
        results.push({ config, shape: fixture.shape, firstRender: { runs: firsts, markMedian: round(median(mark)), paintedMedian: round(median(painted)), snapshotMedian: round(median(snapshot)) }, ticks });
        const tickCell = (view: View, kind: TickKind) => {
          const t = ticks.find((x) => x.view === view && x.kind === kind);
          return t?.tickMs ? `${t.tickMs.median} / ${t.tickMs.p95} / ${t.tickMs.max} (CDP ${t.taskMsPerTick}, net ${t.taskMsPerTickNet}; LoAF ${t.loaf.count}; ${t.mounted.nodes} n)` : '–';
        };
        rows.push(`| ${config.label} | ${round(median(snapshot))} | **${round(median(mark))}** | ${round(median(painted))} | ${firsts[0]!.mounted.nodes} / ${firsts[0]!.mounted.edges} | ${VIEWS.flatMap((v) => KINDS.map((k) => tickCell(v, k))).join(' | ')} |`);
      } finally {
        await fixture.close();
      }
    }
  } finally {
    await browser.close();
  }

  const header = `| Configuration | snapshot arrived (ms) | first render: mark (ms) | painted (ms) | mounted at first render (nodes / edges) | ${VIEWS.flatMap((v) => KINDS.map((k) => `tick ${k}, ${v}: median / p95 / max ms`)).join(' | ')} |`;
  console.log(`\n${header}\n|${' --- |'.repeat(5 + VIEWS.length * KINDS.length)}\n${rows.join('\n')}\n`);
  const out = { date: new Date().toISOString(), machine: { ...machine, loadAtEnd: loadavg().map((x) => round(x, 2)) }, code: build, options: { runs: RUNS, ticks: TICKS, kinds: KINDS, views: VIEWS, viewport: VIEWPORT }, results, failures, profile };
  if (args.json) {
    writeFileSync(args.json, JSON.stringify(out, null, 2));
    log(`written ${args.json}`);
  }
}

await main();
