import { performance } from 'node:perf_hooks';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SeriesRegistry, SeriesState } from './series-registry';
import type { CompactResult } from './types';

export interface CompactionSettings {
  retentionMs: number;
  fullResolutionMs: number;
  downsampleBucketMs: number;
}

/** How often the retention sweep visits every series. Retention is coarse, so this only bounds the overshoot. */
const RETENTION_SWEEP_EVERY_MS = 10 * 60_000;
/** A thinning pass covers at most this much time, so one series' statement stays small after a long pause. */
const MAX_THIN_SPAN_MS = 60 * 60_000;
/**
 * The WAL is checkpointed here, every 30 s, instead of after each cycle's commit (see open.ts): the staging pages
 * are rewritten every cycle, so a checkpoint every 6 cycles copies each of them once instead of six times. In
 * the benchmark this cut recordCycle's median from 67 to 41.1 ms and the store CPU time from about 78 s to 68 s per
 * simulated hour (bench/RESULTS.md). PASSIVE
 * never waits for readers.
 */
const CHECKPOINT_EVERY_MS = 30_000;
const THINNED_UNTIL = 'thinned_until';

interface Pass {
  kind: 'thin' | 'retain';
  from: number;
  to: number;
  series: SeriesState[];
  next: number;
}

/**
 * Downsampling, retention and forgetting, done a little per call: work is split per series and a call stops at
 * its time budget, so it never holds the event loop (node:sqlite is synchronous) for much longer than that.
 *
 * Thinning rule, for rows older than fullResolutionMs, per series and per bucket of downsampleBucketMs:
 * - keep the LAST row of the bucket: the newest value the bucket saw, so consecutive kept rows are at most about
 *   a bucket apart while the series moves, and a linear reading between them is off by less than one bucket;
 * - also keep the FIRST row of the bucket when it closes a flat run that began in an earlier bucket (its value
 *   equals the previous row's). Without it a producer idle for 30 min and then bursting would read as a slow
 *   ramp over those 30 min, and the time-lag estimate would be off by up to 15 min.
 * So a steadily moving series keeps one row per bucket and a bursty one at most two. Every dropped row has a kept
 * row after it in its own bucket, so the error of any reading is bounded by one bucket. The rule keeps the same
 * rows when applied twice, so redoing a pass after a crash is harmless.
 */
export class Compactor {
  readonly #db: DatabaseSync;
  readonly #registry: SeriesRegistry;
  readonly #settings: CompactionSettings;
  /** Deletes a series' rows and its series row, returning the number of sample rows deleted. */
  readonly #deleteSeries: (state: SeriesState) => number;
  readonly #thin: StatementSync;
  readonly #expire: StatementSync;
  readonly #readMeta: StatementSync;
  readonly #writeMeta: StatementSync;
  readonly #oldestRow: StatementSync;
  #pass: Pass | null = null;
  #lastRetentionSweep = Number.NEGATIVE_INFINITY;
  #lastCheckpoint = Number.NEGATIVE_INFINITY;

