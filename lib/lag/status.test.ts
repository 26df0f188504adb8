import { describe, expect, it } from 'vitest';
import { groupStatusSchema, type GroupStatus } from '../contract/groups';
import { evaluatePartitionStatus, PARTITION_STATUSES, type PartitionMembership, type PartitionStatus, type PartitionStatusInput } from './status';
import { MINUTE, POLL_MS, pollGrid, T0 } from './test-fixtures';
import type { StatusSample } from './window';

const live: PartitionMembership = { assigned: true, groupState: 'Stable', rebalancingSinceMs: null };
const empty: PartitionMembership = { assigned: false, groupState: 'Empty', rebalancingSinceMs: null };

/** `count` polls every 5 s ending at `end` (default: a full 10 min window ending at T0 + 10 min). */
function polls(count: number, hwm: (i: number) => number, committed: (i: number) => number | null, { end = T0 + 10 * MINUTE, logStart = 0 } = {}): StatusSample[] {
  return pollGrid(count, { start: end - (count - 1) * POLL_MS }).map((t, i) => ({ t, highWatermark: hwm(i), committed: committed(i), logStartOffset: logStart }));
}

const FULL = 121; // 10 min of 5 s polls, both ends included
const END = T0 + 10 * MINUTE;

function evaluate(samples: StatusSample[], overrides: Partial<PartitionStatusInput> = {}) {
  return evaluatePartitionStatus({ samples, nowMs: END, membership: live, previous: null, ...overrides });
}

describe('rule 0: NO_COMMIT and DATA_LOSS, decided on the newest sample even before the window is complete', () => {
  it('is NO_COMMIT without a commit', () => {
    expect(evaluate(polls(1, () => 5_000, () => null))).toEqual({
      status: 'NO_COMMIT',
      reason: 'assigned, but the group has never committed an offset for this partition',
      complete: false,
    });
    // The group's offsets were deleted: -1 now, whatever it was before.
    expect(evaluate(polls(FULL, () => 5_000, (i) => (i < FULL - 1 ? 4_000 : -1)), { membership: empty }).status).toBe('NO_COMMIT');
  });

  it('is DATA_LOSS when retention deleted messages before the group read them', () => {
    const result = evaluate(polls(2, () => 90_000, () => 500, { logStart: 2_000 }));
    expect(result.status).toBe('DATA_LOSS');
    expect(result.reason).toBe('retention deleted 1,500 messages before the group read them (committed 500, log now starts at 2,000)');
  });
});

describe('window completeness', () => {
  it('is EVALUATING without samples, with too few, or over too short a span', () => {
    expect(evaluate([])).toMatchObject({ status: 'EVALUATING', reason: 'no samples in the last 10 min', complete: false });
    expect(evaluate(polls(3, (i) => i * 250, (i) => i * 250))).toMatchObject({ status: 'EVALUATING', complete: false });
    const sevenMinutes = evaluate(polls(85, (i) => i * 250, (i) => i * 250));
    expect(sevenMinutes).toEqual({
      status: 'EVALUATING',
      reason: 'collecting history: 85 samples over 7 min; need at least 3 samples spanning 8 min',
      complete: false,
    });
  });

  it('is judged once 0.8 of the window is covered with at least minSamples', () => {
    expect(evaluate(polls(97, (i) => i * 250, (i) => i * 250))).toMatchObject({ status: 'OK', complete: true });
    const twoSamples = polls(2, (i) => i * 250, (i) => i * 250, {}).map((sample, i) => ({ ...sample, t: END - (1 - i) * 9 * MINUTE }));
    expect(evaluate(twoSamples).status).toBe('EVALUATING');
    expect(evaluate(twoSamples, { thresholds: { minSamples: 2 } }).status).toBe('OK');
  });

  it('ignores samples older than the window and samples from the future', () => {
    const old = polls(60, (i) => i * 250, () => 0, { end: END - 11 * MINUTE });
    expect(evaluate(old)).toMatchObject({ status: 'EVALUATING', reason: 'no samples in the last 10 min' });
    const future = { t: END + POLL_MS, highWatermark: 1, committed: null, logStartOffset: 0 };
    expect(evaluate([...polls(FULL, () => 100, () => 100), future]).status).toBe('OK');
  });

  it('restarts after an HWM drop (topic recreated) and after the clock went backwards', () => {
    const recreated = polls(FULL, (i) => (i < 100 ? 90_000 + i : i - 100), (i) => (i < 100 ? 90_000 + i : i - 100));
    expect(evaluate(recreated)).toMatchObject({ status: 'EVALUATING', complete: false });
    expect(evaluate(recreated).reason).toMatch(/^the high watermark dropped \(topic recreated or truncated\), so history restarted: 21 samples over 1 min; need at least 3 samples spanning 8 min$/);
    const stepped = polls(FULL, (i) => i * 250, (i) => i * 250).map((sample, i) => (i < 100 ? { ...sample, t: sample.t + 5 * MINUTE } : sample));
    expect(evaluate(stepped, { nowMs: END }).reason).toMatch(/^the clock went backwards, so history restarted/);
  });

  it('decides on a shorter window when configured', () => {
    expect(evaluate(polls(13, () => 9_000, () => 1_000), { thresholds: { windowMs: MINUTE } }).status).toBe('STALL');
  });
});

