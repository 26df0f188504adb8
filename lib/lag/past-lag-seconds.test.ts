import { describe, expect, it } from 'vitest';
import { worstLagSecondsAt } from './past-lag-seconds';
import { estimateLagSeconds } from './time-lag';

const T0 = Date.UTC(2026, 10, 22, 14, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;
const poll = { pollIntervalMs: 5000 };
// 10 msg/s from second 0 to 100: the HWM is 10·s.
const hwm = Array.from({ length: 21 }, (_, i) => ({ t: s(i * 5), offset: i * 50 }));

describe('worstLagSecondsAt', () => {
  it('evaluates the estimator as it would have been at t: HWM points after t and later commits are not seen', () => {
    const commits = [{ t: s(0), offset: 0 }, { t: s(40), offset: 200 }, { t: s(80), offset: 800 }];
    // At 60 s the commit in force is 200 (message 200 was appended when the HWM reached 201, at 20.1 s).
    expect(worstLagSecondsAt([{ hwm, commits }], s(60), poll)).toBeCloseTo(60 - 20.1, 9);
    expect(worstLagSecondsAt([{ hwm, commits }], s(60), poll)).toBe(estimateLagSeconds(hwm.filter((h) => h.t <= s(60)), 200, s(60), poll).seconds);
    // At 80 s the group has caught up.
    expect(worstLagSecondsAt([{ hwm, commits }], s(80), poll)).toBe(0);
  });

  it('takes the worst partition, skips partitions without a commit by then, and is null when nothing is known', () => {
    const behind = { hwm, commits: [{ t: s(0), offset: 100 }] };
    const caughtUp = { hwm, commits: [{ t: s(0), offset: 0 }, { t: s(50), offset: 500 }] };
    const later = { hwm, commits: [{ t: s(90), offset: 0 }] };
    expect(worstLagSecondsAt([caughtUp, behind, later], s(50), poll)).toBeCloseTo(50 - 10.1, 9);
    expect(worstLagSecondsAt([later], s(50), poll)).toBeNull();
    expect(worstLagSecondsAt([], s(50), poll)).toBeNull();
    expect(worstLagSecondsAt([{ hwm: [], commits: [{ t: s(0), offset: 5 }] }], s(50), poll)).toBeNull();
  });
});
