import type { DatabaseSync } from 'node:sqlite';
import { StoreError } from './errors';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema history, oldest first. A migration is never edited once released: a database written by an older
 * Topolog is brought forward by running only the entries it lacks, so each entry must apply cleanly on top of the
 * previous one. Append a new entry to change the schema.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'series and change-only samples',
    sql: `
      -- One row per time series. Samples refer to it by id so a sample row is four small integers.
      CREATE TABLE series (
        id          INTEGER PRIMARY KEY,
        cluster     TEXT    NOT NULL,
        kind        TEXT    NOT NULL CHECK (kind IN ('hwm', 'log_start', 'commit')),
        grp         TEXT    NOT NULL DEFAULT '',  -- consumer group for 'commit', '' otherwise
        topic       TEXT    NOT NULL,
        part        INTEGER NOT NULL,
        -- When the series was last observed, but only once it has stopped being reported; NULL while it is
        -- reported in every cycle, in which case cluster_seen.t is its last observation. See history-store.ts.
        last_seen_t INTEGER,
        UNIQUE (cluster, kind, grp, topic, part)
      );

      -- A row only where the value changed, plus the closing row of a flat run (see history-store.ts).
      -- value2 is the LSO for 'hwm' series and NULL otherwise.
      CREATE TABLE samples (
        series_id INTEGER NOT NULL,
        t         INTEGER NOT NULL,
        value     INTEGER NOT NULL,
        value2    INTEGER,
        PRIMARY KEY (series_id, t)
      ) WITHOUT ROWID;

      -- The time of the latest complete report per cluster and kind: the flat-run end of every series whose
      -- series.last_seen_t is NULL. One row updated per cycle instead of one per series.
      CREATE TABLE cluster_seen (
        cluster TEXT    NOT NULL,
        kind    TEXT    NOT NULL,
        t       INTEGER NOT NULL,
        PRIMARY KEY (cluster, kind)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'write staging and compaction bookkeeping',
    sql: `
      -- Where a cycle's rows land first; recordCycle moves one range of series ids from here into samples per
      -- call, so every series moves about once a minute. Writing straight into samples dirtied one page per
      -- changed series per cycle (12,000 pages, about 300 ms on two cores); this table is small, so the same
      -- rows dirty about 2,000 pages. Every row here is newer than every samples row of its series.
      CREATE TABLE samples_staging (
        series_id INTEGER NOT NULL,
        t         INTEGER NOT NULL,
        value     INTEGER NOT NULL,
        value2    INTEGER,
        PRIMARY KEY (series_id, t)
      ) WITHOUT ROWID;

      -- Small key/value state that must survive restarts, e.g. how far downsampling has gone, so a restart does
      -- not rescan a day of samples.
      CREATE TABLE store_meta (
        key   TEXT PRIMARY KEY,
        value INTEGER
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'topology evidence log',
    sql: `
      -- The topology evidence log (lib/topology/evidence.ts). A row is one span of one fact: appended when the fact is
      -- first observed, or observed again after a gap; while it keeps being observed only last_seen and the latest
      -- detail move forward. The graph at any past time is rebuilt from the spans that overlap it.
      CREATE TABLE topology_spans (
        id         INTEGER PRIMARY KEY,
        cluster    TEXT    NOT NULL,
        fact       TEXT    NOT NULL,              -- lib/topology factKey, or "node|<node id>" for node spans
        edge_kind  TEXT,                          -- NULL for node spans
        from_kind  TEXT    NOT NULL,
        from_name  TEXT    NOT NULL,
        to_kind    TEXT,
        to_name    TEXT,
        source     TEXT,
        fact_key   TEXT,
        weight     REAL,
        first_seen INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL,
        detail     TEXT    NOT NULL                -- JSON: small facts only, never a payload
      );
      CREATE INDEX topology_spans_by_time ON topology_spans (cluster, last_seen);

      -- Edge and topic rates once a minute, so a past graph shows the throughput it had then.
      CREATE TABLE topology_rates (
        cluster TEXT    NOT NULL,
        t       INTEGER NOT NULL,
        subject TEXT    NOT NULL,                 -- an edge id, or "topic:<name>"
        rate    REAL    NOT NULL,
        method  TEXT,
        PRIMARY KEY (cluster, t, subject)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'alerts and group status log',
    sql: `
      -- Alert rules made in the UI (rules from the config file are never stored). body: the rule as JSON, validated
      -- with lib/contract/alerts.ts on load, so a rule stored by an older version that no longer validates is
      -- reported and skipped rather than crashing the server.
      CREATE TABLE alert_rules (
        id         TEXT    PRIMARY KEY,
        body       TEXT    NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- One row per alert instance (a firing, then its resolve). Firing rows are reloaded at start-up so an alert
      -- that was already notified is not notified again, and its resolve is still sent once. body: the evaluator's
      -- state as JSON (lib/alerts/evaluate.ts AlertState).
      CREATE TABLE alert_instances (
        id          TEXT    PRIMARY KEY,
        cluster     TEXT    NOT NULL,
        alert_key   TEXT    NOT NULL,
        state       TEXT    NOT NULL CHECK (state IN ('firing', 'resolved')),
        since       INTEGER NOT NULL,
        resolved_at INTEGER,
        body        TEXT    NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX alert_instances_by_cluster ON alert_instances (cluster, state, since);

      -- One row per notification (alert, webhook, firing|resolved): the dedupe record and its delivery status.
      CREATE TABLE alert_deliveries (
        alert_id        TEXT    NOT NULL,
        webhook         TEXT    NOT NULL,
        transition      TEXT    NOT NULL CHECK (transition IN ('firing', 'resolved')),
        state           TEXT    NOT NULL,
        attempts        INTEGER NOT NULL,
        queued_at       INTEGER NOT NULL,
        last_attempt_at INTEGER,
        last_error      TEXT,
        delivered_at    INTEGER,
        next_attempt_at INTEGER,
        PRIMARY KEY (alert_id, webhook, transition)
      ) WITHOUT ROWID;

      -- A group's status, a row only when it changes (status NULL: the group stopped being listed).
      CREATE TABLE group_status_log (
        cluster TEXT    NOT NULL,
        grp     TEXT    NOT NULL,
        t       INTEGER NOT NULL,
        status  TEXT,
        reason  TEXT,
        PRIMARY KEY (cluster, grp, t)
      ) WITHOUT ROWID;
      CREATE INDEX group_status_log_by_time ON group_status_log (t);
    `,
  },
  {
    version: 5,
    name: 'observed spans',
    sql: `
      -- When Topolog was watching each cluster: one row per unbroken run of polls. Stored offsets are change-only,
      -- so without this a chart cannot tell "flat" from "nobody was looking" and draws a ramp across an outage.
      CREATE TABLE observed_spans (
        cluster TEXT    NOT NULL,
        from_t  INTEGER NOT NULL,
        to_t    INTEGER NOT NULL,
        PRIMARY KEY (cluster, from_t)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'audit log, offset resets, replay jobs',
    sql: `
      -- Every write action, recorded before it runs (outcome 'pending'), finished after; kept whatever the history
      -- retention, because it is the record of who changed what.
      CREATE TABLE audit_log (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        at          INTEGER NOT NULL,
        actor       TEXT    NOT NULL,
        cluster     TEXT    NOT NULL,
        action      TEXT    NOT NULL,
        target      TEXT    NOT NULL,
        params      TEXT    NOT NULL,
        outcome     TEXT    NOT NULL,
        result      TEXT,
        finished_at INTEGER
      );
      CREATE INDEX audit_log_by_cluster ON audit_log (cluster, id);

      -- Applied offset resets with the offsets they replaced, so one can be undone.
      CREATE TABLE offset_resets (
        id        TEXT    PRIMARY KEY,
        cluster   TEXT    NOT NULL,
        grp       TEXT    NOT NULL,
        at        INTEGER NOT NULL,
        body      TEXT    NOT NULL,
        undo_of   TEXT,
        undone_by TEXT
      );
      CREATE INDEX offset_resets_by_group ON offset_resets (cluster, grp, at);

      -- Re-produce jobs: the request and resolved ranges (body), where each source partition stands (positions),
      -- and the target offsets below which every record of the job is acknowledged (marks).
      CREATE TABLE replay_jobs (
        id         TEXT    PRIMARY KEY,
        cluster    TEXT    NOT NULL,
        state      TEXT    NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        body       TEXT    NOT NULL,
        progress   TEXT    NOT NULL
      );
      CREATE INDEX replay_jobs_by_cluster ON replay_jobs (cluster, created_at);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** The highest applied version, 0 for an empty database. */
export function schemaVersion(db: DatabaseSync): number {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
  if (!table) return 0;
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get();
  return Number(row?.version ?? 0);
}

/**
 * Applies the migrations the database lacks, all in one transaction so a failure leaves the old schema intact.
 * `migrations` is a parameter so a test can build an old schema with a prefix of the list.
 */
export function applyMigrations(db: DatabaseSync, location: string, migrations: readonly Migration[] = MIGRATIONS, now = Date.now()): number {
  const known = migrations[migrations.length - 1]?.version ?? 0;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT    NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const current = schemaVersion(db);
    if (current > known) {
      throw new StoreError(
        `the history store at ${location} was written by a newer Topolog (schema version ${current}, this version knows up to ${known}); ` +
          'upgrade Topolog, or set --data-dir to another directory',
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now);
    }
    db.exec('COMMIT');
    return known;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
