import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openHistoryStore } from './open';
import type { HistoryStore, HistoryStoreOptions } from './types';

/** A round time (a multiple of every bucket the tests use), so bucket boundaries are easy to reason about. */
export const T0 = Date.UTC(2025, 0, 1);
export const POLL_MS = 5_000;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/**
 * A fresh data directory per test, on the real file system, and a store opener that closes what it opened when
 * the test ends. Call once at the top of a test file.
 */
export function useTempStores(): { dataDir: () => string; open: (options?: Partial<HistoryStoreOptions>) => HistoryStore } {
  const dirs: string[] = [];
  const stores: HistoryStore[] = [];
  let current: string | null = null;
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    current = null;
  });
  const dataDir = () => {
    if (!current) {
      current = mkdtempSync(join(tmpdir(), 'topolog-store-'));
      dirs.push(current);
    }
    return current;
  };
  const open = (options: Partial<HistoryStoreOptions> = {}) => {
    const store = openHistoryStore({ dataDir: dataDir(), ...options });
    stores.push(store);
    return store;
  };
  return { dataDir, open };
}

/** The poll time of cycle `i`. */
export function at(i: number): number {
  return T0 + i * POLL_MS;
}

/** Linear reading of points: the first time the offset reached `offset`, null if never. */
export function timeReached(points: readonly { t: number; offset: number }[], offset: number): number | null {
  for (let i = 0; i < points.length; i += 1) {
    const p = points[i] as { t: number; offset: number };
    if (p.offset < offset) continue;
    const before = points[i - 1];
    if (!before || p.offset === before.offset) return p.t;
    return before.t + ((offset - before.offset) * (p.t - before.t)) / (p.offset - before.offset);
  }
  return null;
}
