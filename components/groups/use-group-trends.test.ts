import { describe, expect, it } from 'vitest';
import { GROUP_TRENDS_MAX_GROUPS, groupTrendsFilterParam, type GroupSummary, type OverviewData } from '../../lib/contract';
import { TrendRing } from '../../lib/groups/trend-ring';
import { appendLive, appendObservation, prependHistory, trendRequestBatches, type TrendsState } from './use-group-trends';

function group(id: string, lagSum: number | null): GroupSummary {
  return { id, type: 'classic', protocolType: 'consumer', state: 'Stable', members: [], topics: [], status: 'OK', lagSum, lagMax: lagSum, lagSecondsMax: null, etaSeconds: null };
}

function overview(observedAt: number | null, groups: GroupSummary[], state: 'ok' | 'unreachable' = 'ok'): OverviewData {
  return { cluster: { id: 'c', name: 'c', state, since: 0, error: null, retryAt: null, bootstrap: [], clusterId: null, controllerId: null, brokers: [], version: null, readOnly: false, pollIntervalMs: 2_000, observedAt }, topics: [], groups };
}

describe('trendRequestBatches', () => {
  it('asks for the groups in order, at most 500 per request', () => {
    const groups = Array.from({ length: 1_200 }, (_, i) => `g${i}`);
    const batches = trendRequestBatches(groups);
    expect(batches.map((b) => b.length)).toEqual([500, 500, 200]);
    expect(batches.flat()).toEqual(groups);
    expect(trendRequestBatches([])).toEqual([]);
  });

  it('keeps each request line short enough for the server (long names make smaller batches)', () => {
    const groups = Array.from({ length: 300 }, (_, i) => `${'very-long-consumer-group-name-'.repeat(4)}${i}`);
    const batches = trendRequestBatches(groups);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(groupTrendsFilterParam(b).length).toBeLessThanOrEqual(8_000);
    expect(batches.flat()).toEqual(groups);
    // A single name over the limit still goes, alone.
    expect(trendRequestBatches(['x'.repeat(9_000), 'a'])).toEqual([['x'.repeat(9_000)], ['a']]);
    expect(GROUP_TRENDS_MAX_GROUPS).toBe(500);
  });
});

describe('appendLive', () => {
  it('adds a point per group and observation, drops gone groups, and ignores an unreachable cluster', () => {
    const rings = new Map<string, TrendRing>();
    expect(appendLive(rings, overview(30_000, [group('a', 1), group('b', 2)]))).toBe(true);
    appendLive(rings, overview(45_000, [group('a', 3)]));
    expect(appendLive(rings, overview(47_000, [group('a', 99)], 'unreachable'))).toBe(false);
    expect(appendLive(rings, overview(null, [group('a', 99)]))).toBe(false);
    expect([...rings.keys()]).toEqual(['a']);
    expect(rings.get('a')!.points()).toEqual([{ t: 30_000, lag: 1 }, { t: 45_000, lag: 3 }]);
  });
});

describe('appendObservation', () => {
  it('appends each observation once, however often the same overview is rendered', () => {
    const state: TrendsState = { cluster: 'c', rings: new Map(), asked: new Set(['a', 'gone']), appendedAt: null };
    const first = overview(30_000, [group('a', 1)]);
    appendObservation(state, first);
    // Between renders of the same overview, history arrives that ends before it; a repeated append must not move it.
    state.rings.get('a')!.prepend([{ t: 0, lag: 5 }]);
    appendObservation(state, first);
    appendObservation(state, { ...first, groups: [group('a', 1)] });
    expect(state.rings.get('a')!.points()).toEqual([{ t: 0, lag: 5 }, { t: 30_000, lag: 1 }]);
    expect(state.appendedAt).toBe(30_000);
    expect([...state.asked]).toEqual(['a']);
    appendObservation(state, overview(45_000, [group('a', 2)]));
    expect(state.rings.get('a')!.points().map((p) => p.lag)).toEqual([5, 1, 2]);
  });
});

describe('prependHistory', () => {
  it('fills a ring in with the older grid points; the live points win', () => {
    const rings = new Map<string, TrendRing>();
    appendLive(rings, overview(61_000, [group('a', 9)]));
    prependHistory(rings, {
      cluster: 'c',
      observedAt: 61_000,
      fromMs: 0,
      stepMs: 15_000,
      trends: [
        { group: 'a', lags: [null, 4, null, 6, 8] }, // 8 is in the bucket of the live point
        { group: 'new', lags: [1, 2, null, null, null] },
        { group: 'unknown', lags: [null, null, null, null, null] },
      ],
      truncated: false,
      seeding: false,
    });
    expect(rings.get('a')!.points()).toEqual([{ t: 15_000, lag: 4 }, { t: 30_000, lag: null }, { t: 45_000, lag: 6 }, { t: 61_000, lag: 9 }]);
    expect(rings.get('new')!.points()).toEqual([{ t: 0, lag: 1 }, { t: 15_000, lag: 2 }, { t: 30_000, lag: null }, { t: 45_000, lag: null }, { t: 60_000, lag: null }]);
    expect(rings.has('unknown')).toBe(false);
  });
});
