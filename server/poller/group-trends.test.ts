import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { GroupSummary, OverviewData } from '../../lib/contract';
import type { ClusterWatcher } from './cluster-watcher';
import { GroupTrends } from './group-trends';

function group(id: string, lagSum: number | null): GroupSummary {
  return { id, type: 'classic', protocolType: 'consumer', state: 'Stable', members: [], topics: [], status: 'OK', lagSum, lagMax: lagSum, lagSecondsMax: null, etaSeconds: null };
}

function overview(observedAt: number, groups: GroupSummary[], state: 'ok' | 'unreachable' = 'ok'): OverviewData {
  return { cluster: { id: 'c', name: 'c', state, since: 0, error: null, retryAt: null, bootstrap: [], clusterId: null, controllerId: null, brokers: [], version: null, readOnly: false, pollIntervalMs: 2_000, observedAt }, topics: [], groups };
}

/** A watcher as far as GroupTrends sees it: `update` events, the current overview, and a store with history. */
function fakeWatcher(history: (group: string) => { t: number; lag: number | null }[], calls: string[] = []) {
  const emitter = new EventEmitter() as EventEmitter & { overview: OverviewData; store: unknown };
  emitter.overview = overview(0, []);
  emitter.store = {
    groupHistory: (_c: string, g: string) => {
      calls.push(g);
      return history(g).map((p) => ({ ...p, produceRate: null, consumeRate: null }));
    },
  };
  return emitter;
}

describe('GroupTrends', () => {
  it('records one point per step from updates and forgets groups that disappear', () => {
    let now = 60_000;
    const watcher = fakeWatcher(() => []);
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { now: () => now });
    for (const t of [30_000, 32_000, 45_000]) {
      watcher.overview = overview(t, [group('a', t / 1000), group('b', null)]);
      watcher.emit('update', watcher.overview);
    }
    // An unreachable cluster's repeated figures are not new points.
    watcher.emit('update', overview(47_000, [group('a', 999)], 'unreachable'));
    const snap = trends.snapshot('c');
    expect(snap.trends).toEqual([
      { group: 'a', points: [{ t: 32_000, lag: 32 }, { t: 45_000, lag: 45 }] },
      { group: 'b', points: [{ t: 32_000, lag: null }, { t: 45_000, lag: null }] },
    ]);
    watcher.overview = overview(50_000, [group('a', 1)]);
    watcher.emit('update', watcher.overview);
    now = 61_000;
    expect(trends.snapshot('c').trends.map((t) => t.group)).toEqual(['a']);
    trends.close();
    expect(watcher.listenerCount('update')).toBe(0);
  });

  it('seeds empty rings from the store once, before the live points', () => {
    const calls: string[] = [];
    const watcher = fakeWatcher(() => [{ t: 0, lag: 5 }, { t: 15_000, lag: 6 }], calls);
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { now: () => 40_000 });
    watcher.overview = overview(31_000, [group('a', 7)]);
    watcher.emit('update', watcher.overview);
    expect(trends.snapshot('c').trends[0]!.points).toEqual([{ t: 0, lag: 5 }, { t: 15_000, lag: 6 }, { t: 31_000, lag: 7 }]);
    trends.snapshot('c');
    expect(calls).toEqual(['a']);
    trends.close();
  });

  it('stops following new groups at maxGroups', () => {
    const watcher = fakeWatcher(() => []);
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { maxGroups: 2, now: () => 1_000 });
    watcher.emit('update', overview(1_000, [group('a', 1), group('b', 1), group('c', 1)]));
    expect(trends.snapshot('c').trends.map((t) => t.group)).toEqual(['a', 'b']);
    trends.close();
  });
});
