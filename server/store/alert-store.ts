import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AlertTransition, DeliveryStatus } from '../../lib/contract';
import type { AlertState, ResolvedAlert } from '../../lib/alerts/evaluate';

/** An alert instance as stored: the evaluator's state, plus when it resolved. */
export interface StoredAlert {
  state: AlertState;
  resolvedAt: number | null;
}

export interface StoredRule {
  id: string;
  /** The rule as JSON-parsed; the caller validates it (it may come from an older version). */
  body: unknown;
  createdAt: number;
}

export interface StoredDelivery extends DeliveryStatus {
  alertId: string;
  queuedAt: number;
}

/** Resolved alerts kept at most, whatever the retention: the list is for recent history, not an archive. */
const MAX_RESOLVED = 5_000;

/**
 * Alert rules made in the UI, alert instances and their notifications (tables alert_rules, alert_instances,
 * alert_deliveries; migration 4). Small tables written on transitions only, never per cycle.
 */
export class AlertStore {
  readonly #db: DatabaseSync;
  readonly #retentionMs: number;
  readonly #upsertAlert: StatementSync;
  readonly #upsertDelivery: StatementSync;
  readonly #deliveriesOf: StatementSync;

  constructor(db: DatabaseSync, retentionMs: number) {
    this.#db = db;
    this.#retentionMs = retentionMs;
    this.#upsertAlert = db.prepare(
      `INSERT INTO alert_instances (id, cluster, alert_key, state, since, resolved_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state, resolved_at = excluded.resolved_at, body = excluded.body`,
    );
    this.#upsertDelivery = db.prepare(
      `INSERT INTO alert_deliveries (alert_id, webhook, transition, state, attempts, queued_at, last_attempt_at, last_error, delivered_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (alert_id, webhook, transition) DO UPDATE SET state = excluded.state, attempts = excluded.attempts,
         last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error, delivered_at = excluded.delivered_at,
         next_attempt_at = excluded.next_attempt_at`,
    );
    // The ids come as one JSON array: one statement however many alerts are listed (up to the list's limit).
    this.#deliveriesOf = db.prepare('SELECT * FROM alert_deliveries WHERE alert_id IN (SELECT value FROM json_each(?)) ORDER BY queued_at, webhook');
  }

  // Rules ----------------------------------------------------------------------------------------------------------

  listRules(): StoredRule[] {
    return this.#db
      .prepare('SELECT id, body, created_at FROM alert_rules ORDER BY created_at, id')
      .all()
      .map((r) => ({ id: String(r.id), body: safeJson(String(r.body)), createdAt: Number(r.created_at) }));
  }

  /** Inserts or replaces the rule with this id. */
  putRule(id: string, body: unknown, now: number): void {
    this.#db
      .prepare('INSERT INTO alert_rules (id, body, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at')
      .run(id, JSON.stringify(body), now, now);
  }

  deleteRule(id: string): boolean {
    return Number(this.#db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id).changes) > 0;
  }

  // Alert instances ------------------------------------------------------------------------------------------------

  saveFiring(state: AlertState): void {
    this.#upsertAlert.run(state.id, state.cluster, state.key, 'firing', state.since ?? 0, null, JSON.stringify(state));
  }

  saveResolved(alert: ResolvedAlert): void {
    const { resolvedAt, ...state } = alert;
    this.#upsertAlert.run(state.id, state.cluster, state.key, 'resolved', state.since ?? 0, resolvedAt, JSON.stringify(state));
  }

  get(id: string): StoredAlert | null {
    const row = this.#db.prepare('SELECT body, resolved_at FROM alert_instances WHERE id = ?').get(id);
    const state = row ? (safeJson(String(row.body)) as AlertState | null) : null;
    return row && state ? { state, resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at) } : null;
  }

  /** Every alert still firing, for the start-up load: they must not be notified again, and must resolve once. */
  firing(): AlertState[] {
    return this.#db
      .prepare(`SELECT body FROM alert_instances WHERE state = 'firing'`)
      .all()
      .flatMap((r) => {
        const state = safeJson(String(r.body)) as AlertState | null;
        return state && typeof state.key === 'string' ? [state] : [];
      });
  }

  /** A cluster's alerts: firing first, then newest first; at most `limit`. */
  list(cluster: string, filter: 'firing' | 'resolved' | 'all', limit: number): StoredAlert[] {
    const where = filter === 'all' ? '' : 'AND state = ?';
    const args: (string | number)[] = filter === 'all' ? [cluster, limit] : [cluster, filter, limit];
    return this.#db
      .prepare(`SELECT body, resolved_at FROM alert_instances WHERE cluster = ? ${where} ORDER BY state = 'firing' DESC, coalesce(resolved_at, since) DESC LIMIT ?`)
      .all(...args)
      .flatMap((r) => {
        const state = safeJson(String(r.body)) as AlertState | null;
        return state ? [{ state, resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at) }] : [];
      });
  }

  // Deliveries -----------------------------------------------------------------------------------------------------

  saveDelivery(d: StoredDelivery): void {
    this.#upsertDelivery.run(d.alertId, d.webhook, d.transition, d.state, d.attempts, d.queuedAt, d.lastAttemptAt, d.lastError, d.deliveredAt, d.nextAttemptAt);
  }

  hasDelivery(alertId: string, webhook: string, transition: AlertTransition): boolean {
    return this.#db.prepare('SELECT 1 FROM alert_deliveries WHERE alert_id = ? AND webhook = ? AND transition = ?').get(alertId, webhook, transition) !== undefined;
  }

  /** The stored deliveries of these alerts (every id gets an entry, [] when none), in one query. */
  deliveriesOf(alertIds: readonly string[]): Map<string, StoredDelivery[]> {
    const out = new Map<string, StoredDelivery[]>(alertIds.map((id) => [id, []]));
    if (alertIds.length === 0) return out;
    for (const row of this.#deliveriesOf.all(JSON.stringify([...out.keys()]))) {
      const delivery = rowToDelivery(row);
      out.get(delivery.alertId)?.push(delivery);
    }
    return out;
  }

  /** Notifications still queued when the server stopped: the manager queues them again. */
  queuedDeliveries(): StoredDelivery[] {
    return this.#db.prepare(`SELECT * FROM alert_deliveries WHERE state = 'queued' ORDER BY queued_at`).all().map(rowToDelivery);
  }

  /** Resolved alerts past the retention (and beyond MAX_RESOLVED), with their deliveries (the store calls it at most once a minute). */
  compact(now: number): number {
    const cutoff = now - this.#retentionMs;
    const doomed = `SELECT id FROM alert_instances WHERE state = 'resolved' AND (resolved_at < ? OR id NOT IN
      (SELECT id FROM alert_instances WHERE state = 'resolved' ORDER BY resolved_at DESC LIMIT ${MAX_RESOLVED}))`;
    this.#db.prepare(`DELETE FROM alert_deliveries WHERE alert_id IN (${doomed})`).run(cutoff);
    return Number(this.#db.prepare(`DELETE FROM alert_instances WHERE id IN (${doomed})`).run(cutoff).changes);
  }
}

function rowToDelivery(r: Record<string, unknown>): StoredDelivery {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    alertId: String(r.alert_id),
    webhook: String(r.webhook),
    transition: r.transition as AlertTransition,
    state: r.state as DeliveryStatus['state'],
    attempts: Number(r.attempts),
    queuedAt: Number(r.queued_at),
    lastAttemptAt: n(r.last_attempt_at),
    lastError: (r.last_error as string | null) ?? null,
    deliveredAt: n(r.delivered_at),
    nextAttemptAt: n(r.next_attempt_at),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
