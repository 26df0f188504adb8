import { AlertStore } from './alert-store';
import { EvidenceLog } from './evidence-log';
import { StatusLog } from './status-log';
import { ObservedSpans } from './observed-spans';
import { AuditLog } from './audit-log';
import { ReplayStore } from './replay-store';
import { statSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Compactor, type CompactionSettings } from './compaction';
import { SampleReader } from './sample-reader';
import { groupSeriesChart, stepJoin, topicSeriesChart, type PartitionSeries } from './series-math';
import { clusterSeenKey, loadRegistry, newSeriesState, SeriesRegistry, type SeriesState } from './series-registry';
import type {
  CompactResult,
  CycleSamples,
  GroupHistoryPoint,
  HistoryStore,
  HwmPoint,
  OffsetPoint,
  PartitionWindow,
  RecentHistory,
  RecordResult,
  SeriesKind,
  StoreStats,
  TopicHistoryPoint,
} from './types';

/**
 * At 10,000 partitions with 30 % active, thinning needs about 30 s of CPU per hour (about 2 µs per row deleted,
 * 11 of every 12 rows; bench/RESULTS.md): a 20 ms budget per 5 s call fell behind, 50 ms keeps up (backlog 0.9 min).
 */
const DEFAULT_COMPACT_BUDGET_MS = 50;
/** recordCycle moves 1/STAGING_RANGES of the series ids from staging to samples per call: each about once a minute. */
const STAGING_RANGES = 12;

interface Cycle {
  cluster: string;
  t: number;
  serial: number;
  rowsWritten: number;
  seriesCreated: number;
  samplesIgnored: number;
  /** Series of the current kind reported so far, to tell whether any was left out. */
  reported: number;
}

/**
 * The history store on node:sqlite.
 *
 * Flat runs. A row is written only when a series' value changes, so an idle partition costs nothing per cycle.
 * A reader must still know how long a value stayed flat: "HWM 500 at 10:00, 600 at 10:30" reads as a slow ramp,
 * while the truth may be "500 until 10:29:55, then a burst". So a flat run is bounded by two points:
 * - a finished run (the value changed at t) gets a closing row at its last observation before t, written in the
 *   same cycle as the change row (KLE's "keep the first and the last of a flat run"). A series that moves every
 *   cycle writes no closing rows: its previous row already is its last observation.
 * - the still-open run ends at the series' last observation, which is not a row. Writing it as one (or updating
 *   a last_seen column per series) would cost 40,000 writes per cycle for a mostly idle cluster. Instead,
 *   cluster_seen holds one time per (cluster, kind): the last complete report, which every series still being
 *   reported shares. series.last_seen_t is written only when a series drops out of the reports (deleted topic,
 *   broker down) and cleared when it comes back, so the per-cycle cost follows the churn, not the series count.
 * The reader adds the open run's end as a final point: last_seen_t ?? cluster_seen.t (kept in memory as lastSeenT).
 *
 * Writes land in samples_staging and move to samples a range of series at a time (see migration 2 for why).
 * Reads merge the two; every staged row of a series is newer than its rows in samples.
 *
 * Memory is updated while the cycle's transaction runs; if the transaction fails, the registry is reloaded from
 * the database, so memory never claims a value the database does not hold.
 */
/** The status log, alerts and observed spans are small: their retention runs once a minute, not every cycle. */
const SMALL_TABLES_PRUNE_EVERY_MS = 60_000;

export class SqliteHistoryStore implements HistoryStore {
  readonly path: string;
  readonly evidence: EvidenceLog;
  readonly alerts: AlertStore;
  readonly statusLog: StatusLog;
  readonly observed: ObservedSpans;
  readonly audit: AuditLog;
  readonly replay: ReplayStore;
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  readonly #registry = new SeriesRegistry();
  #clusterSeen: Map<string, number>;
  readonly #reader: SampleReader;
  readonly #compactor: Compactor;
  readonly #insertStaged: StatementSync;
  readonly #insertSeries: StatementSync;
  readonly #setLastSeen: StatementSync;
  readonly #setClusterSeen: StatementSync;
  readonly #moveStaged: StatementSync;
  readonly #clearStaged: StatementSync;
  readonly #deleteSeriesStatements: StatementSync[];
  #cycleSerial = 0;
  #smallTablesPrunedAt = 0;
  #stagingCursor = 0;
  /** Counted on the first stats() call, then kept up to date, because COUNT(*) reads every row. */
  #rowCount: number | null = null;

