import { formatDuration } from '../format';
import { finiteOrNull } from './known';
import { computePartitionLag } from './offsets-lag';
import { resolveThresholds, type StatusThresholdOverrides, type StatusThresholds } from './thresholds';
import { selectWindow, type StatusSample, type StatusWindow } from './window';

export type PartitionStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND' | 'DATA_LOSS' | 'NO_COMMIT' | 'EVALUATING';

export const PARTITION_STATUSES: readonly PartitionStatus[] = ['OK', 'WARN', 'STALL', 'STOP', 'REWIND', 'DATA_LOSS', 'NO_COMMIT', 'EVALUATING'];

export interface PartitionMembership {
  /** A live member currently owns this partition. */
  assigned: boolean;
  /** Broker-reported state: Stable, Empty, Dead, PreparingRebalance, CompletingRebalance, or KIP-848 Assigning/Reconciling. */
  groupState: string;
  /** When the current rebalance began; null when not rebalancing. For a rebalance storm pass when the storm began. */
  rebalancingSinceMs: number | null;
}

export interface PartitionStatusInput {
  /** Oldest first. May reach back further than the window; older samples are ignored. */
  samples: readonly StatusSample[];
  nowMs: number;
  membership: PartitionMembership;
  /** The status from the previous evaluation, kept while a rebalance is inside its grace period. */
  previous: PartitionStatus | null;
  thresholds?: StatusThresholdOverrides;
}

export interface PartitionStatusResult {
  status: PartitionStatus;
  /** One sentence for people: what we saw, with numbers. */
  reason: string;
  /** The window held enough samples over enough time to be judged. */
  complete: boolean;
}

