import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ObservedSpan } from '../../lib/lag/observed';


/**
 * When Topolog was watching a cluster (table observed_spans): each poll extends the current span, and a poll that
 * comes more than `maxGapMs` after the previous one starts a new span. History charts blank the time between spans
 * (Topolog was stopped or the cluster did not answer) instead of interpolating across it. One row update per cycle.
 */
export class ObservedSpans {
  readonly #retentionMs: number;
  readonly #last = new Map<string, { from: number; to: number }>();
  readonly #latest: StatementSync;
  readonly #insert: StatementSync;
  readonly #extend: StatementSync;
  readonly #between: StatementSync;
  readonly #prune: StatementSync;

  constructor(db: DatabaseSync, retentionMs: number) {
    this.#retentionMs = retentionMs;
    this.#latest = db.prepare('SELECT from_t, to_t FROM observed_spans WHERE cluster = ? ORDER BY from_t DESC LIMIT 1');
    this.#insert = db.prepare('INSERT OR REPLACE INTO observed_spans (cluster, from_t, to_t) VALUES (?, ?, ?)');
    this.#extend = db.prepare('UPDATE observed_spans SET to_t = ? WHERE cluster = ? AND from_t = ?');
    // Spans that overlap [from, to]: ends after from, starts before to.
    this.#between = db.prepare('SELECT from_t, to_t FROM observed_spans WHERE cluster = ? AND to_t >= ? AND from_t <= ? ORDER BY from_t');
    this.#prune = db.prepare('DELETE FROM observed_spans WHERE to_t < ?');
  }

  /** A poll of `cluster` answered at `t`; `maxGapMs` is how far apart two polls of one unbroken run may be. */
  mark(cluster: string, t: number, maxGapMs: number): void {
    let last = this.#last.get(cluster);
    if (!last) {
      const row = this.#latest.get(cluster) as { from_t: number; to_t: number } | undefined;
      last = row ? { from: row.from_t, to: row.to_t } : undefined;
    }
    if (last && t <= last.to) return;
    if (last && t - last.to <= maxGapMs) {
      this.#extend.run(t, cluster, last.from);
      this.#last.set(cluster, { from: last.from, to: t });
      return;
    }
    this.#insert.run(cluster, t, t);
    this.#last.set(cluster, { from: t, to: t });
  }

  /** The spans overlapping [fromMs, toMs], oldest first. */
  between(cluster: string, fromMs: number, toMs: number): ObservedSpan[] {
    return (this.#between.all(cluster, fromMs, toMs) as { from_t: number; to_t: number }[]).map((r) => ({ from: r.from_t, to: r.to_t }));
  }

  /** Spans that ended before the retention go (the store calls it at most once a minute). */
  compact(nowMs: number): void {
    this.#prune.run(nowMs - this.#retentionMs);
  }
}