  constructor(db: DatabaseSync, path: string, settings: CompactionSettings, now: () => number) {
    this.#db = db;
    this.path = path;
    this.evidence = new EvidenceLog(db);
    this.alerts = new AlertStore(db, settings.retentionMs);
    this.statusLog = new StatusLog(db, settings.retentionMs);
    this.observed = new ObservedSpans(db, settings.retentionMs);
    this.audit = new AuditLog(db, now);
    this.replay = new ReplayStore(db);
    this.#now = now;
    this.#insertStaged = db.prepare('INSERT INTO samples_staging (series_id, t, value, value2) VALUES (?, ?, ?, ?)');
    this.#insertSeries = db.prepare('INSERT INTO series (cluster, kind, grp, topic, part) VALUES (?, ?, ?, ?, ?) RETURNING id');
    this.#setLastSeen = db.prepare('UPDATE series SET last_seen_t = ? WHERE id = ?');
    this.#setClusterSeen = db.prepare('INSERT INTO cluster_seen (cluster, kind, t) VALUES (?, ?, ?) ON CONFLICT (cluster, kind) DO UPDATE SET t = excluded.t');
    // OR IGNORE: a row can only be in both tables if a move was cut short, and then the copies are equal.
    this.#moveStaged = db.prepare('INSERT OR IGNORE INTO samples SELECT series_id, t, value, value2 FROM samples_staging WHERE series_id >= ? AND series_id < ?');
    this.#clearStaged = db.prepare('DELETE FROM samples_staging WHERE series_id >= ? AND series_id < ?');
    this.#deleteSeriesStatements = ['DELETE FROM samples WHERE series_id = ?', 'DELETE FROM samples_staging WHERE series_id = ?', 'DELETE FROM series WHERE id = ?'].map((sql) => db.prepare(sql));
    this.#transaction(() => this.#moveStagedRange(0, Number.MAX_SAFE_INTEGER));
    this.#clusterSeen = loadRegistry(db, this.#registry);
    this.#reader = new SampleReader(db);
    this.#compactor = new Compactor(db, this.#registry, settings, (state) => this.#deleteSeries(state));
  }

