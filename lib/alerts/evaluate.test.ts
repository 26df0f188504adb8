import { describe, expect, it } from 'vitest';
import { alertRuleSchema, type AlertRule, type AlertRuleInput, type GroupStatus } from '../contract';
import { evaluateAlerts, type AlertState, type AlertTransitionEvent, type GroupInput, type TopicInput } from './evaluate';
import { idleMsOf, trackTopicActivity, type TopicActivity } from './topic-activity';

const POLL = 5_000;
const T0 = Date.UTC(2026, 0, 1, 3, 0, 0);

function rule(input: AlertRuleInput): AlertRule {
  return alertRuleSchema.parse(input);
}

function group(id: string, status: GroupStatus | null, extra: Partial<GroupInput> = {}): GroupInput {
  return { id, status, statusReason: status === 'STOP' ? 'no consumer: the group is Empty and no commits while 120 messages wait' : null, lagSum: 120, lagSecondsMax: null, ...extra };
}

/** Runs one evaluation per cycle and collects every transition with its cycle index. */
function run(rules: AlertRule[], cycles: { groups?: GroupInput[]; topics?: TopicInput[] }[]) {
  let state = new Map<string, AlertState>();
  const transitions: (AlertTransitionEvent & { cycle: number })[] = [];
  const states: Map<string, AlertState>[] = [];
  cycles.forEach((c, i) => {
    const result = evaluateAlerts(state, { cluster: 'prod', pollIntervalMs: POLL, rules, groups: c.groups ?? [], topics: c.topics ?? [] }, T0 + i * POLL);
    state = result.next;
    states.push(state);
    for (const t of result.transitions) transitions.push({ ...t, cycle: i });
  });
  return { transitions, states, state };
}

