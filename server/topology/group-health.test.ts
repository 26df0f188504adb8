import { describe, expect, it } from 'vitest';
import type { GroupSummary, TopologyEdge, TopologyNode } from '../../lib/contract';
import { worstLagSecondsAt } from '../../lib/lag/past-lag-seconds';
import { LagEngine } from '../poller/lag-engine';
import { MINUTE, T0, useTempStores } from '../store/test-support';
import type { HistoryStore, WindowSample } from '../store/types';
import { assignedTopicsAt, liveGroupHealth, pastGroupHealth, statusSamplesAt, withGroupHealth, type PastHealthOptions } from './group-health';

const { open } = useTempStores();
const POLL = 5_000;
const poll = (i: number) => T0 + i * POLL;

function summary(id: string, assigned: boolean, over: Partial<GroupSummary> = {}): GroupSummary {
  return {
    id, type: 'classic', protocolType: 'consumer', state: assigned ? 'Stable' : 'Empty', topics: ['orders'], status: null, lagSum: null, lagMax: null, lagSecondsMax: null, etaSeconds: null,
    members: assigned ? [{ memberId: 'm', clientId: `${id}-1`, host: 'h', topics: ['orders'], assignments: [{ topic: 'orders', partitions: [0, 1] }] }] : [],
    ...over,
  };
}

/**
 * Two partitions of 'orders' at 10 msg/s each, polled every 5 s for `polls` polls, recorded in the store and fed to
 * a LagEngine the way the watcher does. Group 'steady' stays 20 behind; 'stops' keeps up until poll 180 (15 min),
 * then its commits freeze; 'late' only starts committing at poll 100. Returns the engine's verdicts per poll.
 */
function simulate(store: HistoryStore, polls: number, members: Record<string, boolean>) {
  const engine = new LagEngine({ pollIntervalMs: POLL });
  const groups = Object.entries(members).map(([id, assigned]) => summary(id, assigned));
  engine.setMembership(groups, T0);
  const verdicts = new Map<number, Map<string, GroupSummary>>();
  for (let i = 0; i < polls; i += 1) {
    const now = poll(i);
    const hwm = 1_000 + 50 * i;
    const commitsOf = (p: number) => [
      { group: 'steady', topic: 'orders', partition: p, committed: hwm - 20 },
      { group: 'stops', topic: 'orders', partition: p, committed: 1_000 + 50 * Math.min(i, 180) },
      ...(i >= 100 ? [{ group: 'late', topic: 'orders', partition: p, committed: hwm - 5 }] : []),
    ];
    const commits = [...commitsOf(0), ...commitsOf(1)];
    store.recordCycle('c1', now, { partitions: [0, 1].map((p) => ({ topic: 'orders', partition: p, hwm })), commits });
    engine.ingestHighWatermarks([0, 1].map((p) => ({ topic: 'orders', partition: p, offset: hwm, observedAt: now, error: null })));
    engine.ingestCommits(commits.map((c) => ({ group: c.group, topic: c.topic, partition: c.partition, offset: c.committed, observedAt: now })), new Map(), now);
    verdicts.set(i, new Map(engine.evaluate(groups, now).map((g) => [g.id, g])));
  }
  const options: PastHealthOptions = { store, cluster: 'c1', pollIntervalMs: POLL, gridMs: engine.sampleSpacingMs, thresholdsOf: (g) => ({ windowMs: engine.windowMsOf(g) }) };
  return { verdicts, options };
}

const assigned = (entries: Record<string, string[]>) => new Map(Object.entries(entries).map(([g, topics]) => [g, new Set(topics)]));

