/**
 * How big and how fast the history store is on a 10,000-partition, 500-group cluster.
 *   node --import tsx bench/store/store-size.bench.ts [--hours 4] [--no-append] [--keep]
 * Simulates `--hours` of 5 s polls through recordCycle, with compact() after every poll on an injected clock,
 * then measures the worst-case cycles, the reads, and a restart. Prints a table and appends it to
 * bench/RESULTS.md unless --no-append.
 */
import { execSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { openHistoryStore } from '../../server/store/open';
import type { HistoryStore } from '../../server/store/types';
import { diurnalFactor, GROUPS, PARTITIONS, PARTITIONS_PER_GROUP, SimulatedCluster } from './simulated-cluster';

const POLL_MS = 5_000;
const HOUR = 3_600_000;
const CLUSTER = 'bench';
const RESULTS = join(import.meta.dirname, '..', 'RESULTS.md');

const { values: args } = parseArgs({
  options: { hours: { type: 'string', default: '4' }, 'no-append': { type: 'boolean' }, keep: { type: 'boolean' } },
});
const hours = Number(args.hours);
if (!(hours >= 3)) throw new Error('--hours must be at least 3: the downsampled growth is measured from 2 h to the end');

interface SizeCheckpoint {
  hour: number;
  rows: number;
  fileBytes: number;
  /** Pages in use (file minus free pages) times the page size: what the data needs, without reusable slack. */
  usedBytes: number;
}

const dataDir = mkdtempSync(join(tmpdir(), 'topolog-store-bench-'));
// 08:00 UTC: the four hours that follow see the diurnal factor go from 0.43 to 0.87, around the daily mean 0.55.
const start = Date.UTC(2025, 2, 3, 8);
let simNow = start;
let store: HistoryStore = openHistoryStore({ dataDir, now: () => simNow });
const cluster = new SimulatedCluster();

const recordMs: number[] = [];
const compactMs: number[] = [];
let firstCycleMs = 0;
let rowsWrittenTotal = 0;
const checkpoints: SizeCheckpoint[] = [];
const cycles = Math.round((hours * HOUR) / POLL_MS);

log(`simulating ${hours} h (${cycles} polls) of ${PARTITIONS} partitions (${cluster.activePartitions} active) and ${GROUPS} groups x ${PARTITIONS_PER_GROUP} partitions in ${dataDir}`);
for (let i = 0; i < cycles; i += 1) {
  simNow = start + i * POLL_MS;
  const samples = cluster.poll(simNow, POLL_MS);
  let t0 = performance.now();
  rowsWrittenTotal += store.recordCycle(CLUSTER, simNow, samples).rowsWritten;
  const took = performance.now() - t0;
  if (i === 0) firstCycleMs = took;
  else recordMs.push(took);
  t0 = performance.now();
  store.compact(simNow);
  compactMs.push(performance.now() - t0);
  if ((i + 1) % (HOUR / POLL_MS / 2) === 0) {
    const checkpoint = measureSize(store, (i + 1) / (HOUR / POLL_MS));
    checkpoints.push(checkpoint);
    log(`  ${checkpoint.hour.toFixed(1)} h: ${fmtInt(checkpoint.rows)} rows, file ${mb(checkpoint.fileBytes)}, used ${mb(checkpoint.usedBytes)}, recordCycle p50 ${fmtMs(percentile(recordMs, 0.5))}`);
  }
}
const endOfSimulation = simNow;

// Worst and best cases. Rows written in a cycle move from staging to samples over the next 12 cycles, so a cycle
// pays partly for its predecessors: the quiet cases are measured after 12 quiet cycles, once staging has drained.
const changedMs = (fraction: number, cycles: number, measured: number) => {
  const times: number[] = [];
  for (let k = 0; k < cycles; k += 1) {
    simNow += POLL_MS;
    const samples = cluster.pollChanged(fraction);
    const t0 = performance.now();
    store.recordCycle(CLUSTER, simNow, samples);
    if (k >= cycles - measured) times.push(performance.now() - t0);
  }
  return times;
};
const allChangedMs = changedMs(1, 5, 5);
const noneChangedMs = changedMs(0, 17, 5);
const onePercentMs = changedMs(0.01, 17, 5);

// Reads the bridge and the UI make.
const active = cluster.partitions.find((p) => p.ratePerSec > 20) ?? cluster.partitions[0];
const activeGroup = cluster.groupPartitions.find((gp) => gp.partition.ratePerSec > 0 && gp.behaviour === 'keeps_up')?.group ?? 'group-000';
const reads = {
  hwmHistory1h: timed(() => store.hwmHistory(CLUSTER, active?.topic ?? '', active?.partition ?? 0, simNow - HOUR).length),
  windowFor10m: timed(() => store.windowFor(CLUSTER, activeGroup, simNow - 10 * 60_000, 15_000).reduce((n, w) => n + w.samples.length, 0)),
  groupHistoryAll: timed(() => store.groupHistory(CLUSTER, activeGroup, start, simNow, 60_000).length),
  topicHistoryAll: timed(() => store.topicHistory(CLUSTER, active?.topic ?? '', start, simNow, 60_000).length),
};

// Restart: open (loads every series' newest row) and the start-up load of the last hour.
store.close();
const thinningBacklogMs = endOfSimulation - HOUR - readMeta(join(dataDir, 'topolog.db'), 'thinned_until');
const reopen = timed(() => {
  store = openHistoryStore({ dataDir, now: () => simNow });
  return 0;
});
const countPoints = (loaded: ReturnType<HistoryStore['loadRecent']>) => {
  let points = 0;
  for (const map of [loaded.hwm, loaded.logStart, loaded.commits]) for (const list of map.values()) points += list.length;
  return points;
};
const recent = timed(() => countPoints(store.loadRecent(CLUSTER, simNow - HOUR)));
const recentShortCommits = timed(() => countPoints(store.loadRecent(CLUSTER, simNow - HOUR, { commitsSinceMs: simNow - 10 * 60_000 })));
const finalStats = store.stats();
store.close();
if (!args.keep) rmSync(dataDir, { recursive: true, force: true });

// Extrapolation. After the first hour the full-resolution window holds a constant hour of rows, so any growth
// from then on is downsampled history: its rate per hour, measured between 2 h and the end, times 24 is a day of
// downsampled history. With 24 h retention the file stops growing at (full-resolution hour + 23 downsampled hours).
const atTwo = checkpoints.find((c) => c.hour === 2) as SizeCheckpoint;
const atEnd = checkpoints.at(-1) as SizeCheckpoint;
const downsampledPerHour = (atEnd.usedBytes - atTwo.usedBytes) / (atEnd.hour - atTwo.hour);
const downsampledRowsPerHour = (atEnd.rows - atTwo.rows) / (atEnd.hour - atTwo.hour);
const fullResolutionHour = atEnd.usedBytes - downsampledPerHour * (atEnd.hour - 1);
const steadyState = fullResolutionHour + 23 * downsampledPerHour;

const table = [
  '| Measure | Value |',
  '|---|---|',
  `| Simulated | ${hours} h of 5 s polls: ${PARTITIONS} partitions (${cluster.activePartitions} active), ${GROUPS} groups × ${PARTITIONS_PER_GROUP} = ${GROUPS * PARTITIONS_PER_GROUP} commits; compact() after every poll (default 50 ms budget) |`,
  `| Rows written | ${fmtInt(rowsWrittenTotal)} (${fmtInt(rowsWrittenTotal / (cycles - 1))} per poll on average, closing rows included) |`,
  `| recordCycle, first poll (creates ${fmtInt(finalStats.series)} series) | ${fmtMs(firstCycleMs)} |`,
  `| recordCycle, simulated polls (median / p95 / max) | ${fmtMs(percentile(recordMs, 0.5))} / ${fmtMs(percentile(recordMs, 0.95))} / ${fmtMs(Math.max(...recordMs))} |`,
  `| recordCycle, nothing changed (median / max of 5, staging drained) | ${fmtMs(percentile(noneChangedMs, 0.5))} / ${fmtMs(Math.max(...noneChangedMs))} |`,
  `| recordCycle, 1 % of the values changed (median / max of 5, steady) | ${fmtMs(percentile(onePercentMs, 0.5))} / ${fmtMs(Math.max(...onePercentMs))} |`,
  `| recordCycle, all 40,000 values changed (median / max of 5) | ${fmtMs(percentile(allChangedMs, 0.5))} / ${fmtMs(Math.max(...allChangedMs))} |`,
  `| compact() per call (median / p95 / max; every 6th call also checkpoints the WAL) | ${fmtMs(percentile(compactMs, 0.5))} / ${fmtMs(percentile(compactMs, 0.95))} / ${fmtMs(Math.max(...compactMs))} |`,
  `| compact() total | ${(compactMs.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s over ${hours} h simulated |`,
  `| After 2 h: rows / file / used | ${fmtInt(atTwo.rows)} / ${mb(atTwo.fileBytes)} / ${mb(atTwo.usedBytes)} |`,
  `| After ${atEnd.hour} h: rows / file / used | ${fmtInt(atEnd.rows)} / ${mb(atEnd.fileBytes)} / ${mb(atEnd.usedBytes)} |`,
  `| Full-resolution hour (used bytes) | ${mb(fullResolutionHour)} |`,
  `| Downsampled growth (2 h → ${atEnd.hour} h) | ${mb(downsampledPerHour)}/h, ${fmtInt(downsampledRowsPerHour)} rows/h → **${mb(24 * downsampledPerHour)} per day** |`,
  `| Extrapolated steady state, 24 h retention | **${mb(steadyState)}** (1 full-resolution hour + 23 downsampled hours) |`,
  `| Thinning backlog at the end (how far behind the full-resolution cutoff) | ${(thinningBacklogMs / 60_000).toFixed(1)} min |`,
  `| Reopen (moves the staged rows, loads ${fmtInt(finalStats.series)} series' newest rows) | ${fmtMs(reopen.ms)} |`,
  `| loadRecent(last hour, every series) | ${fmtMs(recent.ms)} for ${fmtInt(recent.value)} points |`,
  `| loadRecent(hwm + log start 1 h, commits 10 min) | ${fmtMs(recentShortCommits.ms)} for ${fmtInt(recentShortCommits.value)} points |`,
  `| hwmHistory(1 h, active partition) | ${fmtMs(reads.hwmHistory1h.ms)} (${reads.hwmHistory1h.value} points) |`,
  `| windowFor(10 min, 60 partitions, 15 s grid) | ${fmtMs(reads.windowFor10m.ms)} (${reads.windowFor10m.value} samples) |`,
  `| groupHistory(${hours} h, 1 min step) | ${fmtMs(reads.groupHistoryAll.ms)} (${reads.groupHistoryAll.value} steps) |`,
  `| topicHistory(${hours} h, 1 min step) | ${fmtMs(reads.topicHistoryAll.ms)} (${reads.topicHistoryAll.value} steps) |`,
].join('\n');

const sizes = ['| Simulated time | Rows | File (db + wal) | Used pages |', '|---|---|---|---|', ...checkpoints.map((c) => `| ${c.hour.toFixed(1)} h | ${fmtInt(c.rows)} | ${mb(c.fileBytes)} | ${mb(c.usedBytes)} |`)].join('\n');

const section = [
  `## History store (server/store) — ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Machine: ${machine()}`,
  `Command: \`node --import tsx bench/store/store-size.bench.ts --hours ${hours}\``,
  `Diurnal factor over the run: ${diurnalFactor(start).toFixed(2)} → ${diurnalFactor(endOfSimulation).toFixed(2)} (daily mean 0.55).`,
  '',
  table,
  '',
  sizes,
  '',
  'The extrapolation: once the first hour has passed, the full-resolution window holds a constant hour of rows,',
  'so all growth after that is downsampled history. Its rate, measured from 2 h to the end, gives the bytes per day',
  'of downsampled history; with 24 h retention the store levels off at one full-resolution hour plus 23 downsampled',
  'hours, since retention then deletes as much as arrives. Used bytes count pages in use; the file can be larger',
  'by free pages (reused, never returned to the OS) and the WAL (truncated to 64 MB after a checkpoint).',
  '',
].join('\n');

console.log(`\n${section}`);
if (!args['no-append']) {
  if (!existsSync(RESULTS)) writeFileSync(RESULTS, '# Benchmark results\n\n');
  const current = readFileSync(RESULTS, 'utf8');
  appendFileSync(RESULTS, `${current.endsWith('\n\n') ? '' : '\n'}${section}`);
  log(`appended to ${RESULTS}`);
}

function measureSize(current: HistoryStore, hour: number): SizeCheckpoint {
  const { rows, fileBytes } = current.stats();
  const db = new DatabaseSync(current.path, { readOnly: true });
  try {
    const pragma = (name: string) => Number(Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0]);
    return { hour, rows, fileBytes, usedBytes: (pragma('page_count') - pragma('freelist_count')) * pragma('page_size') };
  } finally {
    db.close();
  }
}

function readMeta(path: string, key: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number(db.prepare('SELECT value FROM store_meta WHERE key = ?').get(key)?.value ?? Number.NaN);
  } finally {
    db.close();
  }
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function machine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const memory = execSync('free -g', { encoding: 'utf8' }).split('\n')[1]?.trim().split(/\s+/)[1];
  const nproc = execSync('nproc', { encoding: 'utf8' }).trim();
  const sqlite = new DatabaseSync(':memory:');
  const version = sqlite.prepare('SELECT sqlite_version() AS v').get()?.v;
  sqlite.close();
  return `nproc ${nproc}, free -g total ${memory} GB, ${cpu}; Node ${process.version}, SQLite ${version}`;
}

function log(line: string): void {
  console.error(line);
}

function fmtMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function mb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