describe('group_status rules', () => {
  const stop = rule({ id: 'email-stop', kind: 'group_status', group: 'email-service', statuses: ['STOP', 'STALL'], forCycles: 3, clearCycles: 3 });

  it('fires once after 3 STOP cycles, says why, and resolves once after 3 OK cycles', () => {
    const series: (GroupStatus | null)[] = ['OK', 'STOP', 'STOP', 'STOP', 'STOP', 'OK', 'OK', 'OK', 'OK'];
    const { transitions, states } = run([stop], series.map((s) => ({ groups: [group('email-service', s)] })));
    expect(transitions.map((t) => [t.type, t.cycle])).toEqual([
      ['firing', 3],
      ['resolved', 7],
    ]);
    const fired = transitions[0]!.alert;
    expect(fired.message).toBe('email-service has been STOP for 3 cycles (15 s): no consumer: the group is Empty and no commits while 120 messages wait');
    expect(fired.since).toBe(T0 + 3 * POLL);
    expect(fired.subject).toEqual({ type: 'group', name: 'email-service' });
    expect(states[1]!.get('email-stop|group:email-service')?.phase).toBe('pending');
    const resolved = transitions[1]!;
    expect(resolved.type === 'resolved' && resolved.alert.resolvedAt).toBe(T0 + 7 * POLL);
    expect(resolved.alert.message).toBe('email-service is OK again after 20 s (was STOP)');
    expect(resolved.alert.id).toBe(fired.id);
  });

  it('never notifies a pending alert that clears before firing', () => {
    const series: GroupStatus[] = ['STOP', 'STOP', 'OK', 'STALL', 'STALL', 'OK', 'OK'];
    const { transitions, state } = run([stop], series.map((s) => ({ groups: [group('email-service', s)] })));
    expect(transitions).toEqual([]);
    expect(state.size).toBe(0);
  });

  it('pauses on unknown status instead of resetting or resolving', () => {
    const series: (GroupStatus | null)[] = ['STOP', 'EVALUATING', 'STOP', 'STOP', null, 'OK', 'EVALUATING', 'OK', 'OK'];
    const { transitions } = run([stop], series.map((s) => ({ groups: [group('email-service', s)] })));
    expect(transitions.map((t) => [t.type, t.cycle])).toEqual([
      ['firing', 3],
      ['resolved', 8],
    ]);
  });

  it('matches "*" and glob patterns, one alert per group, and resolves when the group disappears', () => {
    const all = rule({ id: 'any-stop', kind: 'group_status', forCycles: 1, clearCycles: 1 });
    const { transitions } = run([all], [
      { groups: [group('a', 'STOP'), group('b', 'OK'), group('c', 'DATA_LOSS')] },
      { groups: [group('a', 'STOP'), group('b', 'OK')] },
    ]);
    expect(transitions.map((t) => `${t.type}:${t.alert.subject.name}@${t.cycle}`)).toEqual(['firing:a@0', 'firing:c@0', 'resolved:c@1']);
    expect(transitions[2]!.alert.message).toBe('c no longer exists');

    const glob = rule({ id: 'svc', kind: 'group_status', group: 'billing-*', forCycles: 1 });
    const matched = run([glob], [{ groups: [group('billing-eu', 'STOP'), group('email-service', 'STOP'), group('xbilling-eu', 'STOP')] }]);
    expect(matched.transitions.map((t) => t.alert.subject.name)).toEqual(['billing-eu']);
  });

  it('keeps a firing alert through a cycle where its group is missing: no resolve, no second firing, same id', () => {
    const cycles = [['STOP'], ['STOP'], ['STOP'], [], ['STOP'], ['STOP']].map((c) => ({ groups: c.map((s) => group('email-service', s as GroupStatus)) }));
    const { transitions, states } = run([stop], cycles);
    expect(transitions.map((t) => [t.type, t.cycle])).toEqual([['firing', 2]]);
    const id = transitions[0]!.alert.id;
    expect(states[3]!.get('email-stop|group:email-service')).toMatchObject({ id, phase: 'firing', missingCycles: 1 });
    expect(states[5]!.get('email-stop|group:email-service')).toMatchObject({ id, phase: 'firing' });
    expect(states[5]!.get('email-stop|group:email-service')?.missingCycles).toBeUndefined();
  });

  it('missing counts as neither breach nor clear: the clear count is not reset or advanced by it', () => {
    const series: (GroupStatus | 'gone')[] = ['STOP', 'STOP', 'STOP', 'OK', 'gone', 'OK', 'OK'];
    const { transitions } = run([stop], series.map((s) => ({ groups: s === 'gone' ? [] : [group('email-service', s)] })));
    expect(transitions.map((t) => [t.type, t.cycle])).toEqual([['firing', 2], ['resolved', 6]]);
  });

  it('resolves once, "no longer exists", after the group has been missing for clearCycles cycles', () => {
    const cycles = [['STOP'], ['STOP'], ['STOP'], [], [], [], [], []].map((c) => ({ groups: c.map((s) => group('email-service', s as GroupStatus)) }));
    const { transitions, state } = run([stop], cycles);
    expect(transitions.map((t) => [t.type, t.cycle])).toEqual([['firing', 2], ['resolved', 5]]);
    expect(transitions[1]!.alert).toMatchObject({ id: transitions[0]!.alert.id, message: 'email-service no longer exists' });
    expect(state.size).toBe(0);
    // A pending alert whose group goes away is dropped as quietly, after the same grace.
    const pending = run([stop], [['STOP'], [], [], [], ['STOP']].map((c) => ({ groups: c.map((s) => group('email-service', s as GroupStatus)) })));
    expect(pending.transitions).toEqual([]);
    expect(pending.states[2]!.get('email-stop|group:email-service')).toMatchObject({ phase: 'pending', breachCycles: 1, missingCycles: 2 });
    expect(pending.states[3]!.size).toBe(0);
    expect(pending.states[4]!.get('email-stop|group:email-service')).toMatchObject({ phase: 'pending', breachCycles: 1 });
  });

  it('resolves a firing alert whose rule was deleted, disabled or limited to other clusters', () => {
    const fire = evaluateAlerts(new Map(), { cluster: 'prod', pollIntervalMs: POLL, rules: [{ ...stop, forCycles: 1 }], groups: [group('email-service', 'STOP')], topics: [] }, T0);
    expect(fire.transitions).toHaveLength(1);
    for (const rules of [[], [{ ...stop, enabled: false }], [{ ...stop, clusters: ['staging'] }]]) {
      const after = evaluateAlerts(fire.next, { cluster: 'prod', pollIntervalMs: POLL, rules, groups: [group('email-service', 'STOP')], topics: [] }, T0 + POLL);
      expect(after.transitions.map((t) => t.type)).toEqual(['resolved']);
      expect(after.transitions[0]!.alert.message).toContain('was deleted or disabled');
      expect(after.next.size).toBe(0);
    }
  });
});

