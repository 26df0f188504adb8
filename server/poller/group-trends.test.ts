import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lagGridPoints, type GroupStatus, type GroupSummary, type OverviewData } from '../../lib/contract';
import type { ClusterWatcher } from './cluster-watcher';
import { GroupTrends } from './group-trends';

function group(id: string, lagSum: number | null, status: GroupStatus = 'OK'): GroupSummary {
  return { id, type: 'classic', protocolType: 'consumer', state: 'Stable', members: [], topics: [], status, lagSum, lagMax: lagSum, lagSecondsMax: null, etaSeconds: null };
}

function overview(observedAt: number, groups: GroupSummary[], state: 'ok' | 'unreachable' = 'ok'): OverviewData {
  return { cluster: { id: 'c', name: 'c', state, since: 0, error: null, retryAt: null, bootstrap: [], clusterId: null, controllerId: null, brokers: [], version: null, readOnly: false, pollIntervalMs: 2_000, observedAt }, topics: [], groups };
}

/** A watcher as far as GroupTrends sees it: `update` events, the current overview, and a store with history. */
function fakeWatcher(history: (group: string) => { t: number; lag: number | null }[], calls: string[] = [], readMs = 0) {
  const emitter = new EventEmitter() as EventEmitter & { overview: OverviewData; store: unknown };
  emitter.overview = overview(0, []);
  emitter.store = {
    groupHistory: (_c: string, g: string) => {
      calls.push(g);
      if (readMs > 0) {
        const until = performance.now() + readMs;
        while (performance.now() < until);
      }
      return history(g).map((p) => ({ ...p, produceRate: null, consumeRate: null }));
    },
  };
  return emitter;
}

function publish(watcher: ReturnType<typeof fakeWatcher>, data: OverviewData): void {
  watcher.overview = data;
  watcher.emit('update', data);
}

const points = (snap: ReturnType<GroupTrends['snapshot']>, g: string) => {
  const trend = snap.trends.find((t) => t.group === g);
  return trend ? lagGridPoints(snap.fromMs, snap.stepMs, trend.lags) : undefined;
};

afterEach(() => {
  vi.useRealTimers();
});

