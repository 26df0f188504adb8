/**
 * Deltas between two keyed collections. The server diffs what it last sent against the new state; the client
 * applies the delta to its copy. Order of the result follows `next`, so both sides keep the same order.
 */
export interface KeyedChanges<T> {
  upsert: T[];
  remove: string[];
}

export function diffKeyed<T>(
  prev: readonly T[],
  next: readonly T[],
  keyOf: (item: T) => string,
  equal: (a: T, b: T) => boolean = deepEqual,
): KeyedChanges<T> {
  const before = new Map(prev.map((item) => [keyOf(item), item]));
  const upsert: T[] = [];
  const seen = new Set<string>();
  for (const item of next) {
    const key = keyOf(item);
    seen.add(key);
    const old = before.get(key);
    if (old === undefined || !equal(old, item)) upsert.push(item);
  }
  const remove = [...before.keys()].filter((key) => !seen.has(key));
  return { upsert, remove };
}

/**
 * `current` with `changes` applied. No changes returns `current` itself (callers never mutate the result): most
 * topology ticks carry figure patches only, and copying 3,000 nodes to learn nothing changed is per-tick waste.
 */
export function applyKeyed<T>(current: readonly T[], changes: KeyedChanges<T>, keyOf: (item: T) => string): T[] {
  if (isEmptyChanges(changes)) return current as T[];
  const removed = new Set(changes.remove);
  const updates = new Map(changes.upsert.map((item) => [keyOf(item), item]));
  const result: T[] = [];
  for (const item of current) {
    const key = keyOf(item);
    if (removed.has(key)) continue;
    const updated = updates.get(key);
    if (updated !== undefined) {
      result.push(updated);
      updates.delete(key);
    } else {
      result.push(item);
    }
  }
  // New keys go at the end; callers sort for display.
  for (const item of updates.values()) result.push(item);
  return result;
}

export function isEmptyChanges(changes: KeyedChanges<unknown>): boolean {
  return changes.upsert.length === 0 && changes.remove.length === 0;
}

/** Structural equality for JSON-shaped payloads (no Maps, Dates or cycles). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, i) => deepEqual(value, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
