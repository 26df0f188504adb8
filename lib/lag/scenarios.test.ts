import { describe, expect, it } from 'vitest';
import { etaToCatchUpSeconds } from './eta';
import { evaluateGroupStatus } from './group-status';
import { appendHwmPoint, type HwmPoint } from './hwm-history';
import { computePartitionLag, sumLag } from './offsets-lag';
import { ratePerSecond, rateSeries } from './rates';
import { evaluatePartitionStatus, type PartitionMembership, type PartitionStatus } from './status';
import type { StatusThresholdOverrides } from './thresholds';
import { estimateLagSeconds, exactLagSeconds, type LagSecondsEstimate } from './time-lag';
import { followingConsumer, MINUTE, POLL_MS, pollGrid, producedOffsets, seededRandom, steadyConsumer, T0 } from './test-fixtures';
import type { StatusSample } from './window';

// The design's test scenarios (§8.6), replayed poll by poll the way the server will run the engine.

const live: PartitionMembership = { assigned: true, groupState: 'Stable', rebalancingSinceMs: null };
const empty: PartitionMembership = { assigned: false, groupState: 'Empty', rebalancingSinceMs: null };

interface World {
  hwm: readonly number[];
  committed: readonly (number | null)[];
  logStart?: (i: number) => number;
  lastStable?: (i: number) => number | null;
  membership?: (i: number) => PartitionMembership;
  thresholds?: StatusThresholdOverrides;
}

interface Tick {
  i: number;
  t: number;
  status: PartitionStatus;
  reason: string;
  complete: boolean;
  lag: number | null;
  lagSeconds: LagSecondsEstimate;
  produceRate: number | null;
  consumeRate: number | null;
  eta: number | null;
  historyReset: boolean;
}

function simulate({ hwm, committed, logStart = () => 0, lastStable = () => null, membership = () => live, thresholds }: World): Tick[] {
  const times = pollGrid(hwm.length);
  let history: HwmPoint[] = [];
  let previous: PartitionStatus | null = null;
  const samples: StatusSample[] = [];
  const ticks: Tick[] = [];
  times.forEach((t, i) => {
    const highWatermark = hwm[i] ?? 0;
    const appended = appendHwmPoint(history, { t, offset: highWatermark });
    history = appended.series;
    const members = membership(i);
    samples.push({ t, highWatermark, committed: committed[i] ?? null, logStartOffset: logStart(i), lastStableOffset: lastStable(i), groupState: members.groupState });
    const verdict = evaluatePartitionStatus({ samples, nowMs: t, membership: members, previous, thresholds });
    previous = verdict.status;
    const lag = computePartitionLag({ committed: committed[i] ?? null, highWatermark, logStartOffset: logStart(i), lastStableOffset: lastStable(i) }).lag;
    const produceRate = ratePerSecond(samples.map((sample) => ({ t: sample.t, offset: sample.highWatermark })), MINUTE, t);
    const consumeRate = ratePerSecond(samples.flatMap((sample) => (sample.committed === null ? [] : [{ t: sample.t, offset: sample.committed }])), MINUTE, t);
    ticks.push({
      i,
      t,
      ...verdict,
      lag,
      lagSeconds: estimateLagSeconds(history, committed[i] ?? null, t, { pollIntervalMs: POLL_MS }),
      produceRate,
      consumeRate,
      eta: etaToCatchUpSeconds(lag, consumeRate, produceRate),
      historyReset: appended.reset,
    });
  });
  return ticks;
}

const tick = (ticks: readonly Tick[], i: number): Tick => {
  const found = ticks[i];
  if (found === undefined) throw new Error(`no tick ${i}`);
  return found;
};
const statusesOf = (ticks: readonly Tick[]) => new Set(ticks.map((t) => t.status));
const FIRST_COMPLETE = 96; // 8 min of 5 s polls: the window is judged from here on

