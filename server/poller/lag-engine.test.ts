import { describe, expect, it } from 'vitest';
import type { GroupSummary } from '../../lib/contract';
import { LagEngine } from './lag-engine';

// The engine at its production defaults (5 s polls, 10 min window): the integration tests use short windows, where
// the status sample spacing equals the poll interval, so this is where the default spacing is exercised.
const T0 = 1_800_000_000_000;
const POLL = 5_000;

function group(state: string, assigned: boolean): GroupSummary {
  return {
    id: 'g', type: 'classic', protocolType: 'consumer', state, topics: ['t'], status: null, lagSum: null, lagMax: null, lagSecondsMax: null, etaSeconds: null,
    members: assigned ? [{ memberId: 'm', clientId: 'email-service-1', host: 'h', topics: ['t'], assignments: [{ topic: 't', partitions: [0] }] }] : [],
  };
}

/** Polls every 5 s for `minutes`: HWM grows 50 per poll, the commit follows `committedAt(i)`. */
function run(engine: LagEngine, g: GroupSummary, minutes: number, committedAt: (i: number) => number, start = 0) {
  let summary: GroupSummary | undefined;
  const polls = (minutes * 60_000) / POLL;
  for (let i = start; i < start + polls; i++) {
    const now = T0 + i * POLL;
    engine.ingestHighWatermarks([{ topic: 't', partition: 0, offset: 1000 + i * 50, observedAt: now, error: null }]);
    engine.ingestCommits([{ group: 'g', topic: 't', partition: 0, offset: committedAt(i), observedAt: now }], new Map(), now);
    summary = engine.evaluate([g], now)[0];
  }
  return summary!;
}

describe('LagEngine at default settings', () => {
  it('judges a healthy group OK once a window of history exists, and EVALUATING before', () => {
    const engine = new LagEngine({ pollIntervalMs: POLL });
    const g = group('Stable', true);
    engine.setMembership([g], T0);
    expect(run(engine, g, 5, (i) => 1000 + i * 50 - 20).status).toBe('EVALUATING');
    const later = run(engine, g, 10, (i) => 1000 + i * 50 - 20, 60);
    expect(later.status).toBe('OK');
    expect(later.lagSum).toBe(20);
    expect(later.lagSecondsMax).toBeGreaterThanOrEqual(0);
    expect(later.lagSecondsMax).toBeLessThan(10);
  });

  it('turns a live member that stops committing into STALL, and an empty group into STOP', () => {
    for (const [state, assigned, expected] of [['Stable', true, 'STALL'], ['Empty', false, 'STOP']] as const) {
      const engine = new LagEngine({ pollIntervalMs: POLL });
      const g = group(state, assigned);
      engine.setMembership([g], T0);
      const summary = run(engine, g, 15, () => 1000);
      expect(summary.status).toBe(expected);
      expect(summary.lagSum).toBe(179 * 50);
    }
  });

  it('drops the consume rate as soon as commits stop, instead of repeating the last minute\'s rate', () => {
    const engine = new LagEngine({ pollIntervalMs: POLL });
    const g = group('Stable', true);
    engine.setMembership([g], T0);
    // 10 commits per second for 3 minutes, then the consumer stops: 20 s later the rate must already be lower.
    run(engine, g, 3, (i) => 1000 + i * 50);
    const moving = engine.groupDetail('g')!.partitions[0]!.consumeRate!;
    expect(moving).toBeCloseTo(10, 5);
    const stoppedAt = 1000 + 35 * 50;
    run(engine, g, 20 / 60, () => stoppedAt, 36);
    const stopped = engine.groupDetail('g')!.partitions[0]!.consumeRate!;
    expect(stopped).toBeLessThan(moving * 0.8);
  });

  it('keeps status samples bounded: one per spacing over a window, not one per poll', () => {
    const engine = new LagEngine({ pollIntervalMs: POLL });
    const g = group('Stable', true);
    engine.setMembership([g], T0);
    run(engine, g, 60, (i) => 1000 + i * 50);
    const reason = engine.groupDetail('g')!.partitions[0]!.statusReason;
    expect(engine.groupDetail('g')!.partitions[0]!.status).toBe('OK');
    expect(reason).toBeTruthy();
  });

  it("keeps a group's own longer window: a group with a 1 h window is judged after an hour, not EVALUATING for ever", () => {
    const engine = new LagEngine({ pollIntervalMs: POLL, groupThresholds: { g: { windowMs: 3_600_000 } } });
    const g = group('Empty', false);
    engine.setMembership([g], T0);
    expect(run(engine, g, 30, () => 1000).status).toBe('EVALUATING');
    expect(run(engine, g, 40, () => 1000, 360).status).toBe('STOP');
  });
});
