import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StoreError } from './errors';
import { SqliteHistoryStore } from './history-store';
import { applyMigrations } from './migrations';
import type { HistoryStore, HistoryStoreOptions } from './types';

export const DB_FILE_NAME = 'topolog.db';
const HOUR_MS = 60 * 60_000;

/** Opens (creating if needed) the history store in `dataDir` and brings its schema up to date. */
export function openHistoryStore({
  dataDir,
  retentionMs = 24 * HOUR_MS,
  fullResolutionMs = HOUR_MS,
  downsampleBucketMs = 60_000,
  now = Date.now,
}: HistoryStoreOptions): HistoryStore {
  if (!(downsampleBucketMs > 0) || !(fullResolutionMs >= 0) || !(retentionMs >= fullResolutionMs)) {
    throw new StoreError('the history store needs downsampleBucketMs > 0 and 0 <= fullResolutionMs <= retentionMs');
  }
  const dir = resolve(dataDir);
  const path = join(dir, DB_FILE_NAME);
  let db: DatabaseSync;
  try {
    mkdirSync(dir, { recursive: true });
    // SQLite only says "unable to open database file"; checking first gives the errno, and WAL mode needs to
    // create its -wal and -shm files next to the database, so the directory itself must be writable.
    accessSync(dir, constants.W_OK);
    accessSync(path, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || (err as NodeJS.ErrnoException).path !== path) throw cannotOpen(dir, err);
  }
  try {
    db = new DatabaseSync(path, { timeout: 5_000 });
  } catch (err) {
    throw cannotOpen(dir, err);
  }
  try {
    configure(db);
    applyMigrations(db, path);
    return new SqliteHistoryStore(db, path, { retentionMs, fullResolutionMs, downsampleBucketMs }, now);
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw cannotOpen(dir, err);
  }
}

function configure(db: DatabaseSync): void {
  db.exec(`
    PRAGMA journal_mode = WAL;
    -- A commit survives a crash of the process; a power cut may lose the last few cycles, fine for history.
    PRAGMA synchronous = NORMAL;
    -- Staging moves touch the newest leaf page of every moving series within a minute (~12,000 pages on a busy
    -- cluster); keep them cached (64 MB).
    PRAGMA cache_size = -65536;
    -- compact() checkpoints every 30 s (see compaction.ts); about 12,000 pages build up in between on a busy
    -- cluster. The automatic checkpoint stays as a backstop at 20,000 pages (80 MB) for callers that never compact.
    PRAGMA wal_autocheckpoint = 20000;
    -- Truncate the WAL back after a checkpoint so a burst does not leave it large on disk.
    PRAGMA journal_size_limit = 67108864;
    PRAGMA temp_store = MEMORY;
  `);
}

function cannotOpen(dir: string, err: unknown): StoreError {
  const e = err as NodeJS.ErrnoException;
  const reason = e.code && !e.code.startsWith('ERR_') ? e.code : e.message;
  return new StoreError(`cannot open the history store at ${dir}: ${reason}; set --data-dir to a writable directory`, { cause: err });
}