describe('§8.6 scenarios', () => {
  it('scenario 1: healthy consumer, steady produce with bursts → OK; lag oscillates; lag_seconds ≤ poll + commit interval', () => {
    const hwm = producedOffsets(360);
    const ticks = simulate({ hwm, committed: followingConsumer(hwm) });
    expect(statusesOf(ticks.slice(FIRST_COMPLETE))).toEqual(new Set(['OK']));
    const lags = ticks.map((t) => t.lag ?? Number.NaN);
    expect(Math.max(...lags) - Math.min(...lags)).toBeGreaterThan(500); // the bursts show
    for (const t of ticks.slice(1)) {
      expect(t.lagSeconds.method).toBe('interpolated');
      expect(t.lagSeconds.seconds).toBeLessThanOrEqual((POLL_MS + POLL_MS) / 1000);
    }
  });

  it('scenario 2: stalled member (alive, offset frozen, HWM growing) → STALL after the window; lag_seconds grows ~1 s/s', () => {
    const hwm = producedOffsets(480);
    const healthy = followingConsumer(hwm);
    const stalledAt = 240;
    const ticks = simulate({ hwm, committed: healthy.map((c, i) => (i < stalledAt ? c : (healthy[stalledAt] ?? 0))) });
    const before = ticks.slice(stalledAt, stalledAt + 120);
    expect(before.some((t) => t.status === 'STALL' || t.status === 'STOP')).toBe(false);
    const after = ticks.slice(stalledAt + 120);
    expect(statusesOf(after)).toEqual(new Set(['STALL']));
    expect(tick(ticks, stalledAt + 120).reason).toMatch(/^assigned to a live member but the committed offset has not moved in the last 10 min while [\d,]+ messages wait$/);
    const growth = (tick(ticks, stalledAt + 180).lagSeconds.seconds ?? 0) - (tick(ticks, stalledAt + 120).lagSeconds.seconds ?? 0);
    expect(growth).toBeCloseTo(300, 0);
  });

  it('scenario 3: all members gone (Empty) → STOP, and the lag is still reported', () => {
    const hwm = producedOffsets(400);
    const healthy = followingConsumer(hwm);
    const leftAt = 200;
    const ticks = simulate({
      hwm,
      committed: healthy.map((c, i) => (i < leftAt ? c : (healthy[leftAt] ?? 0))),
      membership: (i) => (i < leftAt ? live : empty),
    });
    expect(tick(ticks, leftAt + 119).status).not.toBe('STOP');
    expect(statusesOf(ticks.slice(leftAt + 120))).toEqual(new Set(['STOP']));
    expect(tick(ticks, 399).reason).toMatch(/^no consumer: the group is Empty/);
    expect(tick(ticks, 399).lag).toBeGreaterThan(tick(ticks, leftAt + 120).lag ?? Number.POSITIVE_INFINITY);
  });

  it('scenario 4: slow consumer (30 msg/s against ~60) → WARN; no ETA; lag_seconds rising', () => {
    const hwm = producedOffsets(360);
    const ticks = simulate({ hwm, committed: steadyConsumer(hwm, (hwm[0] ?? 0) - 500, 30) });
    const judged = ticks.slice(FIRST_COMPLETE);
    expect(statusesOf(judged)).toEqual(new Set(['WARN']));
    expect(tick(ticks, 300).reason).toMatch(/^falling behind: lag grew from [\d,]+ to [\d,]+ over 120 commits/);
    expect(judged.every((t) => t.eta === null)).toBe(true);
    // It reads at 30/s what was produced at ~60/s (50/s plus a 600-message burst a minute), so the age of its
    // next message grows about 0.5 s per second: ~250 s over 500 s.
    const rise = (tick(ticks, 300).lagSeconds.seconds ?? 0) - (tick(ticks, 200).lagSeconds.seconds ?? 0);
    expect(rise).toBeGreaterThan(220);
    expect(rise).toBeLessThan(280);
  });

  it('scenario 5: catching up after an outage → OK (not WARN) with a finite ETA', () => {
    const hwm = producedOffsets(300);
    const ticks = simulate({ hwm, committed: steadyConsumer(hwm, (hwm[0] ?? 0) - 200_000, 150) });
    expect(statusesOf(ticks.slice(FIRST_COMPLETE))).toEqual(new Set(['OK']));
    for (const t of ticks.slice(20)) {
      expect(t.eta).not.toBeNull();
      // Net gain is 150 − ~50 msg/s, bursts included.
      expect(t.eta).toBeGreaterThan((t.lag ?? 0) / 115);
      expect(t.eta).toBeLessThan((t.lag ?? 0) / 75);
    }
  });

  it('scenario 6: rewind to earliest via --reset-offsets → REWIND until C passes the old offset, then the normal rules', () => {
    const hwm = producedOffsets(360);
    const earliest = (hwm[0] ?? 0) - 100_000;
    const resetAt = 150;
    const healthy = followingConsumer(hwm);
    const preRewind = healthy[resetAt - 1] ?? 0;
    // The group is stopped for 20 s, reset to earliest, then restarts reading 2,000 msg/s until it is caught up.
    const committed = healthy.map((c, i) => (i < resetAt ? c : Math.min(hwm[i] ?? 0, earliest + Math.max(0, i - resetAt - 3) * 10_000)));
    const ticks = simulate({ hwm, committed, logStart: () => earliest, membership: (i) => (i >= resetAt && i < resetAt + 4 ? empty : live) });
    const recoveredAt = committed.findIndex((c, i) => i > resetAt && (c ?? 0) >= preRewind);
    expect(recoveredAt).toBeGreaterThan(resetAt + 5);
    expect(statusesOf(ticks.slice(resetAt, recoveredAt))).toEqual(new Set(['REWIND']));
    expect(tick(ticks, resetAt + 1).reason).toMatch(/\(the group was Empty, so most likely an explicit offset reset\)$/);
    expect(statusesOf(ticks.slice(recoveredAt))).toEqual(new Set(['OK']));
  });

  it('scenario 6: a short rebalance rewind that recovers → OK again from the next poll (Burrow tests #7/#15)', () => {
    const hwm = producedOffsets(240);
    const rewoundAt = 150;
    const committed = followingConsumer(hwm).map((c, i) => (i === rewoundAt ? c - 3_000 : c));
    const ticks = simulate({ hwm, committed });
    // At the rewind itself nobody can know yet that it will recover; one poll later the rule forgives it.
    expect(tick(ticks, rewoundAt).status).toBe('REWIND');
    expect(statusesOf(ticks.slice(rewoundAt + 1))).toEqual(new Set(['OK']));
  });

  it('scenario 7: idle topic, consumer caught up, no produce for longer than the window → OK, lag 0, lag_seconds 0 (not NaN)', () => {
    const hwm = Array.from({ length: 360 }, () => 5_000);
    const ticks = simulate({ hwm, committed: hwm });
    for (const t of ticks.slice(FIRST_COMPLETE)) {
      expect(t).toMatchObject({ status: 'OK', lag: 0, produceRate: 0, consumeRate: 0, eta: 0 });
      expect(t.lagSeconds).toMatchObject({ seconds: 0, method: 'caught_up' });
    }
  });

  it('scenario 8: idle topic, then one message; a live consumer that commits within grace stays OK', () => {
    const arrivesAt = 300;
    const hwm = Array.from({ length: 400 }, (_, i) => (i < arrivesAt ? 5_000 : 5_001));
    const ticks = simulate({ hwm, committed: hwm.map((_, i) => (i < arrivesAt + 6 ? 5_000 : 5_001)) });
    expect(statusesOf(ticks.slice(FIRST_COMPLETE))).toEqual(new Set(['OK']));
  });

  it('scenario 8: idle topic, then one message; a dead consumer → STOP only once the grace has passed', () => {
    const arrivesAt = 300;
    const hwm = Array.from({ length: 400 }, (_, i) => (i < arrivesAt ? 5_000 : 5_001));
    const ticks = simulate({ hwm, committed: hwm.map(() => 5_000), membership: () => empty });
    const graceInPolls = 120_000 / POLL_MS;
    expect(statusesOf(ticks.slice(FIRST_COMPLETE, arrivesAt + graceInPolls))).toEqual(new Set(['OK']));
    expect(statusesOf(ticks.slice(arrivesAt + graceInPolls))).toEqual(new Set(['STOP']));
    // 1 message, 2 min old: lag_seconds knows when it arrived.
    expect(tick(ticks, arrivesAt + graceInPolls).lagSeconds.seconds).toBeCloseTo(120, 0);
  });

  it('scenario 9: low-volume topic with infrequent commits → no false STOP, STALL or WARN', () => {
    const random = seededRandom(99);
    const hwm: number[] = [];
    let offset = 70_000;
    for (let i = 0; i < 1_440; i++) {
      if (random() < 1 / 36) offset += 1; // one message every 3 min on average, for 2 hours
      hwm.push(offset);
    }
    const commitsAfter40s = hwm.map((_, i) => hwm[Math.max(0, i - 8)] ?? 0);
    expect(statusesOf(simulate({ hwm, committed: commitsAfter40s }).slice(FIRST_COMPLETE))).toEqual(new Set(['OK']));
    // Rarer than the window: one message every 12 min, committed a minute later.
    const sparse = hwm.map((_, i) => 70_000 + Math.floor(i / 144));
    const commitsAfter60s = sparse.map((_, i) => sparse[Math.max(0, i - 12)] ?? 0);
    expect(statusesOf(simulate({ hwm: sparse, committed: commitsAfter60s }).slice(FIRST_COMPLETE))).toEqual(new Set(['OK']));
  });

  it('scenario 10: transactional topic, read_committed consumer caught up → lag 1 (the commit marker); OK with allowedLag 1', () => {
    // Records 1,000..1,009 in one transaction, its commit marker at 1,010. The consumer's position stops at 1,010.
    const offsets = { committed: 1_010, highWatermark: 1_011, logStartOffset: 0, lastStableOffset: 1_011 };
    const lag = computePartitionLag(offsets);
    expect(lag.lag).toBe(1);
    // §8.6 expects lag_committed = 0 here, but with no open transaction the LSO equals the HWM, so the §8.2
    // formula gives 1 as well. Only the marker heuristic (a raw Fetch from C, §8.2) can tell it is a marker.
    expect(lag.lagCommitted).toBe(1);
    const hwm = Array.from({ length: 200 }, () => 1_011);
    const world = { hwm, committed: hwm.map(() => 1_010), lastStable: () => 1_011 };
    expect(tick(simulate(world), 199).status).toBe('STALL'); // Burrow #570: why allowedLag exists
    expect(statusesOf(simulate({ ...world, thresholds: { allowedLag: 1 } }).slice(FIRST_COMPLETE))).toEqual(new Set(['OK']));
  });

  it('scenario 11: open long transaction → HWM − LSO > 0, lag_committed < lag, and no false STALL for the read_committed group', () => {
    const hwm = Array.from({ length: 240 }, (_, i) => 50_000 + i * 100);
    const ticks = simulate({ hwm, committed: hwm.map(() => 50_000), lastStable: () => 50_000 });
    const offsets = computePartitionLag({ committed: 50_000, highWatermark: hwm[239] ?? 0, logStartOffset: 0, lastStableOffset: 50_000 });
    expect(offsets.lag).toBe(23_900);
    expect(offsets.lagCommitted).toBe(0);
    expect(statusesOf(ticks.slice(FIRST_COMPLETE))).toEqual(new Set(['OK']));
  });

  it('scenario 13: compacted topic → lag is an upper bound; the exact fetch flags compaction', () => {
    expect(computePartitionLag({ committed: 4_000, highWatermark: 9_000, logStartOffset: 0, lastStableOffset: null, compacted: true })).toMatchObject({
      lag: 5_000,
      lagIsUpperBound: true,
    });
    const exact = exactLagSeconds(T0, T0 + 90_000, { requestedOffset: 4_000, recordOffset: 4_312 });
    expect(exact).toEqual({ seconds: 90, method: 'exact', errorBoundSeconds: 0, compactionDetected: true });
  });

  it('scenario 14: retention overtakes the consumer (C < log start) → DATA_LOSS, messages_lost = S − C, lag from S', () => {
    const hwm = producedOffsets(200);
    const logStart = (i: number) => 990_000 + i * 100; // retention deletes 100 messages per poll
    const ticks = simulate({ hwm, committed: hwm.map(() => 1_000_000), logStart, membership: () => empty });
    const lostFrom = 101; // log start passes 1,000,000 here
    expect(tick(ticks, lostFrom - 1).status).not.toBe('DATA_LOSS');
    expect(statusesOf(ticks.slice(lostFrom))).toEqual(new Set(['DATA_LOSS']));
    expect(tick(ticks, 150).reason).toBe('retention deleted 5,000 messages before the group read them (committed 1,000,000, log now starts at 1,005,000)');
    const offsets = computePartitionLag({ committed: 1_000_000, highWatermark: hwm[150] ?? 0, logStartOffset: logStart(150), lastStableOffset: null });
    expect(offsets).toMatchObject({ messagesLost: 5_000, dataLoss: true, lag: (hwm[150] ?? 0) - 1_005_000 });
  });

  it('scenario 15: assigned partition never committed → NO_COMMIT; no lag, excluded from sums', () => {
    const hwm = producedOffsets(150);
    const ticks = simulate({ hwm, committed: hwm.map(() => null) });
    expect(statusesOf(ticks)).toEqual(new Set(['NO_COMMIT']));
    const last = tick(ticks, 149);
    expect(last).toMatchObject({ lag: null, eta: null, consumeRate: null });
    expect(last.lagSeconds.seconds).toBeNull();
    expect(sumLag([last.lag, 250, 1_000])).toBe(1_250);
  });

  it('scenario 16: commit ahead of the observed HWM (race) → lag 0, lag_seconds 0, never negative', () => {
    const hwm = producedOffsets(150);
    const ticks = simulate({ hwm, committed: hwm.map((h) => h + 40) });
    for (const t of ticks) {
      expect(t.lag).toBe(0);
      expect(t.lagSeconds).toMatchObject({ seconds: 0, method: 'caught_up' });
    }
    expect(statusesOf(ticks.slice(FIRST_COMPLETE))).toEqual(new Set(['OK']));
  });

  it('scenario 17: topic deleted and recreated (HWM drops) → history reset, no negative rates, EVALUATING', () => {
    const recreatedAt = 200;
    const before = producedOffsets(recreatedAt);
    const after = producedOffsets(200, { start: 0, seed: 3 });
    const hwm = [...before, ...after];
    const healthy = followingConsumer(hwm);
    const ticks = simulate({ hwm, committed: healthy.map((c, i) => (i === recreatedAt ? 0 : c)) });
    expect(ticks.filter((t) => t.historyReset).map((t) => t.i)).toEqual([recreatedAt]);
    expect(ticks.every((t) => t.produceRate === null || t.produceRate >= 0)).toBe(true);
    expect(ticks.every((t) => t.consumeRate === null || t.consumeRate >= 0)).toBe(true);
    const chart = rateSeries(pollGrid(hwm.length).map((t, i) => ({ t, offset: hwm[i] ?? 0 })), 30_000);
    expect(chart.every((point) => point.rate === null || point.rate >= 0)).toBe(true);
    expect(statusesOf(ticks.slice(recreatedAt, recreatedAt + FIRST_COMPLETE))).toEqual(new Set(['EVALUATING']));
    expect(tick(ticks, recreatedAt).reason).toMatch(/^the high watermark dropped \(topic recreated or truncated\)/);
    expect(tick(ticks, recreatedAt + FIRST_COMPLETE).status).toBe('OK');
  });

  it('scenario 18: partition added → NO_COMMIT until the first commit', () => {
    const hwm = producedOffsets(200, { start: 0 });
    const firstCommit = 150;
    const ticks = simulate({ hwm, committed: followingConsumer(hwm).map((c, i) => (i < firstCommit ? null : c)) });
    expect(statusesOf(ticks.slice(0, firstCommit))).toEqual(new Set(['NO_COMMIT']));
    expect(tick(ticks, firstCommit).status).not.toBe('NO_COMMIT');
  });

  it('scenario 20: rebalance storm → STALL/STOP suppressed during the grace, then a group-level WARN', () => {
    const hwm = producedOffsets(480);
    const healthy = followingConsumer(hwm);
    const stormAt = 200;
    const stormStart = T0 + stormAt * POLL_MS;
    const ticks = simulate({
      hwm,
      committed: healthy.map((c, i) => (i < stormAt ? c : (healthy[stormAt] ?? 0))),
      membership: (i) =>
        i < stormAt ? live : { assigned: i % 3 === 0, groupState: i % 2 === 0 ? 'PreparingRebalance' : 'CompletingRebalance', rebalancingSinceMs: stormStart },
    });
    const storm = ticks.slice(stormAt);
    expect(storm.some((t) => t.status === 'STALL' || t.status === 'STOP')).toBe(false);
    expect(tick(ticks, stormAt + 120).reason).toMatch(/^the group has been rebalancing for 10 min and the committed offset has not moved/);
    const group = evaluateGroupStatus([tick(ticks, 479), tick(ticks, 479), { status: 'OK', complete: true }]);
    expect(group).toMatchObject({ status: 'WARN', level: 'WARN' });

    // A partition already frozen for a whole window when the rebalance begins keeps its status through the grace.
    const frozen = Array.from({ length: 140 }, (_, i) => ({ t: T0 + i * POLL_MS, highWatermark: 9_000 + i * 50, committed: 8_000, logStartOffset: 0 }));
    const nowMs = T0 + 139 * POLL_MS;
    const rebalancing = (sinceMs: number) => ({ assigned: false, groupState: 'PreparingRebalance', rebalancingSinceMs: sinceMs });
    expect(evaluatePartitionStatus({ samples: frozen, nowMs, membership: rebalancing(nowMs - 30_000), previous: 'OK' }).status).toBe('OK');
    expect(evaluatePartitionStatus({ samples: frozen, nowMs, membership: rebalancing(nowMs - 90_000), previous: 'OK' }).status).toBe('WARN');
  });

  it('scenario 21: consumer far behind the history window (new group from earliest) → a lower bound, never years', () => {
    // An hour of polls on a long-lived topic; the default history keeps 360 points, i.e. the last 30 min at 5 s.
    const hwm = producedOffsets(720, { start: 80_000_000 });
    const ticks = simulate({ hwm, committed: steadyConsumer(hwm, 0, 2_000) });
    expect(tick(ticks, 719).lagSeconds).toEqual({ seconds: 359 * 5, method: 'lower_bound', errorBoundSeconds: null });
    // KLE would extrapolate from the table's slope: 80 million offsets at ~60/s, about 15 days.
  });

  it('scenario 25: assign()-only committer (no members, group Empty) → STOP/STALL decided on C alone', () => {
    const hwm = producedOffsets(240);
    const assignOnly: PartitionMembership = { assigned: false, groupState: 'Empty', rebalancingSinceMs: null };
    const progressing = simulate({ hwm, committed: followingConsumer(hwm), membership: () => assignOnly });
    expect(statusesOf(progressing.slice(FIRST_COMPLETE))).toEqual(new Set(['OK']));
    const frozen = simulate({ hwm, committed: hwm.map(() => hwm[0] ?? 0), membership: () => assignOnly });
    expect(tick(frozen, 239).status).toBe('STOP');
  });
});
