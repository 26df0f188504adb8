import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { StoreError } from './errors';
import { applyMigrations, LATEST_SCHEMA_VERSION, MIGRATIONS, schemaVersion } from './migrations';
import { DB_FILE_NAME } from './open';
import { MINUTE, T0, at, useTempStores } from './test-support';

const { open, dataDir } = useTempStores();

function rawDatabase(): { db: DatabaseSync; path: string } {
  mkdirSync(dataDir(), { recursive: true });
  const path = join(dataDir(), DB_FILE_NAME);
  return { db: new DatabaseSync(path), path };
}

describe('schema migrations', () => {
  it('creates the latest schema on a new database and records every step', () => {
    open().close();
    const { db } = rawDatabase();
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all().map((r) => ({ ...r }))).toEqual(
      MIGRATIONS.map(({ version, name }) => ({ version, name })),
    );
    db.close();
  });

  it('keeps data across close and reopen without re-running migrations', () => {
    const store = open();
    store.recordCycle('c1', at(0), { partitions: [{ topic: 'orders', partition: 0, hwm: 5 }] });
    store.close();
    const reopened = open();
    expect(reopened.hwmHistory('c1', 'orders', 0, T0)).toEqual([{ t: at(0), offset: 5, lso: null }]);
    reopened.close();
    const { db } = rawDatabase();
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()?.n).toBe(MIGRATIONS.length);
    db.close();
  });

  it('brings a version 1 database forward and reads what it held', () => {
    // A database as the first release wrote it: only migration 1, filled through its own tables.
    const { db, path } = rawDatabase();
    applyMigrations(db, path, MIGRATIONS.filter((m) => m.version <= 1));
    expect(schemaVersion(db)).toBe(1);
    db.exec(`
      INSERT INTO series (id, cluster, kind, grp, topic, part, last_seen_t) VALUES
        (1, 'c1', 'hwm', '', 'orders', 0, NULL),
        (2, 'c1', 'commit', 'billing', 'orders', 0, ${at(3)});
      INSERT INTO samples (series_id, t, value, value2) VALUES
        (1, ${at(0)}, 100, NULL), (1, ${at(5)}, 100, NULL), (1, ${at(6)}, 160, NULL),
        (2, ${at(0)}, 90, NULL), (2, ${at(2)}, 95, NULL);
      INSERT INTO cluster_seen (cluster, kind, t) VALUES ('c1', 'hwm', ${at(9)}), ('c1', 'commit', ${at(9)});
    `);
    db.close();

    const store = open({ fullResolutionMs: 0, downsampleBucketMs: MINUTE });
    expect(store.hwmHistory('c1', 'orders', 0, T0).map((p) => [p.t, p.offset])).toEqual([
      [at(0), 100],
      [at(5), 100],
      [at(6), 160],
      [at(9), 160],
    ]);
    expect(store.commitHistory('c1', 'billing', 'orders', 0, T0).at(-1)).toEqual({ t: at(3), offset: 95 });
    // Compaction needs the table migration 2 added.
    expect(store.compact(at(9) + 2 * MINUTE).done).toBe(true);
    expect(store.recordCycle('c1', at(10), { partitions: [{ topic: 'orders', partition: 0, hwm: 160 }] }).rowsWritten).toBe(0);
    store.close();

    const { db: migrated } = rawDatabase();
    expect(schemaVersion(migrated)).toBe(LATEST_SCHEMA_VERSION);
    migrated.close();
  });

  it('refuses a database written by a newer version, and leaves it untouched', () => {
    open().close();
    const { db } = rawDatabase();
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'from the future', 0);
    db.close();
    expect(() => open()).toThrow(StoreError);
    expect(() => open()).toThrow(`written by a newer Topolog (schema version ${LATEST_SCHEMA_VERSION + 1}, this version knows up to ${LATEST_SCHEMA_VERSION})`);
    const { db: after } = rawDatabase();
    expect(schemaVersion(after)).toBe(LATEST_SCHEMA_VERSION + 1);
    after.close();
  });

  it('rolls a failed migration back whole', () => {
    const { db, path } = rawDatabase();
    const broken = [...MIGRATIONS, { version: LATEST_SCHEMA_VERSION + 1, name: 'broken', sql: 'CREATE TABLE extra (x); SELECT * FROM missing_table;' }];
    expect(() => applyMigrations(db, path, broken)).toThrow(/missing_table/);
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name IN ('series', 'extra')`).get()?.n).toBe(0);
    db.close();
  });
});