describe('pastGroupHealth', () => {
  it('says what the poller said at that moment: status, lag and lag in seconds, from the history store', () => {
    const store = open();
    // 40 minutes of history; the moments asked about are well before the end, so later data must not leak in.
    const { verdicts, options } = simulate(store, 480, { steady: true, stops: true, late: false });
    // The moments cover a window still filling, a consumer keeping up, one that stopped, and one behind but moving.
    expect([150, 300].map((i) => ['steady', 'stops', 'late'].map((g) => verdicts.get(i)!.get(g)!.status))).toEqual([['OK', 'OK', 'EVALUATING'], ['OK', 'STALL', 'OK']]);
    for (const i of [150, 300]) {
      const past = pastGroupHealth(options, assigned({ steady: ['orders'], stops: ['orders'], late: [] }), poll(i));
      for (const group of ['steady', 'stops', 'late']) {
        const live = verdicts.get(i)!.get(group)!;
        const health = past.get(group);
        expect(health?.status, `${group} at poll ${i}`).toBe(live.status);
        expect(health?.lag, `${group} at poll ${i}`).toBe(live.lagSum);
        expect(health?.lagSeconds ?? Number.NaN, `${group} at poll ${i}`).toBeCloseTo(live.lagSecondsMax ?? Number.NaN, 6);
      }
    }
    const at300 = pastGroupHealth(options, assigned({ stops: ['orders'] }), poll(300)).get('stops');
    // Frozen since poll 180 with a member assigned: STALL, with the poller's reason.
    expect(at300).toMatchObject({ status: 'STALL', lag: 2 * 120 * 50 });
    expect(at300?.statusReason).toMatch(/^assigned to a live member but the committed offset has not moved/);
    // Without a live assignment at that moment the same history reads as no consumer.
    expect(pastGroupHealth(options, assigned({ stops: [] }), poll(300)).get('stops')).toMatchObject({ status: 'STOP', statusReason: expect.stringMatching(/^no consumer: the group is Empty/) });
    // Before it stopped it was OK.
    expect(pastGroupHealth(options, assigned({ stops: ['orders'] }), poll(170)).get('stops')).toMatchObject({ status: 'OK', lag: 0, lagSeconds: 0 });
  });

  it('matches the group history chart at the same moment, and knows nothing before a group committed', () => {
    const store = open();
    const { options } = simulate(store, 480, { late: true });
    // Between two polls; and moments where the commit is minutes old (stops: frozen since poll 180), so the
    // estimate needs more than the first few minutes of HWM history.
    for (const at of [poll(150) + 2_500, poll(230), poll(300), poll(470) + 1_000]) {
      const health = pastGroupHealth(options, assigned({ steady: ['orders'], stops: ['orders'], late: ['orders'] }), at);
      for (const group of ['steady', 'stops', 'late']) {
        const [chart] = store.groupHistory('c1', group, at, at, 10_000);
        expect(health.get(group)?.lag).toBe(chart?.lag);
        // What the history route computes for that moment: an hour of HWM and the commits before it.
        const history = [0, 1].map((p) => ({ hwm: store.hwmHistory('c1', 'orders', p, at - 3_600_000), commits: store.commitHistory('c1', group, 'orders', p, at - 3_600_000) }));
        expect(health.get(group)?.lagSeconds, `${group} at ${at - T0}`).toBe(worstLagSecondsAt(history, at, { pollIntervalMs: POLL }));
      }
    }
    expect(pastGroupHealth(options, assigned({ stops: [] }), poll(470)).get('stops')?.lagSeconds).toBeGreaterThan(20 * 60);
    // Before its first commit, and for a group the store never saw: nothing is known.
    expect(pastGroupHealth(options, assigned({ late: ['orders'] }), poll(50)).get('late')).toBeNull();
    expect(pastGroupHealth(options, assigned({ unknown: [] }), poll(50)).get('unknown')).toBeNull();
  });
});

describe('statusSamplesAt', () => {
  const sample = (t: number, committed: number, highWatermark: number | null = committed + 10): WindowSample => ({ t, committed, highWatermark, lastStableOffset: null, logStartOffset: null });

  it('cuts at `at`, lays the poller grid (from the first sample, as the store lays it) up to it, and ends with a sample at `at` when the series went on', () => {
    const samples = [sample(T0, 100), sample(T0 + 40_000, 200), sample(T0 + 5 * MINUTE, 300)];
    const cut = statusSamplesAt(samples, T0 + MINUTE, 15_000);
    expect(cut.map((s) => (s.t - T0) / 1000)).toEqual([0, 15, 30, 40, 45, 60]);
    expect(cut.map((s) => s.committed)).toEqual([100, 100, 100, 200, 200, 200]);
  });

  it('stops at the last sample when the series ended before `at`, and leaves out samples without a HWM', () => {
    const samples = [sample(T0, 100, null), sample(T0 + 20_000, 100), sample(T0 + 30_000, 150)];
    expect(statusSamplesAt(samples, T0 + MINUTE, 15_000).map((s) => (s.t - T0) / 1000)).toEqual([20, 30]);
    expect(statusSamplesAt(samples, T0 - 1, 15_000)).toEqual([]);
  });
});

describe('live health and assignments', () => {
  const node = (kind: TopologyNode['kind'], name: string): TopologyNode => ({ id: `${kind}:${name}`, kind, name, hidden: false, detail: {}, metrics: { messagesPerSec: null, unattributedPerSec: null }, health: null });

  it('puts the overview figures on consumer-group nodes by group id, null for groups not in it and other nodes', () => {
    const health = liveGroupHealth([summary('billing', true, { status: 'WARN', statusReason: 'falling behind', lagSum: 120, lagSecondsMax: 8.5 })]);
    const nodes = withGroupHealth([node('consumerGroup', 'billing'), node('consumerGroup', 'gone'), node('topic', 'billing')], (g) => health.get(g) ?? null);
    expect(nodes.map((n) => n.health)).toEqual([{ status: 'WARN', statusReason: 'falling behind', lag: 120, lagSeconds: 8.5 }, null, null]);
  });

  it('reads a live group assignment at `at` from the consumes edges, not committed offsets alone', () => {
    const nodes = [node('topic', 'a'), node('topic', 'b'), node('consumerGroup', 'g')];
    const edge = (topic: string, source: 'observed.groupAssignment' | 'observed.committedOffset', lastSeen: number): TopologyEdge => ({
      id: `consumes|topic:${topic}|consumerGroup:g`, kind: 'consumes', from: `topic:${topic}`, to: 'consumerGroup:g', state: 'live', confidence: 1, drift: null,
      evidence: [{ source, weight: 0.9, firstSeen: T0, lastSeen, detail: {} }], metrics: { messagesPerSec: null, bytesPerSec: null, method: null },
    });
    const at = T0 + 10 * MINUTE;
    const topics = assignedTopicsAt(nodes, [edge('a', 'observed.groupAssignment', at - 1000), edge('b', 'observed.committedOffset', at)], at, 6000);
    expect([...topics.get('g')!]).toEqual(['a']);
    expect(assignedTopicsAt(nodes, [edge('a', 'observed.groupAssignment', at - 60_000)], at, 6000).get('g')?.size).toBe(0);
  });
});
