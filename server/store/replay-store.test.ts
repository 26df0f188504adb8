import { describe, expect, it } from 'vitest';
import type { ResetRecord } from '../../lib/contract';
import { useTempStores } from './test-support';

const stores = useTempStores();

function reset(id: string, at: number, undoOf: string | null = null): ResetRecord {
  return {
    id,
    cluster: 'c1',
    group: 'billing',
    at,
    spec: { mode: 'earliest' },
    scope: [],
    outcome: 'applied',
    partitions: [{ topic: 'orders', partition: 0, target: 0, previous: 42, after: 0, error: null }],
    auditId: 1,
    undoOf,
    undoneBy: null,
    undoable: true,
  };
}

describe('ReplayStore', () => {
  it('keeps resets with their previous offsets, and an undo marks the reset it undid', () => {
    const store = stores.open();
    store.replay.addReset(reset('r1', 1_000));
    expect(store.replay.reset('r1')).toMatchObject({ undoable: true, undoneBy: null, partitions: [{ previous: 42 }] });
    store.replay.addReset(reset('r2', 2_000, 'r1'));
    expect(store.replay.reset('r1')).toMatchObject({ undoable: false, undoneBy: 'r2' });
    expect(store.replay.resets('c1', 'billing').map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(store.replay.resets('c1', 'other')).toEqual([]);
  });

  it('a reset where nothing had a previous offset cannot be undone', () => {
    const store = stores.open();
    store.replay.addReset({ ...reset('r3', 1), partitions: [{ topic: 'orders', partition: 0, target: 5, previous: null, after: 5, error: null }] });
    expect(store.replay.reset('r3')!.undoable).toBe(false);
  });

  it('saves a job checkpoint that survives reopening', () => {
    const store = stores.open();
    store.replay.addJob({ id: 'j1', cluster: 'c1', state: 'running', createdAt: 1, updatedAt: 1, body: { request: 'r' }, progress: { positions: { 0: 10 } } });
    store.replay.saveJob('j1', 'paused', { positions: { 0: 500 } }, 2);
    store.close();
    const again = stores.open();
    expect(again.replay.job('j1')).toMatchObject({ state: 'paused', updatedAt: 2, progress: { positions: { 0: 500 } } });
    expect(again.replay.jobs('c1').map((j) => j.id)).toEqual(['j1']);
    expect(again.replay.jobs('c2')).toEqual([]);
  });
});
