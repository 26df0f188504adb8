import { statSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Compactor, type CompactionSettings } from './compaction';
import { SampleReader } from './sample-reader';
import { groupSeriesChart, stepJoin, topicSeriesChart, type PartitionSeries } from './series-math';
import { clusterSeenKey, commitKey, loadRegistry, newSeriesState, partitionKey, type SeriesRegistry, type SeriesState } from './series-registry';
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

const DEFAULT_COMPACT_BUDGET_MS = 20;

/** What a cycle did to one reported series, applied to memory only once the transaction has committed. */
interface Observation {
  state: SeriesState;
  value: number;
  value2: number | null;
  wroteRow: boolean;
}

interface CycleWork {
  cluster: string;
  t: number;
  serial: number;
  observations: Observation[];
  created: SeriesState[];
  storedLastSeen: [SeriesState, number | null][];
  reportedKinds: SeriesKind[];
  rowsWritten: number;
  samplesIgnored: number;
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
 */
export class SqliteHistoryStore implements HistoryStore {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  readonly #registry: SeriesRegistry;
  readonly #clusterSeen: Map<string, number>;
  readonly #reader: SampleReader;
  readonly #compactor: Compactor;
  readonly #insertSample: StatementSync;
  readonly #insertSeries: StatementSync;
  readonly #setLastSeen: StatementSync;
  readonly #setClusterSeen: StatementSync;
  readonly #deleteSamples: StatementSync;
  readonly #deleteSeriesRow: StatementSync;
  #cycleSerial = 0;
  /** Counted once on the first stats() call, then kept up to date, because COUNT(*) reads the whole table. */
  #rowCount: number | null = null;

  constructor(db: DatabaseSync, path: string, settings: CompactionSettings, now: () => number) {
    this.#db = db;
    this.path = path;
    this.#now = now;
    ({ registry: this.#registry, clusterSeen: this.#clusterSeen } = loadRegistry(db));
    this.#reader = new SampleReader(db);
    this.#insertSample = db.prepare('INSERT INTO samples (series_id, t, value, value2) VALUES (?, ?, ?, ?)');
    this.#insertSeries = db.prepare('INSERT INTO series (cluster, kind, grp, topic, part) VALUES (?, ?, ?, ?, ?) RETURNING id');
    this.#setLastSeen = db.prepare('UPDATE series SET last_seen_t = ? WHERE id = ?');
    this.#setClusterSeen = db.prepare('INSERT INTO cluster_seen (cluster, kind, t) VALUES (?, ?, ?) ON CONFLICT (cluster, kind) DO UPDATE SET t = excluded.t');
    this.#deleteSamples = db.prepare('DELETE FROM samples WHERE series_id = ?');
    this.#deleteSeriesRow = db.prepare('DELETE FROM series WHERE id = ?');
    this.#compactor = new Compactor(db, this.#registry, settings, (state) => this.#deleteSeries(state));
  }

  recordCycle(cluster: string, observedAt: number, samples: CycleSamples): RecordResult {
    const work: CycleWork = {
      cluster,
      t: Math.trunc(observedAt),
      serial: ++this.#cycleSerial,
      observations: [],
      created: [],
      storedLastSeen: [],
      reportedKinds: [],
      rowsWritten: 0,
      samplesIgnored: 0,
    };
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      if (samples.partitions && this.#acceptReport(work, 'hwm', samples.partitions.length)) {
        const map = this.#registry.kindMap(cluster, 'hwm');
        for (const p of samples.partitions) {
          const state = map.get(partitionKey(p.topic, p.partition)) ?? this.#createSeries(work, 'hwm', '', p.topic, p.partition);
          this.#observe(work, state, p.hwm, p.lso ?? null);
        }
        this.#closeReport(work, 'hwm');
      }
      if (samples.logStarts && this.#acceptReport(work, 'log_start', samples.logStarts.length)) {
        const map = this.#registry.kindMap(cluster, 'log_start');
        for (const p of samples.logStarts) {
          const state = map.get(partitionKey(p.topic, p.partition)) ?? this.#createSeries(work, 'log_start', '', p.topic, p.partition);
          this.#observe(work, state, p.logStart, null);
        }
        this.#closeReport(work, 'log_start');
      }
      if (samples.commits && this.#acceptReport(work, 'commit', samples.commits.length)) {
        const map = this.#registry.kindMap(cluster, 'commit');
        for (const c of samples.commits) {
          const state = map.get(commitKey(c.group, c.topic, c.partition)) ?? this.#createSeries(work, 'commit', c.group, c.topic, c.partition);
          this.#observe(work, state, c.committed, null);
        }
        this.#closeReport(work, 'commit');
      }
      this.#db.exec('COMMIT');
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      for (const state of work.created) this.#registry.remove(state);
      throw err;
    }
    this.#applyCycle(work);
    return { rowsWritten: work.rowsWritten, seriesCreated: work.created.length, samplesIgnored: work.samplesIgnored };
  }

  /** A report not newer than the previous one of its kind (a clock step back, a replayed call) is dropped whole. */
  #acceptReport(work: CycleWork, kind: SeriesKind, count: number): boolean {
    const previous = this.#clusterSeen.get(clusterSeenKey(work.cluster, kind));
    if (previous === undefined || work.t > previous) return true;
    work.samplesIgnored += count;
    return false;
  }