  constructor(db: DatabaseSync, registry: SeriesRegistry, settings: CompactionSettings, deleteSeries: (state: SeriesState) => number) {
    this.#db = db;
    this.#registry = registry;
    this.#settings = settings;
    this.#deleteSeries = deleteSeries;
    // ?1 series, ?2 pass start, ?3 pass end (both on bucket boundaries), ?4 bucket. The row before the pass
    // comes along so the first row of the pass can be recognised as closing a flat run.
    this.#thin = db.prepare(`
      WITH ordered AS (
        SELECT t, value,
          t / CAST(?4 AS INTEGER) AS bucket,
          LAG(t / CAST(?4 AS INTEGER)) OVER w AS prev_bucket,
          LAG(value) OVER w AS prev_value,
          LEAD(t / CAST(?4 AS INTEGER)) OVER w AS next_bucket
        FROM samples
        WHERE series_id = ?1
          AND t >= coalesce((SELECT max(t) FROM samples WHERE series_id = ?1 AND t < ?2), ?2)
          AND t < ?3
        WINDOW w AS (ORDER BY t)
      )
      DELETE FROM samples WHERE series_id = ?1 AND t IN (
        SELECT t FROM ordered
        WHERE t >= ?2
          AND next_bucket = bucket
          AND NOT coalesce(prev_bucket < bucket AND prev_value = value, 0)
      )
    `);
    // Keeps the newest row at or before the cutoff: it is the value at the cutoff, so a flat series keeps its value.
    this.#expire = db.prepare(`
      DELETE FROM samples
      WHERE series_id = ?1 AND t < (SELECT max(t) FROM samples WHERE series_id = ?1 AND t <= ?2)
    `);
    this.#readMeta = db.prepare('SELECT value FROM store_meta WHERE key = ?');
    this.#writeMeta = db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.#oldestRow = db.prepare('SELECT min((SELECT t FROM samples WHERE series_id = x.id ORDER BY t LIMIT 1)) AS t FROM series x');
  }

  /** Drops the pass in progress (its series list may hold stale entries); the next call starts a fresh one. */
  reset(): void {
    this.#pass = null;
  }

  /** Runs for about `budgetMs` (at least one series), in one transaction. */
  run(nowMs: number, budgetMs: number): CompactResult {
    const deadline = performance.now() + budgetMs;
    const result: CompactResult = { rowsThinned: 0, rowsExpired: 0, seriesForgotten: 0, done: false };
    const forgotten: SeriesState[] = [];
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      let worked = false;
      while (worked === false || performance.now() < deadline) {
        this.#pass ??= this.#nextPass(nowMs);
        const pass = this.#pass;
        if (!pass) {
          result.done = true;
          break;
        }
        const state = pass.series[pass.next];
        if (state) {
          pass.next += 1;
          worked = true;
          if (!state.forgotten) this.#step(pass, state, result, forgotten);
          continue;
        }
        if (pass.kind === 'thin') this.#writeMeta.run(THINNED_UNTIL, pass.to);
        this.#pass = null;
      }
      this.#db.exec('COMMIT');
      if (nowMs - this.#lastCheckpoint >= CHECKPOINT_EVERY_MS) {
        this.#lastCheckpoint = nowMs;
        this.#db.exec('PRAGMA wal_checkpoint(PASSIVE)');
      }
      // Only now: had the transaction failed, the series would still be in the database.
      for (const state of forgotten) this.#registry.remove(state);
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      this.#pass = null;
      throw err;
    }
    return result;
  }

  #step(pass: Pass, state: SeriesState, result: CompactResult, forgotten: SeriesState[]): void {
    if (pass.kind === 'thin') {
      result.rowsThinned += Number(this.#thin.run(state.id, pass.from, pass.to, this.#settings.downsampleBucketMs).changes);
      return;
    }
    // Not reported for the whole retention: a deleted topic or group. Nothing about it is worth keeping.
    if (state.lastSeenT !== null && state.lastSeenT < pass.to) {
      result.rowsExpired += this.#deleteSeries(state);
      result.seriesForgotten += 1;
      forgotten.push(state);
      return;
    }
    result.rowsExpired += Number(this.#expire.run(state.id, pass.to).changes);
  }

  #nextPass(nowMs: number): Pass | null {
    const { downsampleBucketMs: bucket, fullResolutionMs, retentionMs } = this.#settings;
    const thinTo = Math.floor((nowMs - fullResolutionMs) / bucket) * bucket;
    const thinnedUntil = this.#thinnedUntil(thinTo);
    if (thinTo - thinnedUntil >= bucket) {
      const to = Math.min(thinTo, thinnedUntil + Math.max(bucket, Math.floor(MAX_THIN_SPAN_MS / bucket) * bucket));
      // A series whose newest row is older than the pass has nothing in it: a flat series costs nothing here.
      const series = [...this.#registry.all()].filter((s) => s.lastRowT !== null && s.lastRowT >= thinnedUntil);
      return { kind: 'thin', from: thinnedUntil, to, series, next: 0 };
    }
    if (nowMs - this.#lastRetentionSweep >= RETENTION_SWEEP_EVERY_MS) {
      this.#lastRetentionSweep = nowMs;
      return { kind: 'retain', from: 0, to: nowMs - retentionMs, series: [...this.#registry.all()], next: 0 };
    }
    return null;
  }

  /** Where the next thinning pass starts: stored, or for a database never compacted, its oldest bucket. */
  #thinnedUntil(thinTo: number): number {
    const stored = this.#readMeta.get(THINNED_UNTIL)?.value;
    if (stored !== undefined && stored !== null) return Number(stored);
    const oldest = this.#oldestRow.get()?.t;
    const bucket = this.#settings.downsampleBucketMs;
    const start = oldest === undefined || oldest === null ? thinTo : Math.floor(Number(oldest) / bucket) * bucket;
    this.#writeMeta.run(THINNED_UNTIL, start);
    return start;
  }
}
