import { describe, expect, it } from 'vitest';
import { applyKeyed, deepEqual, diffKeyed } from './keyed-diff';

type Item = { id: string; n: number; tags?: string[] };
const key = (i: Item) => i.id;

describe('diffKeyed / applyKeyed', () => {
  it('reports added, changed and removed items and nothing for unchanged ones', () => {
    const prev: Item[] = [{ id: 'a', n: 1 }, { id: 'b', n: 2 }, { id: 'c', n: 3, tags: ['x'] }];
    const next: Item[] = [{ id: 'a', n: 1 }, { id: 'c', n: 3, tags: ['x', 'y'] }, { id: 'd', n: 4 }];
    const changes = diffKeyed(prev, next, key);
    expect(changes.upsert).toEqual([{ id: 'c', n: 3, tags: ['x', 'y'] }, { id: 'd', n: 4 }]);
    expect(changes.remove).toEqual(['b']);
  });

  it('round-trips: applying the diff to prev gives next (as a set)', () => {
    const prev: Item[] = Array.from({ length: 50 }, (_, i) => ({ id: `t${i}`, n: i }));
    const next: Item[] = prev.filter((_, i) => i % 7 !== 0).map((it) => (it.n % 5 === 0 ? { ...it, n: it.n * 10 } : it));
    next.push({ id: 'new', n: -1 });
    const applied = applyKeyed(prev, diffKeyed(prev, next, key), key);
    expect([...applied].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...next].sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('an empty diff leaves the collection untouched', () => {
    const items: Item[] = [{ id: 'a', n: 1 }];
    const changes = diffKeyed(items, [{ id: 'a', n: 1 }], key);
    expect(changes).toEqual({ upsert: [], remove: [] });
    expect(applyKeyed(items, changes, key)).toEqual(items);
  });
});

describe('deepEqual', () => {
  it('compares JSON shapes structurally', () => {
    expect(deepEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
  });
});