describe('rule 1: the gate', () => {
  it('is OK when caught up now, whatever happened before', () => {
    expect(evaluate(polls(FULL, (i) => 1_000 + i, (i) => (i === FULL - 1 ? 1_000 + i : 1_000)))).toMatchObject({ status: 'OK', reason: 'caught up' });
  });

  it('tolerates allowedLag', () => {
    const residual = polls(FULL, () => 1_001, () => 1_000);
    expect(evaluate(residual).status).toBe('STALL');
    expect(evaluate(residual, { thresholds: { allowedLag: 1 } })).toMatchObject({ status: 'OK', reason: 'lag 1 is within the allowed lag of 1' });
  });
});

describe('rule 2: not progressing', () => {
  const frozen = polls(FULL, (i) => 10_000 + i * 250, () => 8_766);

  it('is STALL when a live member owns the partition', () => {
    expect(evaluate(frozen)).toEqual({
      status: 'STALL',
      reason: 'assigned to a live member but the committed offset has not moved in the last 10 min while 31,234 messages wait',
      complete: true,
    });
  });

  it('is STOP when there is no consumer: group Empty or Dead, or nobody assigned', () => {
    expect(evaluate(frozen, { membership: empty }).reason).toBe(
      'no consumer: the group is Empty and the committed offset has not moved in the last 10 min while 31,234 messages wait',
    );
    expect(evaluate(frozen, { membership: { ...empty, groupState: 'Dead' } }).status).toBe('STOP');
    expect(evaluate(frozen, { membership: { ...live, assigned: false } })).toMatchObject({ status: 'STOP', reason: expect.stringMatching(/^no consumer: no member is assigned/) });
  });

  it('fires even though lag was 0 earlier in the window (Burrow test #2) once the grace has passed', () => {
    // Idle and caught up, then messages arrive 3 min before now and the offset never moves.
    const idleThenBusy = polls(FULL, (i) => (i < FULL - 36 ? 5_000 : 5_000 + (i - FULL + 37) * 10), () => 5_000);
    expect(evaluate(idleThenBusy, { membership: empty }).status).toBe('STOP');
  });

  it('waits for the grace period after the group was last caught up (Burrow #338)', () => {
    const lastCaughtUp = (minutesAgo: number) => polls(FULL, (i) => (i < FULL - (minutesAgo * 12) ? 5_000 : 5_001), () => 5_000);
    expect(evaluate(lastCaughtUp(1), { membership: empty })).toMatchObject({ status: 'OK', reason: 'lag is 1, but the group was caught up within the last 10 min' });
    expect(evaluate(lastCaughtUp(3), { membership: empty }).status).toBe('STOP');
    expect(evaluate(lastCaughtUp(1), { membership: empty, thresholds: { graceMs: 30_000 } }).status).toBe('STOP');
  });

  it('keeps the previous status while a rebalance is inside its grace', () => {
    const rebalancing = (sinceMs: number): PartitionMembership => ({ assigned: false, groupState: 'PreparingRebalance', rebalancingSinceMs: sinceMs });
    const kept = (previous: PartitionStatus | null) => evaluate(frozen, { membership: rebalancing(END - 20_000), previous }).status;
    expect(kept('OK')).toBe('OK');
    expect(kept('STALL')).toBe('STALL');
    expect(kept(null)).toBe('EVALUATING');
    expect(kept('NO_COMMIT')).toBe('EVALUATING');
    expect(evaluate(frozen, { membership: rebalancing(END - 20_000), previous: 'OK' }).reason).toMatch(
      /^the group is rebalancing \(20 s of a 1 min grace\) and the committed offset has not moved .*; keeping the previous status$/,
    );
  });

  it('counts a rebalance without a start time as just begun, and knows the KIP-848 states', () => {
    for (const groupState of ['PreparingRebalance', 'CompletingRebalance', 'Assigning', 'Reconciling']) {
      expect(evaluate(frozen, { membership: { assigned: true, groupState, rebalancingSinceMs: null }, previous: 'OK' }).status).toBe('OK');
    }
  });

  it('is WARN, not an error, once the rebalance outlasts its grace', () => {
    const result = evaluate(frozen, { membership: { assigned: true, groupState: 'CompletingRebalance', rebalancingSinceMs: END - 3 * MINUTE }, previous: 'OK' });
    expect(result).toMatchObject({ status: 'WARN', reason: expect.stringMatching(/^the group has been rebalancing for 3 min and the committed offset has not moved/) });
  });
});