describe('GroupTrends', () => {
  it('records one point per step from updates, on a grid of step buckets, and forgets groups that disappear', () => {
    let now = 60_000;
    const watcher = fakeWatcher(() => []);
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { now: () => now, windowMs: 60_000 });
    for (const t of [30_000, 32_000, 45_000]) publish(watcher, overview(t, [group('a', t / 1000), group('b', null)]));
    // An unreachable cluster's repeated figures are not new points.
    watcher.emit('update', overview(47_000, [group('a', 999)], 'unreachable'));
    const snap = trends.snapshot('c');
    // 60 s back from 60 s is bucket 0; to bucket 60 s: five slots. 30 s and 32 s share a bucket, the newest wins.
    expect(snap).toMatchObject({ fromMs: 0, stepMs: 15_000, truncated: false, seeding: false });
    expect(snap.trends).toEqual([
      { group: 'a', lags: [null, null, 32, 45, null] },
      { group: 'b', lags: [null, null, null, null, null] },
    ]);
    expect(points(snap, 'a')).toEqual([{ t: 30_000, lag: 32 }, { t: 45_000, lag: 45 }, { t: 60_000, lag: null }]);
    publish(watcher, overview(50_000, [group('a', 1)]));
    now = 61_000;
    expect(trends.snapshot('c').trends.map((t) => t.group)).toEqual(['a']);
    trends.close();
    expect(watcher.listenerCount('update')).toBe(0);
  });

  it('answers only the groups asked for, in their order, leaving out those it does not follow', () => {
    const watcher = fakeWatcher(() => []);
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { now: () => 1_000 });
    publish(watcher, overview(1_000, [group('a', 1), group('b', 2), group('c', 3)]));
    const snap = trends.snapshot('c', ['c', 'nope', 'a']);
    expect(snap.trends.map((t) => [t.group, t.lags.at(-1)])).toEqual([['c', 3], ['a', 1]]);
    expect(snap.trends[0]!.lags).toHaveLength(61);
    expect(snap.truncated).toBe(false);
    expect(trends.snapshot('c', []).trends).toEqual([]);
    trends.close();
  });

  it('without a filter answers the first 500 groups in problem order, and says it truncated', () => {
    const watcher = fakeWatcher(() => []);
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { now: () => 1_000 });
    const many = Array.from({ length: 600 }, (_, i) => group(`g${String(i).padStart(3, '0')}`, i));
    many[599] = group('z-stopped', 5, 'STOP');
    publish(watcher, overview(1_000, many));
    const snap = trends.snapshot('c');
    expect(snap.truncated).toBe(true);
    expect(snap.trends).toHaveLength(500);
    expect(snap.trends[0]!.group).toBe('z-stopped');
    // A JSON answer of 500 groups stays small: ≈ 61 numbers or nulls each.
    expect(JSON.stringify(snap).length).toBeLessThan(500 * 61 * 6 + 20_000);
    trends.close();
  });

  it('draws a line, not gaps, for a cluster polled less often than once a step; a long outage stays a gap', () => {
    const watcher = fakeWatcher(() => []);
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { now: () => 150_000, windowMs: 150_000 });
    const slow = (t: number, lag: number) => ({ ...overview(t, [group('a', lag)]), cluster: { ...overview(t, []).cluster, pollIntervalMs: 30_000 } });
    for (const [t, lag] of [[0, 0], [30_000, 30], [60_000, 60], [150_000, 150]] as const) publish(watcher, slow(t, lag));
    expect(trends.snapshot('c', ['a']).trends[0]!.lags).toEqual([0, 15, 30, 45, 60, null, null, null, null, null, 150]);
    trends.close();
  });

  it('seeds empty rings from the store once, before the live points', () => {
    const calls: string[] = [];
    const watcher = fakeWatcher(() => [{ t: 0, lag: 5 }, { t: 15_000, lag: 6 }], calls);
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { now: () => 40_000 });
    publish(watcher, overview(31_000, [group('a', 7)]));
    const snap = trends.snapshot('c', ['a']);
    expect(points(snap, 'a')).toEqual([{ t: 0, lag: 5 }, { t: 15_000, lag: 6 }, { t: 30_000, lag: 7 }]);
    expect(snap.seeding).toBe(false);
    trends.snapshot('c', ['a']);
    expect(calls).toEqual(['a']);
    trends.close();
  });

  it('seeds the requested groups first, in short slices with long pauses, and says seeding until they are done', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const calls: string[] = [];
    // Each store read takes 3 ms: a 10 ms slice reads 4 (the 4th starts before the budget is spent).
    const watcher = fakeWatcher(() => [{ t: 0, lag: 5 }], calls, 3);
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { now: () => 40_000 });
    const all = Array.from({ length: 40 }, (_, i) => group(`g${String(i).padStart(2, '0')}`, i, i === 39 ? 'STOP' : 'OK'));
    publish(watcher, overview(31_000, all));
    const wanted = ['g20', 'g21', 'g22', 'g23', 'g24', 'g25', 'g26', 'g27'];
    const first = trends.snapshot('c', wanted);
    expect(first.seeding).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(5);
    expect(calls).toEqual(wanted.slice(0, calls.length));
    // Nothing more until the pause is over.
    const inRequest = calls.length;
    vi.advanceTimersByTime(99);
    expect(calls).toHaveLength(inRequest);
    for (let i = 0; i < 5 && calls.length < wanted.length; i += 1) vi.advanceTimersByTime(100);
    expect(calls.slice(0, wanted.length)).toEqual(wanted);
    expect(trends.snapshot('c', wanted).seeding).toBe(false);
    // Then the others, problem groups first.
    expect(calls[wanted.length]).toBe('g39');
    vi.advanceTimersByTime(100 * 40);
    expect(new Set(calls).size).toBe(40);
    expect(calls).toHaveLength(40);
    expect(vi.getTimerCount()).toBe(0);
    trends.close();
  });

  it('keeps the event loop mostly free while seeding thousands of groups', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const calls: string[] = [];
    const watcher = fakeWatcher(() => [], calls, 1);
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { now: () => 40_000 });
    publish(watcher, overview(31_000, Array.from({ length: 2_000 }, (_, i) => group(`g${i}`, i))));
    // Reads take at least 1 ms each, so a 10 ms slice holds at most 11 of them (fewer on a busy machine).
    trends.snapshot('c', ['g0']);
    expect(calls[0]).toBe('g0');
    expect(calls.length).toBeLessThanOrEqual(11);
    for (let i = 0; i < 5; i += 1) {
      const before = calls.length;
      vi.advanceTimersByTime(99);
      expect(calls).toHaveLength(before);
      vi.advanceTimersByTime(1);
      expect(calls.length - before).toBeGreaterThanOrEqual(1);
      expect(calls.length - before).toBeLessThanOrEqual(11);
    }
    expect(calls.length).toBeLessThanOrEqual(66);
    trends.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops seeding for good when the store fails, and the answer no longer says seeding', () => {
    const logs: string[] = [];
    const watcher = fakeWatcher(() => {
      throw new Error('disk gone');
    });
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { now: () => 40_000, log: (l) => logs.push(l) });
    publish(watcher, overview(31_000, [group('a', 7), group('b', 1)]));
    const snap = trends.snapshot('c', ['a', 'b']);
    expect(snap.seeding).toBe(false);
    expect(points(snap, 'a')).toEqual([{ t: 30_000, lag: 7 }]);
    trends.snapshot('c', ['a', 'b']);
    expect(logs).toHaveLength(1);
    trends.close();
  });

  it('stops following new groups at maxGroups', () => {
    const watcher = fakeWatcher(() => []);
    const trends = new GroupTrends(new Map([['c', watcher as unknown as ClusterWatcher]]), { maxGroups: 2, now: () => 1_000 });
    publish(watcher, overview(1_000, [group('a', 1), group('b', 1), group('c', 1)]));
    expect(trends.snapshot('c').trends.map((t) => t.group)).toEqual(['a', 'b']);
    trends.close();
  });
});
