import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { GroupStatus, StatusSpan } from '../../lib/contract';

export interface GroupStatusObservation {
  id: string;
  status: GroupStatus | null;
  reason: string | null;
}

/** Where the poller has no status (null) we say why in the span, once. */
const NOT_LISTED = 'the group was not listed by the cluster';
/**
 * Cycles a known group may be missing from the list before its "not listed" row is written: the default
 * `clearCycles` of alert rules, so the timeline and the alerts agree that a group gone for one cycle is not gone.
 */
export const MISSING_GRACE_CYCLES = 3;
/** Rows read for one timeline at most; a group flapping more often than that shows its newest changes. */
export const MAX_SPAN_ROWS = 5_000;
const TRUNCATED = `more than ${MAX_SPAN_ROWS} status changes in this range; only the newest are shown (narrow the range to see these)`;

interface Missing {
  /** When it was first missed: the null row, if it comes, is dated from here. */
  since: number;
  cycles: number;
}

/**
 * The group status log (table group_status_log): a row when a group's status changes from one cycle to the next,
 * so the group page's status timeline survives restarts and costs nothing while nothing changes. Memory holds the
 * last status per group (loaded from the table on the first cycle of a cluster), so a restart does not append a
 * duplicate row. A group missing from the list gets its null row only after MISSING_GRACE_CYCLES cycles in a row
 * (dated from the first of them). Rows older than the retention go, except each group's newest one before the
 * cutoff when it has a status: the timeline must know the status at its start. A newest row that is null (the group
 * is gone) goes too, so short-lived groups (console-consumer-*) leave nothing behind.
 */
export class StatusLog {
  readonly #db: DatabaseSync;
  readonly #retentionMs: number;
  readonly #last = new Map<string, Map<string, GroupStatus | null>>();
  readonly #missing = new Map<string, Map<string, Missing>>();
  readonly #graceCycles: number;
  readonly #insert: StatementSync;

  constructor(db: DatabaseSync, retentionMs: number, graceCycles = MISSING_GRACE_CYCLES) {
    this.#db = db;
    this.#retentionMs = retentionMs;
    this.#graceCycles = Math.max(1, graceCycles);
    this.#insert = db.prepare('INSERT OR REPLACE INTO group_status_log (cluster, grp, t, status, reason) VALUES (?, ?, ?, ?, ?)');
  }

  /**
   * One cycle's statuses for every listed group. A group whose status is still null (not evaluated yet) is skipped;
   * a known group missing from the list for MISSING_GRACE_CYCLES cycles in a row gets a null row, dated from the
   * first cycle it was missing. Returns the number of rows appended.
   */
  record(cluster: string, t: number, groups: readonly GroupStatusObservation[]): number {
    const last = this.#lastOf(cluster);
    const missing = this.#missingOf(cluster);
    let appended = 0;
    const listed = new Set<string>();
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const g of groups) {
        listed.add(g.id);
        missing.delete(g.id);
        if (g.status === null || last.get(g.id) === g.status) continue;
        this.#insert.run(cluster, g.id, Math.trunc(t), g.status, g.reason);
        last.set(g.id, g.status);
        appended += 1;
      }
      for (const [id, status] of last) {
        if (listed.has(id)) continue;
        if (status === null) {
          last.delete(id);
          continue;
        }
        const gone = missing.get(id) ?? { since: Math.trunc(t), cycles: 0 };
        gone.cycles += 1;
        if (gone.cycles < this.#graceCycles) {
          missing.set(id, gone);
          continue;
        }
        this.#insert.run(cluster, id, gone.since, null, NOT_LISTED);
        appended += 1;
        // Forget it: memory follows the groups that exist.
        missing.delete(id);
        last.delete(id);
      }
      this.#db.exec('COMMIT');
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      this.#last.delete(cluster);
      this.#missing.delete(cluster);
      throw err;
    }
    return appended;
  }

  /**
   * The timeline over [from, to]: spans from the rows, the part before the first known row is `status: null`. A
   * span ends where the next begins; the last ends at `to`.
   */
  spans(cluster: string, group: string, from: number, to: number): StatusSpan[] {
    const before = this.#db
      .prepare('SELECT t, status, reason FROM group_status_log WHERE cluster = ? AND grp = ? AND t <= ? ORDER BY t DESC LIMIT 1')
      .get(cluster, group, from);
    // Newest first, so a group that flapped more than MAX_SPAN_ROWS times keeps the recent end of its timeline.
    const rows = this.#db
      .prepare('SELECT t, status, reason FROM group_status_log WHERE cluster = ? AND grp = ? AND t > ? AND t <= ? ORDER BY t DESC LIMIT ?')
      .all(cluster, group, from, to, MAX_SPAN_ROWS + 1)
      .reverse();
    const truncated = rows.length > MAX_SPAN_ROWS;
    if (truncated) rows.shift();
    const points = [...(before && !truncated ? [before] : []), ...rows].map((r) => ({
      t: Math.max(from, Number(r.t)),
      status: (r.status as GroupStatus | null) ?? null,
      reason: (r.reason as string | null) ?? null,
    }));
    const spans: StatusSpan[] = [];
    if (points.length === 0 || points[0]!.t > from) {
      const reason = truncated ? TRUNCATED : 'no status recorded (Topolog was not watching, or the group did not exist)';
      spans.push({ from, to: points[0]?.t ?? to, status: null, reason });
    }
    points.forEach((p, i) => {
      const end = points[i + 1]?.t ?? to;
      if (end > p.t || (i === points.length - 1 && end >= p.t)) spans.push({ from: p.t, to: end, status: p.status, reason: p.reason });
    });
    return spans;
  }

  /** Retention (the store calls it at most once a minute); cheap (an index range) when nothing is due. */
  compact(now: number): number {
    const cutoff = now - this.#retentionMs;
    const result = this.#db
      .prepare(
        `DELETE FROM group_status_log AS l WHERE t < ?
           AND (status IS NULL OR t < (SELECT max(t) FROM group_status_log AS n WHERE n.cluster = l.cluster AND n.grp = l.grp AND n.t <= ?))`,
      )
      .run(cutoff, cutoff);
    return Number(result.changes);
  }

  #missingOf(cluster: string): Map<string, Missing> {
    let missing = this.#missing.get(cluster);
    if (!missing) this.#missing.set(cluster, (missing = new Map()));
    return missing;
  }

  #lastOf(cluster: string): Map<string, GroupStatus | null> {
    let last = this.#last.get(cluster);
    if (last) return last;
    last = new Map();
    const rows = this.#db
      .prepare('SELECT grp, status FROM group_status_log AS l WHERE cluster = ? AND t = (SELECT max(t) FROM group_status_log WHERE cluster = l.cluster AND grp = l.grp)')
      .all(cluster);
    for (const row of rows) last.set(String(row.grp), (row.status as GroupStatus | null) ?? null);
    this.#last.set(cluster, last);
    return last;
  }
}