const NO_CONSUMER_STATES = new Set(['empty', 'dead']);
const REBALANCING_STATES = new Set(['preparingrebalance', 'completingrebalance', 'assigning', 'reconciling']);
const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Status of one (group, partition) from the window of samples, per design §8.4, in this order:
 * 0. no commit → NO_COMMIT; committed below the log start → DATA_LOSS. Both are facts about the newest sample, so
 *    they are reported even while the window is still filling.
 * -. window incomplete (too few samples, too short, or restarted by a topic recreation) → EVALUATING.
 * 1. lag now ≤ allowedLag → OK.
 * 2. committed offset frozen for the whole window and not caught up at any sample in the last graceMs →
 *    STOP (no consumer) or STALL (a live member owns it); while the group rebalances, the previous status is kept
 *    for rebalanceGraceMs, then WARN.
 * 3. the committed offset went back and has not returned → REWIND.
 * 4. caught up at any sample in the window → OK.
 * 5. lag never shrank between commit points and grew overall → WARN.
 * Otherwise OK.
 *
 * Deviations, because §8.4 is self-contradictory or silent here:
 * - Rule 2 as written requires lag > allowedLag at every sample *and* no caught-up sample in the grace period; the
 *   first implies the second, which would make the grace period dead and delay STOP on an idle topic by a whole
 *   window (§8.6 #8 says "STOP only after grace"). We read "every sample" as every sample within the grace period,
 *   which is Burrow's rule: STOP even if lag was 0 earlier in the window (Burrow test #2), unless it was 0 recently
 *   (Burrow #338).
 * - When the LSO is known, lag is judged against it (max(0, LSO − C)): a read_committed group waiting at the LSO of
 *   an open transaction is not stalled (§8.6 #11). The displayed lag stays H − C.
 * - WARN needs two commit points and real growth: a lag that stays exactly level is not "falling behind".
 * - After the rebalance grace the partition is WARN, not STOP/STALL: the cause is the rebalance (§8.6 #20).
 */
export function evaluatePartitionStatus(input: PartitionStatusInput): PartitionStatusResult {
  const thresholds = resolveThresholds(input.thresholds);
  const { nowMs, membership, previous } = input;
  const window = selectWindow(input.samples, nowMs, thresholds);
  const verdict = (status: PartitionStatus, reason: string): PartitionStatusResult => ({ status, reason, complete: window.complete });
  const allowed = thresholds.allowedLag;

  const latest = window.samples.at(-1);
  if (latest === undefined) return verdict('EVALUATING', `no samples in the last ${duration(thresholds.windowMs)}`);
  const latestOffsets = computePartitionLag(offsetsOf(latest));
  if (latestOffsets.noCommit) {
    return verdict('NO_COMMIT', `${membership.assigned ? 'assigned, but the' : 'the'} group has never committed an offset for this partition`);
  }
  if (latestOffsets.dataLoss) {
    return verdict(
      'DATA_LOSS',
      `retention deleted ${count(latestOffsets.messagesLost)} messages before the group read them ` +
        `(committed ${count(latest.committed)}, log now starts at ${count(latest.logStartOffset)})`,
    );
  }
  if (!window.complete) return verdict('EVALUATING', evaluatingReason(window, thresholds));

  const lags = window.samples.map(judgedLag);
  const lagNow = judgedLag(latest) ?? 0;
  if (lagNow <= allowed) return verdict('OK', lagNow === 0 ? 'caught up' : `lag ${count(lagNow)} is within the allowed lag of ${count(allowed)}`);

  const frozen = window.samples.every((sample) => sample.committed === latest.committed);
  const caughtUpRecently = window.samples.some((sample, i) => sample.t >= nowMs - thresholds.graceMs && isWithin(lags[i], allowed));
  if (frozen && !caughtUpRecently) {
    const oldest = window.samples[0]?.t ?? nowMs;
    const waiting = `the committed offset has not moved in the last ${duration(nowMs - oldest)} while ${count(lagNow)} messages wait`;
    const { status, reason } = notProgressing(waiting, membership, previous, nowMs, thresholds);
    return verdict(status, reason);
  }

  const rewind = findUnrecoveredRewind(window.samples);
  if (rewind !== null) {
    const states = [rewind.at.groupState, rewind.before.groupState].filter((state) => state !== undefined);
    const wasEmpty = (states.length > 0 ? states : [membership.groupState]).some((state) => state.toLowerCase() === 'empty');
    return verdict(
      'REWIND',
      `the committed offset went back from ${count(rewind.from)} to ${count(rewind.to)} and has not returned to ${count(rewind.from)} yet` +
        (wasEmpty ? ' (the group was Empty, so most likely an explicit offset reset)' : ''),
    );
  }

  if (lags.some((lag) => isWithin(lag, allowed))) {
    return verdict('OK', `lag is ${count(lagNow)}, but the group was caught up within the last ${duration(thresholds.windowMs)}`);
  }

  const trend = lagsAtCommitPoints(window.samples, lags);
  if (isFallingBehind(trend)) {
    const [first, last] = [count(trend[0] ?? null), count(trend.at(-1) ?? null)];
    return verdict('WARN', `falling behind: lag grew from ${first} to ${last} over ${trend.length} commits without ever shrinking`);
  }
  if (trend.length < 2) return verdict('OK', `lag ${count(lagNow)}; too few commits in the window to see a trend`);
  return verdict('OK', `consuming; lag ${count(lagNow)} is not steadily growing`);
}

type Verdict = Pick<PartitionStatusResult, 'status' | 'reason'>;

/** Rule 2: the offset is frozen and the group was not caught up recently. Membership decides who is to blame. */
function notProgressing(
  waiting: string,
  { assigned, groupState, rebalancingSinceMs }: PartitionMembership,
  previous: PartitionStatus | null,
  nowMs: number,
  { rebalanceGraceMs }: StatusThresholds,
): Verdict {
  const since = finiteOrNull(rebalancingSinceMs);
  if (since !== null || REBALANCING_STATES.has(groupState.toLowerCase())) {
    // A rebalance pauses every member, so frozen offsets say nothing about the consumer yet.
    const rebalancingMs = Math.max(0, nowMs - (since ?? nowMs));
    if (rebalancingMs < rebalanceGraceMs) {
      // NO_COMMIT and DATA_LOSS are re-decided on every sample, so they cannot be carried over; nor can "nothing yet".
      const kept = previous === null || previous === 'NO_COMMIT' || previous === 'DATA_LOSS' ? 'EVALUATING' : previous;
      const progress = `${duration(rebalancingMs)} of a ${duration(rebalanceGraceMs)} grace`;
      return { status: kept, reason: `the group is rebalancing (${progress}) and ${waiting}; keeping the previous status` };
    }
    return { status: 'WARN', reason: `the group has been rebalancing for ${duration(rebalancingMs)} and ${waiting}` };
  }
  if (NO_CONSUMER_STATES.has(groupState.toLowerCase())) return { status: 'STOP', reason: `no consumer: the group is ${groupState} and ${waiting}` };
  if (!assigned) return { status: 'STOP', reason: `no consumer: no member is assigned this partition and ${waiting}` };
  return { status: 'STALL', reason: `assigned to a live member but ${waiting}` };
}

function offsetsOf(sample: StatusSample) {
  return {
    committed: sample.committed,
    highWatermark: sample.highWatermark,
    logStartOffset: sample.logStartOffset,
    lastStableOffset: sample.lastStableOffset ?? null,
  };
}

/** Lag the status rules judge: against the LSO when known (what a read_committed consumer can read), else the HWM. */
function judgedLag(sample: StatusSample): number | null {
  const { lag, lagCommitted } = computePartitionLag(offsetsOf(sample));
  return lagCommitted ?? lag;
}

function isWithin(lag: number | null | undefined, allowed: number): boolean {
  return lag !== null && lag !== undefined && lag <= allowed;
}

/** Burrow's rule: the first step back counts, and is forgiven once a later commit reaches where it was before. */
function findUnrecoveredRewind(samples: readonly StatusSample[]): { from: number; to: number; at: StatusSample; before: StatusSample } | null {
  const committed = samples.filter((sample): sample is StatusSample & { committed: number } => sample.committed !== null);
  for (let i = 1; i < committed.length; i++) {
    const before = committed[i - 1];
    const at = committed[i];
    if (before === undefined || at === undefined || at.committed >= before.committed) continue;
    const recovered = committed.slice(i + 1).some((later) => later.committed >= before.committed);
    return recovered ? null : { from: before.committed, to: at.committed, at, before };
  }
  return null;
}

/**
 * We cannot see commits, only their values at poll times, so a "commit point" is a sample whose committed offset
 * differs from the previous sample's. Lag at those points is what Burrow's WARN rule compares.
 */
function lagsAtCommitPoints(samples: readonly StatusSample[], lags: readonly (number | null)[]): number[] {
  const points: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const previous = samples[i - 1]?.committed;
    const current = samples[i]?.committed;
    const lag = lags[i];
    if (previous === null || previous === undefined || current === null || current === undefined || current === previous) continue;
    if (lag !== null && lag !== undefined) points.push(lag);
  }
  return points;
}

/** Never shrank between commit points, and grew overall: a level lag is steady state, not falling behind. */
function isFallingBehind(trend: readonly number[]): boolean {
  const first = trend[0];
  const last = trend.at(-1);
  if (trend.length < 2 || first === undefined || last === undefined || last <= first) return false;
  return trend.every((lag, i) => i === 0 || lag >= (trend[i - 1] ?? lag));
}

function evaluatingReason(window: StatusWindow, { windowMs, minSamples, completeFraction }: StatusThresholds): string {
  const needed = `need at least ${minSamples} samples spanning ${duration(windowMs * completeFraction)}`;
  const have = `${window.samples.length} sample${window.samples.length === 1 ? '' : 's'} over ${duration(window.spanMs)}`;
  if (window.restartedBy === 'offset_dropped') {
    return `the high watermark dropped (topic recreated or truncated), so history restarted: ${have}; ${needed}`;
  }
  if (window.restartedBy === 'time_not_increasing') return `the clock went backwards, so history restarted: ${have}; ${needed}`;
  return `collecting history: ${have}; ${needed}`;
}

function duration(ms: number): string {
  return formatDuration(Math.max(0, ms) / 1000);
}

function count(value: number | null): string {
  return value === null ? '?' : counts.format(value);
}
