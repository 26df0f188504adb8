import { describe, expect, it } from 'vitest';
import { buildGraph, DEFAULT_GRAPH_SETTINGS } from '../../lib/topology/build-graph';
import type { EdgeObservation } from './evidence-log';
import { MINUTE, T0, useTempStores } from './test-support';

const stores = useTempStores();
const options = { gapMs: 2 * MINUTE, flushMs: 30_000 };
const signup: EdgeObservation['span'] = {
  edgeKind: 'produces',
  from: { kind: 'service', name: 'signup-service' },
  to: { kind: 'topic', name: 'user.registered' },
  source: 'observed.header',
  key: 'ce_source:ce_source',
  weight: 0.6,
  detail: { header: 'ce_source', value: '/signup-service' },
};

describe('topology evidence log', () => {
  it('extends a span while the fact keeps being seen, and starts a new one after a gap', () => {
    const store = stores.open();
    for (let t = 0; t <= 10 * MINUTE; t += MINUTE) store.evidence.observe('local', [{ span: signup, seenAt: T0 + t }], [], options);
    // The producer stops for half an hour, then comes back.
    store.evidence.observe('local', [{ span: signup, seenAt: T0 + 40 * MINUTE }], [], options);
    const stored = store.evidence.spansBetween('local', T0, T0 + 60 * MINUTE).spans;
    expect(stored.map((s) => [s.firstSeen - T0, s.lastSeen - T0])).toEqual([
      [0, 10 * MINUTE],
      [40 * MINUTE, 40 * MINUTE],
    ]);
    // In memory: the newest span, with the first time the fact was ever seen.
    expect(store.evidence.current('local', T0).spans.map((s) => [s.firstSeen - T0, s.lastSeen - T0])).toEqual([[0, 40 * MINUTE]]);
  });

  it('rebuilds the graph of any moment from the stored spans, after a restart too', () => {
    const dir = stores.dataDir();
    let store = stores.open({ dataDir: dir });
    for (let t = 0; t <= 10 * MINUTE; t += MINUTE) store.evidence.observe('local', [{ span: signup, seenAt: T0 + t }], [{ node: { kind: 'topic', name: 'user.registered' }, seenAt: T0 + t, detail: { partitions: 3 } }], options);
    store.close();
    store = stores.open({ dataDir: dir });
    expect(store.evidence.load('local', T0)).toBe(2);
    const settings = { ...DEFAULT_GRAPH_SETTINGS, liveMs: 2 * MINUTE };
    const graphAt = (at: number) => buildGraph({ at, ...store.evidence.spansBetween('local', at - DEFAULT_GRAPH_SETTINGS.staleMs, at), rates: { topics: new Map(), edges: new Map() }, settings });
    expect(graphAt(T0 - MINUTE).edges).toEqual([]);
    expect(graphAt(T0 + 5 * MINUTE).edges.map((e) => e.state)).toEqual(['live']);
    expect(graphAt(T0 + 20 * MINUTE).edges.map((e) => e.state)).toEqual(['recent']);
    expect(graphAt(T0 + 5 * MINUTE).nodes.find((n) => n.id === 'topic:user.registered')?.detail).toEqual({ partitions: 3 });
  });

  it('records offsets that sit still once, without keeping them alive, however long they sit', () => {
    const store = stores.open();
    const commits: EdgeObservation['span'] = { edgeKind: 'consumes', from: { kind: 'topic', name: 'orders' }, to: { kind: 'consumerGroup', name: 'billing' }, source: 'observed.committedOffset', key: 'commits', weight: 0.5, detail: {} };
    store.evidence.observe('local', [{ span: commits, seenAt: T0, extend: false }], [], options);
    store.evidence.observe('local', [{ span: commits, seenAt: T0 + MINUTE, extend: false }], [], options);
    expect(store.evidence.current('local', 0).spans.map((s) => s.lastSeen)).toEqual([T0]);
    // A day later the live graph no longer shows it, and seeing it again still adds no span (it was a new one each cycle).
    expect(store.evidence.current('local', T0 + 25 * 60 * MINUTE).spans).toEqual([]);
    store.evidence.observe('local', [{ span: commits, seenAt: T0 + 25 * 60 * MINUTE, extend: false }], [], options);
    expect(store.evidence.spansBetween('local', 0, T0 + 26 * 60 * MINUTE).spans).toHaveLength(1);
  });

  it('keeps rates so a past graph shows its throughput, and expires what retention dropped', () => {
    const store = stores.open();
    store.evidence.recordRates('local', T0, [{ subject: 'topic:orders', rate: 3, method: 'topicRate' }]);
    store.evidence.recordRates('local', T0 + MINUTE, [{ subject: 'topic:orders', rate: 4, method: 'topicRate' }]);
    expect(store.evidence.ratesAt('local', T0 + 90_000, 2 * MINUTE).get('topic:orders')).toEqual({ rate: 4, method: 'topicRate' });
    expect(store.evidence.ratesAt('local', T0 + 10 * MINUTE, 2 * MINUTE).size).toBe(0);
    store.evidence.observe('local', [{ span: signup, seenAt: T0 }], [], options);
    expect(store.evidence.expire(T0 + 30_000)).toBe(2);
    expect(store.evidence.spansBetween('local', 0, T0 + MINUTE).spans).toEqual([]);
  });
});