  recordCycle(cluster: string, observedAt: number, samples: CycleSamples): RecordResult {
    const cycle: Cycle = { cluster, t: Math.trunc(observedAt), serial: ++this.#cycleSerial, rowsWritten: 0, seriesCreated: 0, samplesIgnored: 0, reported: 0 };
    this.#transaction(
      () => {
        if (samples.partitions && this.#startReport(cycle, 'hwm', samples.partitions.length)) {
          const index = this.#registry.partitionIndex(cluster, 'hwm');
          for (const p of samples.partitions) {
            if (!isOffset(cycle, p.hwm)) continue;
            const state = index.get(p.topic)?.[p.partition] ?? this.#createSeries(cycle, 'hwm', '', p.topic, p.partition);
            this.#observe(cycle, state, p.hwm, p.lso ?? null);
          }
          this.#endReport(cycle, 'hwm');
        }
        if (samples.logStarts && this.#startReport(cycle, 'log_start', samples.logStarts.length)) {
          const index = this.#registry.partitionIndex(cluster, 'log_start');
          for (const p of samples.logStarts) {
            if (!isOffset(cycle, p.logStart)) continue;
            const state = index.get(p.topic)?.[p.partition] ?? this.#createSeries(cycle, 'log_start', '', p.topic, p.partition);
            this.#observe(cycle, state, p.logStart, null);
          }
          this.#endReport(cycle, 'log_start');
        }
        if (samples.commits && this.#startReport(cycle, 'commit', samples.commits.length)) {
          const index = this.#registry.commitIndex(cluster);
          for (const c of samples.commits) {
            if (!isOffset(cycle, c.committed)) continue;
            const state = index.get(c.group)?.get(c.topic)?.[c.partition] ?? this.#createSeries(cycle, 'commit', c.group, c.topic, c.partition);
            this.#observe(cycle, state, c.committed, null);
          }
          this.#endReport(cycle, 'commit');
        }
        const width = Math.ceil((this.#registry.maxId + 1) / STAGING_RANGES);
        this.#moveStagedRange(this.#stagingCursor * width, (this.#stagingCursor + 1) * width);
        this.#stagingCursor = (this.#stagingCursor + 1) % STAGING_RANGES;
      },
      () => this.#reload(),
    );
    if (this.#rowCount !== null) this.#rowCount += cycle.rowsWritten;
    return { rowsWritten: cycle.rowsWritten, seriesCreated: cycle.seriesCreated, samplesIgnored: cycle.samplesIgnored };
  }

  /** A report not newer than the previous one of its kind (a clock step back, a replayed call) is dropped whole. */
  #startReport(cycle: Cycle, kind: SeriesKind, count: number): boolean {
    cycle.reported = 0;
    const previous = this.#clusterSeen.get(clusterSeenKey(cycle.cluster, kind));
    if (previous === undefined || cycle.t > previous) return true;
    cycle.samplesIgnored += count;
    return false;
  }

  #observe(cycle: Cycle, state: SeriesState, value: number, value2: number | null): void {
    if (state.mark === cycle.serial) {
      cycle.samplesIgnored += 1; // listed twice in one cycle
      return;
    }
    state.mark = cycle.serial;
    cycle.reported += 1;
    const second = value2 !== null && Number.isSafeInteger(value2) && value2 >= 0 ? value2 : null;
    if (state.value !== value || state.value2 !== second) {
      if (state.lastRowT !== null && state.lastSeenT !== null && state.lastSeenT > state.lastRowT) {
        this.#insertStaged.run(state.id, state.lastSeenT, state.value, state.value2);
        cycle.rowsWritten += 1;
      }
      this.#insertStaged.run(state.id, cycle.t, value, second);
      cycle.rowsWritten += 1;
      state.value = value;
      state.value2 = second;
      state.lastRowT = cycle.t;
    }
    if (state.storedLastSeenT !== null) {
      // Reported again after dropping out: back to following cluster_seen.
      this.#setLastSeen.run(null, state.id);
      state.storedLastSeenT = null;
    }
    state.lastSeenT = cycle.t;
  }

  /** Pins the last observation of every series the report left out, then moves the cluster's report time. */
  #endReport(cycle: Cycle, kind: SeriesKind): void {
    if (cycle.reported < this.#registry.count(cycle.cluster, kind)) {
      for (const state of this.#registry.ofKind(cycle.cluster, kind)) {
        if (state.mark === cycle.serial || state.storedLastSeenT !== null || state.lastSeenT === null) continue;
        this.#setLastSeen.run(state.lastSeenT, state.id);
        state.storedLastSeenT = state.lastSeenT;
      }
    }
    this.#setClusterSeen.run(cycle.cluster, kind, cycle.t);
    this.#clusterSeen.set(clusterSeenKey(cycle.cluster, kind), cycle.t);
  }

