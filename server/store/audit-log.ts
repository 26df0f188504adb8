import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AuditAction, AuditEntry } from '../../lib/contract';

export interface AuditIntent {
  actor: string;
  cluster: string;
  action: AuditAction;
  target: string;
  params: unknown;
}

export type AuditOutcome = Exclude<AuditEntry['outcome'], 'pending'>;

export interface AuditQuery {
  cluster?: string;
  /** Entries with a smaller id (the page before). */
  before?: number;
  action?: AuditAction;
  limit: number;
}


/**
 * The audit log (table audit_log, migration 6). `intent` runs before the action and throws when the row cannot be
 * written, so the caller refuses the action; `finish` records what happened. Rows are never pruned by the history
 * retention.
 */
export class AuditLog {
  readonly #insert: StatementSync;
  readonly #finish: StatementSync;
  readonly #list: StatementSync;
  readonly #get: StatementSync;
  readonly #now: () => number;

  constructor(db: DatabaseSync, now: () => number = Date.now) {
    this.#now = now;
    this.#insert = db.prepare(
      'INSERT INTO audit_log (at, actor, cluster, action, target, params, outcome, result, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
    );
    this.#finish = db.prepare('UPDATE audit_log SET outcome = ?, result = ?, finished_at = ? WHERE id = ?');
    // cluster and action '' match every one; before 0 means from the newest.
    this.#list = db.prepare(
      `SELECT * FROM audit_log WHERE (? = '' OR cluster = ?) AND (? = '' OR action = ?) AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?`,
    );
    this.#get = db.prepare('SELECT * FROM audit_log WHERE id = ?');
  }

  /** Records an action about to run; returns its id. Throws when the store cannot write it. */
  intent(entry: AuditIntent): number {
    const row = this.#insert.get(this.#now(), entry.actor, entry.cluster, entry.action, entry.target, JSON.stringify(entry.params ?? null), 'pending', null, null);
    return Number(row!.id);
  }

  /** Records an action that was refused before it ran (read-only cluster, members present, bad confirmation). */
  refused(entry: AuditIntent, reason: unknown): number {
    const now = this.#now();
    const row = this.#insert.get(now, entry.actor, entry.cluster, entry.action, entry.target, JSON.stringify(entry.params ?? null), 'refused', JSON.stringify(reason ?? null), now);
    return Number(row!.id);
  }

  finish(id: number, outcome: AuditOutcome, result: unknown): void {
    this.#finish.run(outcome, JSON.stringify(result ?? null), this.#now(), id);
  }

  get(id: number): AuditEntry | null {
    const row = this.#get.get(id);
    return row ? toEntry(row) : null;
  }

  /** A page, newest first; `nextBefore` continues it (null at the end of the log). */
  page(query: AuditQuery): { entries: AuditEntry[]; nextBefore: number | null } {
    const rows = this.list({ ...query, limit: query.limit + 1 });
    const entries = rows.slice(0, query.limit);
    return { entries, nextBefore: rows.length > query.limit ? entries[entries.length - 1]!.id : null };
  }

  list(query: AuditQuery): AuditEntry[] {
    const cluster = query.cluster ?? '';
    const action = query.action ?? '';
    const before = query.before ?? 0;
    return this.#list.all(cluster, cluster, action, action, before, before, query.limit).map(toEntry);
  }
}

function toEntry(row: Record<string, unknown>): AuditEntry {
  return {
    id: Number(row.id),
    at: Number(row.at),
    actor: String(row.actor),
    cluster: String(row.cluster),
    action: row.action as AuditAction,
    target: String(row.target),
    params: JSON.parse(String(row.params)) as unknown,
    outcome: row.outcome as AuditEntry['outcome'],
    result: row.result === null ? null : (JSON.parse(String(row.result)) as unknown),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}
