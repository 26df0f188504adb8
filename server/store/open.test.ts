import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { StoreError } from './errors';
import { DB_FILE_NAME, openHistoryStore } from './open';
import { useTempStores } from './test-support';

const { open, dataDir } = useTempStores();
const NOBODY = 65_534;

describe('openHistoryStore', () => {
  it('creates the data directory and a WAL-mode database in it', () => {
    const dir = join(dataDir(), 'nested', 'data');
    const store = open({ dataDir: dir });
    expect(store.path).toBe(join(resolve(dir), DB_FILE_NAME));
    store.close();
    const db = new DatabaseSync(store.path);
    expect(db.prepare('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
    db.close();
  });

  it('says which directory is not writable and what to do', () => {
    const dir = join(dataDir(), 'read-only');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    const expected = `cannot open the history store at ${join(dir, 'data')}: EACCES; set --data-dir to a writable directory`;
    if (process.getuid?.() !== 0) {
      expect(() => openHistoryStore({ dataDir: join(dir, 'data') })).toThrow(expected);
      return;
    }
    // Root ignores file modes, so run the same call as an unprivileged user.
    chmodSync(dataDir(), 0o755);
    const script = `import(${JSON.stringify(resolve('server/store/open.ts'))}).then(({ openHistoryStore }) => {
      try { openHistoryStore({ dataDir: ${JSON.stringify(join(dir, 'data'))} }); console.log('opened'); }
      catch (err) { console.log(err.name + ': ' + err.message); }
    });`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { uid: NOBODY, gid: NOBODY, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe(`StoreError: ${expected}`);
  });

  it('says so when the data directory is a file', () => {
    const file = join(dataDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => openHistoryStore({ dataDir: file })).toThrow(StoreError);
    expect(() => openHistoryStore({ dataDir: join(file, 'data') })).toThrow(
      `cannot open the history store at ${join(file, 'data')}: ENOTDIR; set --data-dir to a writable directory`,
    );
  });

  it('rejects settings that cannot work', () => {
    expect(() => openHistoryStore({ dataDir: dataDir(), downsampleBucketMs: 0 })).toThrow(StoreError);
    expect(() => openHistoryStore({ dataDir: dataDir(), retentionMs: 1_000, fullResolutionMs: 2_000 })).toThrow(StoreError);
  });
});