  #observe(work: CycleWork, state: SeriesState, value: number, value2: number | null): void {
    if (state.mark === work.serial) {
      work.samplesIgnored += 1; // listed twice in one cycle
      return;
    }
    state.mark = work.serial;
    const changed = state.value !== value || state.value2 !== value2;
    if (changed) {
      if (state.value !== null && state.lastRowT !== null && state.lastSeenT !== null && state.lastSeenT > state.lastRowT) {
        this.#insertSample.run(state.id, state.lastSeenT, state.value, state.value2);
        work.rowsWritten += 1;
      }
      this.#insertSample.run(state.id, work.t, value, value2);
      work.rowsWritten += 1;
    }
    if (state.storedLastSeenT !== null) {
      // Reported again after dropping out: back to following cluster_seen.
      this.#setLastSeen.run(null, state.id);
      work.storedLastSeen.push([state, null]);
    }
    work.observations.push({ state, value, value2, wroteRow: changed });
  }

  /** Pins the last observation of every series this report left out, then moves the cluster's report time. */
  #closeReport(work: CycleWork, kind: SeriesKind): void {
    for (const state of this.#registry.kindMap(work.cluster, kind).values()) {
      if (state.mark === work.serial || state.storedLastSeenT !== null || state.lastSeenT === null) continue;
      this.#setLastSeen.run(state.lastSeenT, state.id);
      work.storedLastSeen.push([state, state.lastSeenT]);
    }
    this.#setClusterSeen.run(work.cluster, kind, work.t);
    work.reportedKinds.push(kind);
  }

  #createSeries(work: CycleWork, kind: SeriesKind, group: string, topic: string, partition: number): SeriesState {
    const row = this.#insertSeries.get(work.cluster, kind, group, topic, partition) as { id: number };
    const state = newSeriesState(row.id, work.cluster, kind, group, topic, partition);
    this.#registry.add(state);
    work.created.push(state);
    return state;
  }

  #applyCycle(work: CycleWork): void {
    for (const { state, value, value2, wroteRow } of work.observations) {
      state.lastSeenT = work.t;
      if (!wroteRow) continue;
      state.value = value;
      state.value2 = value2;
      state.lastRowT = work.t;
    }
    for (const [state, lastSeen] of work.storedLastSeen) state.storedLastSeenT = lastSeen;
    for (const kind of work.reportedKinds) this.#clusterSeen.set(clusterSeenKey(work.cluster, kind), work.t);
    if (this.#rowCount !== null) this.#rowCount += work.rowsWritten;
  }

  hwmHistory(cluster: string, topic: string, partition: number, fromMs: number): HwmPoint[] {
    return this.#reader.points(this.#registry.find(cluster, 'hwm', '', topic, partition), fromMs);
  }

  commitHistory(cluster: string, group: string, topic: string, partition: number, fromMs: number): OffsetPoint[] {
    return this.#reader.points(this.#registry.find(cluster, 'commit', group, topic, partition), fromMs);
  }

  logStartHistory(cluster: string, topic: string, partition: number, fromMs: number): OffsetPoint[] {
    return this.#reader.points(this.#registry.find(cluster, 'log_start', '', topic, partition), fromMs);
  }

  windowFor(cluster: string, group: string, fromMs: number, gridMs?: number): PartitionWindow[] {
    return this.#registry.ofGroup(cluster, group).map((commit) => {
      const series = this.#partitionSeries(commit, fromMs);
      const first = series.commit[0];
      return {
        topic: commit.topic,
        partition: commit.partition,
        samples: stepJoin(series, fromMs, gridMs),
        coveredFromT: first ? Math.max(first.t, fromMs) : fromMs,
      };
    });
  }

  loadRecent(cluster: string, sinceMs: number): RecentHistory {
    return this.#reader.recent(this.#registry, cluster, sinceMs);
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
    if (this.#rowCount !== null) this.#rowCount -= result.rowsThinned + result.rowsExpired;
    return result;
  }

  forget(cluster: string, what: { topic: string } | { group: string }): number {
    const doomed = 'topic' in what ? [...this.#registry.ofTopic(cluster, what.topic)] : [...this.#registry.ofGroup(cluster, what.group)];
    if (doomed.length === 0) return 0;
    let rows = 0;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const state of doomed) rows += this.#deleteSeries(state);
      this.#db.exec('COMMIT');
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
    for (const state of doomed) this.#registry.remove(state);
    if (this.#rowCount !== null) this.#rowCount -= rows;
    return doomed.length;
  }

  /** Deletes a series from the database (not from memory: the caller does that once committed). */
  #deleteSeries(state: SeriesState): number {
    const rows = Number(this.#deleteSamples.run(state.id).changes);
    this.#deleteSeriesRow.run(state.id);
    return rows;
  }

  stats(): StoreStats {
    this.#rowCount ??= Number(this.#db.prepare('SELECT count(*) AS n FROM samples').get()?.n ?? 0);
    const fileBytes = ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (statSync(this.path + suffix, { throwIfNoEntry: false })?.size ?? 0), 0);
    return { fileBytes, rows: this.#rowCount, series: this.#registry.size };
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
