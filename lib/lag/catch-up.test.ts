import { describe, expect, it } from 'vitest';
import { formatDuration } from '../format';
import { describeCatchUp } from './catch-up';
import { etaToCatchUpSeconds } from './eta';

const now = 1_767_225_600_000;
// email-service after a 3-minute stop with signups at 2/s: 360 messages behind, then resumed at 8/s.
const stopped = { lag: 360, lagSeconds: 180, consumeRate: 0, produceRate: 2 };
const resumed = { lag: 360, lagSeconds: 180, consumeRate: 8, produceRate: 2 };

describe('describeCatchUp', () => {
  it('catching up: ETA from the lag engine and a finish time', () => {
    const eta = etaToCatchUpSeconds(resumed.lag, resumed.consumeRate, resumed.produceRate);
    const c = describeCatchUp({ ...resumed, etaSeconds: eta }, now, formatDuration);
    expect(c.kind).toBe('catching_up');
    expect(c.title).toBe('Catching up: 1 min left');
    expect(c.doneAt).toBe(now + 60_000);
  });

  it('not consuming when nothing is committed', () => {
    const c = describeCatchUp({ ...stopped, etaSeconds: etaToCatchUpSeconds(stopped.lag, stopped.consumeRate, stopped.produceRate) }, now, formatDuration);
    expect(c.kind).toBe('not_consuming');
    expect(c.tone).toBe('danger');
  });

  it('not consuming as soon as the status says commits stopped, though the last minute still shows a rate', () => {
    const c = describeCatchUp({ lag: 80, lagSeconds: 12, consumeRate: 6.9, produceRate: 7, etaSeconds: null, status: 'STOP' }, now, formatDuration);
    expect(c.kind).toBe('not_consuming');
    // The engine reads ETA 0 when the lag is under one poll's worth at the (stale, one-minute) consume rate.
    expect(describeCatchUp({ lag: 300, lagSeconds: 4, consumeRate: 100, produceRate: 90, etaSeconds: 0, status: 'STOP' }, now, formatDuration).kind).toBe('not_consuming');
  });

  it('falling behind when it reads slower than messages arrive', () => {
    const c = describeCatchUp({ lag: 500, lagSeconds: 250, consumeRate: 1.5, produceRate: 2, etaSeconds: etaToCatchUpSeconds(500, 1.5, 2) }, now, formatDuration);
    expect(c.kind).toBe('falling_behind');
    expect(c.detail).toContain('1.5/s');
  });

  it('keeping up: a busy consumer seconds behind during a burst is not "falling behind"', () => {
    // Seen on the demo: 59 messages, 7 s behind, reading 6.6/s while a burst brings 7.6/s.
    const c = describeCatchUp({ lag: 59, lagSeconds: 7, consumeRate: 6.6, produceRate: 7.6, etaSeconds: etaToCatchUpSeconds(59, 6.6, 7.6) }, now, formatDuration);
    expect(c.kind).toBe('keeping_up');
    expect(c.tone).toBe('ok');
    // The same rates a minute behind are a real problem.
    expect(describeCatchUp({ lag: 500, lagSeconds: 70, consumeRate: 6.6, produceRate: 7.6, etaSeconds: null }, now, formatDuration).kind).toBe('falling_behind');
  });

  it('caught up, and unknown', () => {
    expect(describeCatchUp({ lag: 0, lagSeconds: 0, consumeRate: 2, produceRate: 2, etaSeconds: 0 }, now, formatDuration).kind).toBe('caught_up');
    expect(describeCatchUp({ lag: null, lagSeconds: null, consumeRate: null, produceRate: null, etaSeconds: null }, now, formatDuration).kind).toBe('unknown');
    expect(describeCatchUp({ lag: 10, lagSeconds: null, consumeRate: null, produceRate: 1, etaSeconds: null }, now, formatDuration).kind).toBe('unknown');
  });
});