describe('lag_seconds rules', () => {
  const slo = rule({ id: 'email-slo', kind: 'lag_seconds', group: 'email-service', thresholdSeconds: 60, forCycles: 2, clearCycles: 2 });

  it('does not flap while lag oscillates around the SLO (hysteresis band 48..60 s)', () => {
    // Crosses 60 s eight times; a naive "above threshold" rule would fire and resolve four times.
    const lag = [30, 62, 65, 58, 61, 57, 63, 59, 62, 55, 61, 50, 49, 47, 45];
    const { transitions } = run([slo], lag.map((s) => ({ groups: [group('email-service', 'WARN', { lagSecondsMax: s })] })));
    expect(transitions.map((t) => [t.type, t.cycle])).toEqual([
      ['firing', 2],
      ['resolved', 14],
    ]);
    expect(transitions[0]!.alert.message).toBe('email-service is 65 s behind (120 messages), above its SLO of 60 s, for 2 cycles');
    expect(transitions[0]!.alert.value).toBe(65);
    expect(transitions[0]!.alert.threshold).toBe(60);
    expect(transitions[1]!.alert.message).toBe('email-service is back within its SLO (45 s behind, at or below 48 s) after 1 min');
  });

  it('needs consecutive breaching cycles: a dip into the band resets the pending count', () => {
    const lag = [70, 55, 70, 55, 70];
    const { transitions } = run([slo], lag.map((s) => ({ groups: [group('email-service', 'WARN', { lagSecondsMax: s })] })));
    expect(transitions).toEqual([]);
  });

  it('honours an explicit clearBelowSeconds and ignores unknown lag', () => {
    const tight = rule({ id: 'tight', kind: 'lag_seconds', thresholdSeconds: 10, clearBelowSeconds: 2, forCycles: 1, clearCycles: 1 });
    const lag = [11, null, 5, 3, 2];
    const { transitions } = run([tight], lag.map((s) => ({ groups: [group('g', 'OK', { lagSecondsMax: s })] })));
    expect(transitions.map((t) => [t.type, t.cycle])).toEqual([
      ['firing', 0],
      ['resolved', 4],
    ]);
  });
});

describe('topic_idle rules', () => {
  const idle = rule({ id: 'orders-idle', kind: 'topic_idle', topic: '*', minutes: 1 });
  const MIN_CYCLES = 60_000 / POLL;

  /** High watermark sums per cycle → topic inputs through the activity tracker, as the manager does it. */
  function topicCycles(sums: Record<string, (number | null)[]>, internal: string[] = []): { topics: TopicInput[] }[] {
    let activity = new Map<string, TopicActivity>();
    const length = Math.max(...Object.values(sums).map((s) => s.length));
    return Array.from({ length }, (_, i) => {
      const now = T0 + i * POLL;
      activity = trackTopicActivity(activity, Object.entries(sums).map(([topic, s]) => ({ topic, offsetsSum: s[i] ?? null })), now);
      return { topics: Object.keys(sums).map((name) => ({ name, internal: internal.includes(name), idleMs: idleMsOf(activity.get(name), now) })) };
    });
  }

  it('fires after N observed minutes without produce, then resolves when produce resumes', () => {
    const flat = Array.from({ length: MIN_CYCLES + 3 }, () => 500);
    const sums = { orders: [...flat, 501, 502], __consumer_offsets: [...flat, 500, 500], 'busy-topic': flat.map((_, i) => i) };
    const { transitions } = run([idle], topicCycles(sums, ['__consumer_offsets']));
    expect(transitions.map((t) => `${t.type}:${t.alert.subject.name}@${t.cycle}`)).toEqual([`firing:orders@${MIN_CYCLES}`, `resolved:orders@${MIN_CYCLES + 3}`]);
    expect(transitions[0]!.alert.message).toBe('orders has had no new messages for 1 min (rule: 1 min); check its producers');
    expect(transitions[1]!.alert.message).toContain('orders is receiving messages again');
  });

  it('counts only observed time: a topic first seen now cannot be idle for longer', () => {
    let activity = trackTopicActivity(new Map(), [{ topic: 't', offsetsSum: 10 }], T0);
    expect(idleMsOf(activity.get('t'), T0)).toBe(0);
    activity = trackTopicActivity(activity, [{ topic: 't', offsetsSum: null }], T0 + 30_000);
    expect(idleMsOf(activity.get('t'), T0 + 30_000)).toBe(30_000);
    activity = trackTopicActivity(activity, [{ topic: 't', offsetsSum: 11 }], T0 + 40_000);
    expect(idleMsOf(activity.get('t'), T0 + 45_000)).toBe(5_000);
    expect(trackTopicActivity(activity, [], T0).size).toBe(0);
  });
});
