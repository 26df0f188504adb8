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
  limit: number;
}

/** Reads at most this many rows for one filtered page, so a rare action cannot make a request scan the whole log. */
const MAX_SCAN_ROWS = 10_000;

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
    // cluster '' matches every cluster; before 0 means from the newest.
    this.#list = db.prepare(
      `SELECT * FROM audit_log WHERE (? = '' OR cluster = ?) AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?`,
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

  page(query: AuditQuery & { action?: AuditAction }): { entries: AuditEntry[]; nextBefore: number | null } {
    return pageOf(this, query);
  }

  list(query: AuditQuery): AuditEntry[] {
    const cluster = query.cluster ?? '';
    const before = query.before ?? 0;
    return this.#list.all(cluster, cluster, before, before, query.limit).map(toEntry);
  }
}

/** A page of entries, newest first, of one action or all; `nextBefore` continues it (null at the end of the log). */
export function pageOf(audit: AuditLog, query: AuditQuery & { action?: AuditAction }): { entries: AuditEntry[]; nextBefore: number | null } {
  const wanted = query.limit;
  const entries: AuditEntry[] = [];
  let scannedTo = query.before;
  let exhausted = false;
  let scanned = 0;
  // Filtering by action reads more pages so a page is still full when most entries are of another kind.
  while (entries.length < wanted && scanned < MAX_SCAN_ROWS) {
    const rows = audit.list({ cluster: query.cluster, before: scannedTo, limit: wanted });
    scanned += rows.length;
    entries.push(...rows.filter((e) => !query.action || e.action === query.action));
    if (rows.length < wanted) {
      exhausted = true;
      break;
    }
    scannedTo = rows[rows.length - 1]!.id;
  }
  const shown = entries.slice(0, wanted);
  // A full page continues after its last entry; a scan cut short continues where it stopped.
  const nextBefore = entries.length >= wanted ? shown[shown.length - 1]!.id : exhausted ? null : (scannedTo ?? null);
  return { entries: shown, nextBefore };
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