describe('rule 3: REWIND', () => {
  it('is REWIND when the offset went back and has not returned (Burrow test #15)', () => {
    const reset = polls(FULL, (i) => 20_000 + i * 100, (i) => (i < 60 ? 10_000 + i * 100 : (i - 60) * 100));
    expect(evaluate(reset)).toMatchObject({ status: 'REWIND', reason: 'the committed offset went back from 15,900 to 0 and has not returned to 15,900 yet' });
  });

  it('notes an Empty group at the time, the sign of an explicit --reset-offsets', () => {
    const reset = polls(FULL, (i) => 20_000 + i * 100, (i) => (i < 60 ? 10_000 + i * 100 : (i - 60) * 100)).map((sample, i) => ({
      ...sample,
      groupState: i >= 58 && i <= 61 ? 'Empty' : 'Stable',
    }));
    expect(evaluate(reset).reason).toMatch(/\(the group was Empty, so most likely an explicit offset reset\)$/);
  });

  it('forgives a short rewind that recovers (Burrow test #7)', () => {
    const replay = polls(FULL, (i) => 20_000 + i * 100, (i) => (i === 60 ? 15_000 : 10_000 + i * 100 - 50));
    expect(evaluate(replay).status).toBe('OK');
  });

  it('counts a rewind even if lag was 0 earlier in the window', () => {
    const reset = polls(FULL, (i) => 20_000 + i * 100, (i) => (i < 10 ? 20_000 + i * 100 : 500 + i * 10));
    expect(evaluate(reset).status).toBe('REWIND');
  });
});

describe('rules 4 and 5: caught up earlier, or falling behind', () => {
  it('is OK when the group was caught up at some sample in the window', () => {
    const fellBehind = polls(FULL, (i) => 1_000 + i * 300, (i) => (i < 5 ? 1_000 + i * 300 : 1_000 + i * 200));
    expect(evaluate(fellBehind).status).toBe('OK');
  });

  it('is WARN when lag never shrinks between commit points and grew', () => {
    const slow = polls(FULL, (i) => 10_000 + i * 250, (i) => 9_000 + i * 200);
    expect(evaluate(slow)).toMatchObject({ status: 'WARN', reason: 'falling behind: lag grew from 1,050 to 7,000 over 120 commits without ever shrinking' });
  });

  it('is OK when lag shrinks at some commit point, or holds level', () => {
    const wobbly = polls(FULL, (i) => 10_000 + i * 250, (i) => 9_000 + i * 200 + (i === 70 ? 3_000 : 0));
    expect(evaluate(wobbly).status).toBe('OK');
    const level = polls(FULL, (i) => 10_000 + i * 250, (i) => 9_000 + i * 250);
    expect(evaluate(level)).toMatchObject({ status: 'OK', reason: 'consuming; lag 1,000 is not steadily growing' });
  });

  it('judges a trend only from commit points: polls that saw no new commit do not count', () => {
    // Commits every 30 s; between them the lag grows with the HWM, which is not falling behind.
    const chunky = polls(FULL, (i) => 10_000 + i * 250, (i) => 8_500 + Math.floor(i / 6) * 6 * 250);
    expect(evaluate(chunky).status).toBe('OK');
    const oneCommit = polls(FULL, (i) => 10_000 + i * 250, (i) => (i < 110 ? 9_000 : 30_000));
    expect(evaluate(oneCommit)).toMatchObject({ status: 'OK', reason: 'lag 10,000; too few commits in the window to see a trend' });
  });
});

describe('transactional topics', () => {
  it('judges progress against the LSO, so a read_committed group waiting on an open transaction is not stalled', () => {
    const openTransaction = polls(FULL, (i) => 50_000 + i * 100, () => 50_000).map((sample) => ({ ...sample, lastStableOffset: 50_000 }));
    expect(evaluate(openTransaction)).toMatchObject({ status: 'OK', reason: 'caught up' });
    const stuckBelowLso = openTransaction.map((sample) => ({ ...sample, committed: 49_000 }));
    expect(evaluate(stuckBelowLso).status).toBe('STALL');
  });
});

describe('edge cases', () => {
  it('works near 2^53', () => {
    const top = Number.MAX_SAFE_INTEGER - 100_000;
    expect(evaluate(polls(FULL, (i) => top + i * 250, () => top)).reason).toMatch(/30,000 messages wait$/);
  });

  it('treats garbage in samples as missing', () => {
    const garbage = polls(FULL, () => 1_000, () => 1_000).map((sample, i) =>
      i % 10 === 0 ? { ...sample, highWatermark: Number.NaN } : i % 7 === 0 ? { ...sample, t: Number.NaN } : sample,
    );
    expect(evaluate(garbage).status).toBe('OK');
    expect(evaluate(polls(FULL, () => 1_000, () => 1_000), { nowMs: Number.NaN }).status).toBe('EVALUATING');
  });

  it('speaks the same status vocabulary as the API contract', () => {
    const contract: readonly GroupStatus[] = PARTITION_STATUSES;
    expect([...groupStatusSchema.options].sort()).toEqual([...contract].sort());
  });
});