  #createSeries(cycle: Cycle, kind: SeriesKind, group: string, topic: string, partition: number): SeriesState {
    const row = this.#insertSeries.get(cycle.cluster, kind, group, topic, partition) as { id: number };
    const state = newSeriesState(row.id, cycle.cluster, kind, group, topic, partition);
    this.#registry.add(state);
    cycle.seriesCreated += 1;
    return state;
  }

  #moveStagedRange(fromId: number, toId: number): void {
    this.#moveStaged.run(fromId, toId);
    this.#clearStaged.run(fromId, toId);
  }

  hwmHistory(cluster: string, topic: string, partition: number, fromMs: number, toMs?: number): HwmPoint[] {
    return this.#reader.points(this.#registry.find(cluster, 'hwm', '', topic, partition), fromMs, toMs);
  }

  commitHistory(cluster: string, group: string, topic: string, partition: number, fromMs: number): OffsetPoint[] {
    return this.#reader.points(this.#registry.find(cluster, 'commit', group, topic, partition), fromMs);
  }

  logStartHistory(cluster: string, topic: string, partition: number, fromMs: number): OffsetPoint[] {
    return this.#reader.points(this.#registry.find(cluster, 'log_start', '', topic, partition), fromMs);
  }

  windowFor(cluster: string, group: string, fromMs: number, gridMs?: number, toMs?: number): PartitionWindow[] {
    return this.#registry.ofGroup(cluster, group).map((commit) => {
      const series = this.#partitionSeries(commit, fromMs, toMs);
      const first = series.commit[0];
      return {
        topic: commit.topic,
        partition: commit.partition,
        samples: stepJoin(series, fromMs, gridMs),
        coveredFromT: first ? Math.max(first.t, fromMs) : fromMs,
      };
    });
  }

  loadRecent(cluster: string, sinceMs: number, options: { commitsSinceMs?: number } = {}): RecentHistory {
    return this.#reader.recent(this.#registry, cluster, sinceMs, options.commitsSinceMs ?? sinceMs);
  }

  groupHistory(cluster: string, group: string, fromMs: number, toMs: number, stepMs: number): GroupHistoryPoint[] {
    // One step earlier too, so the first step has a rate.
    const partitions = this.#registry.ofGroup(cluster, group).map((commit) => this.#partitionSeries(commit, fromMs - stepMs, toMs));
    return groupSeriesChart(partitions, fromMs, toMs, stepMs);
  }

  topicHistory(cluster: string, topic: string, fromMs: number, toMs: number, stepMs: number): TopicHistoryPoint[] {
    const partitions = this.#registry
      .ofTopic(cluster, topic)
      .filter((s) => s.kind === 'hwm')
      .map((hwm) => this.#reader.points(hwm, fromMs - stepMs, toMs));
    return topicSeriesChart(partitions, fromMs, toMs, stepMs);
  }

  #partitionSeries(commit: SeriesState, fromMs: number, toMs?: number): PartitionSeries {
    const find = (kind: SeriesKind) => this.#registry.find(commit.cluster, kind, '', commit.topic, commit.partition);
    return {
      commit: this.#reader.points(commit, fromMs, toMs),
      hwm: this.#reader.points(find('hwm'), fromMs, toMs),
      logStart: this.#reader.points(find('log_start'), fromMs, toMs),
    };
  }

  compact(nowMs: number = this.#now(), budgetMs: number = DEFAULT_COMPACT_BUDGET_MS): CompactResult {
    const result = this.#compactor.run(nowMs, budgetMs);
    // Small tables, pruned at most once a minute (outside the budget: an index range delete each).
    if (nowMs - this.#smallTablesPrunedAt >= SMALL_TABLES_PRUNE_EVERY_MS) {
      this.#smallTablesPrunedAt = nowMs;
      this.statusLog.compact(nowMs);
      this.alerts.compact(nowMs);
      this.observed.compact(nowMs);
    }
    if (this.#rowCount !== null) this.#rowCount -= result.rowsThinned + result.rowsExpired;
    return result;
  }

  forget(cluster: string, what: { topic: string } | { group: string }): number {
    const doomed = 'topic' in what ? [...this.#registry.ofTopic(cluster, what.topic)] : [...this.#registry.ofGroup(cluster, what.group)];
    let rows = 0;
    this.#transaction(() => {
      for (const state of doomed) rows += this.#deleteSeries(state);
    });
    for (const state of doomed) this.#registry.remove(state);
    if (this.#rowCount !== null) this.#rowCount -= rows;
    return doomed.length;
  }

  /** Deletes a series from the database (not from memory: the caller does that once committed). */
  #deleteSeries(state: SeriesState): number {
    const [samples, staged, series] = this.#deleteSeriesStatements as [StatementSync, StatementSync, StatementSync];
    const rows = Number(samples.run(state.id).changes) + Number(staged.run(state.id).changes);
    series.run(state.id);
    return rows;
  }

  stats(): StoreStats {
    this.#rowCount ??= Number(this.#db.prepare('SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM samples_staging) AS n').get()?.n ?? 0);
    const fileBytes = ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (statSync(this.path + suffix, { throwIfNoEntry: false })?.size ?? 0), 0);
    return { fileBytes, rows: this.#rowCount, series: this.#registry.size };
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #transaction(work: () => void, onFailure?: () => void): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.#db.exec('COMMIT');
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      onFailure?.();
      throw err;
    }
  }

  /** Memory was updated inside a transaction that failed: rebuild it from what the database really holds. */
  #reload(): void {
    this.#clusterSeen = loadRegistry(this.#db, this.#registry);
    this.#compactor.reset();
    this.#rowCount = null;
  }
}

/**
 * Kafka reports -1 for an unknown offset (no commit, an unavailable partition): that is not an observation, so the
 * series is treated as not reported, and no series is created for it.
 */
function isOffset(cycle: Cycle, value: number): boolean {
  if (Number.isSafeInteger(value) && value >= 0) return true;
  cycle.samplesIgnored += 1;
  return false;
}
