import type { GroupPartition, GroupStatus, GroupSummary, LagSecondsMethod, TopicSummary } from '../../lib/contract';
import { etaToCatchUpSeconds } from '../../lib/lag/eta';
import { evaluateGroupStatus } from '../../lib/lag/group-status';
import { appendHwmPointInPlace, normalizeHwmSeries, resolveHwmLimits, thinHwmHistory, type HwmHistoryLimits, type HwmPoint } from '../../lib/lag/hwm-history';
import { maxKnown, minKnown, sumKnown } from '../../lib/lag/known';
import { computePartitionLag } from '../../lib/lag/offsets-lag';
import { ratePerSecond } from '../../lib/lag/rates';
import { evaluatePartitionStatus, type PartitionStatus } from '../../lib/lag/status';
import type { StatusThresholdOverrides } from '../../lib/lag/thresholds';
import { estimateLagSeconds } from '../../lib/lag/time-lag';
import type { StatusSample } from '../../lib/lag/window';
import type { TopicConfig } from '../kafka/admin';
import type { CommittedOffset, PartitionOffset } from '../kafka/offsets';

/** Rates are taken over the last minute: commits are periodic (5 s auto-commit), so shorter windows are chunky. */
const RATE_WINDOW_MS = 60_000;
/** HWM history: every poll for the last 10 minutes, one point a minute before that (memory, see bench/RESULTS.md). */
const HWM_RECENT_MS = 600_000;
const HWM_OLD_SPACING_MS = 60_000;

interface PartitionState {
  topic: string;
  partition: number;
  hwm: number | null;
  lso: number | null;
  logStart: number | null;
  observedAt: number | null;
  /** Compressed HWM history: time lag interpolates over it and produce rates read it. */
  history: HwmPoint[];
  staleSince: number | null;
  staleReason: string | null;
}

interface GroupPartitionState {
  committed: number | null;
  observedAt: number | null;
  /** Status window, thinned: a sample every windowMs/40, plus every commit that moves backwards. */
  samples: StatusSample[];
  /** Commit points for the consume rate (last few minutes). */
  commits: { t: number; offset: number }[];
  previous: PartitionStatus | null;
  staleSince: number | null;
  staleReason: string | null;
}

/**
 * The commit points plus the latest observation when the offset has not moved since the last point. Points are kept
 * only on change (and every half window), so without it a group that stopped committing would go on showing its old
 * rate for up to half a minute, next to a STOP status.
 */
function commitsUpToNow(state: Pick<GroupPartitionState, 'commits' | 'committed' | 'observedAt'>): { t: number; offset: number }[] {
  const last = state.commits[state.commits.length - 1];
  if (!last || state.committed !== last.offset || state.observedAt === null || state.observedAt <= last.t) return state.commits;
  return [...state.commits, { t: state.observedAt, offset: last.offset }];
}

export interface LagEngineOptions {
  pollIntervalMs: number;
  thresholds?: StatusThresholdOverrides;
  groupThresholds?: Record<string, StatusThresholdOverrides>;
  hwmHistoryMaxAgeMs?: number;
}

export interface GroupMembership {
  state: string;
  /** Partition key "topic/partition" → member. */
  owners: Map<string, { memberId: string; clientId: string }>;
  /** When the group entered a rebalancing state, if it is in one. */
  rebalancingSince: number | null;
}

const key = (topic: string, partition: number) => `${topic}/${partition}`;

/**
 * The per-cluster lag state: ingests the offsets each poll cycle reads, keeps the HWM history and the status windows,
 * and answers with lag in messages and seconds, rates, ETA and status per partition and group. All maths are the
 * pure functions of lib/lag; this class only keeps state and joins the pieces.
 */
export class LagEngine {
  readonly #options: LagEngineOptions;
  readonly #partitions = new Map<string, PartitionState>();
  /** group → "topic/partition" → state */
  readonly #groups = new Map<string, Map<string, GroupPartitionState>>();
  readonly #membership = new Map<string, GroupMembership>();
  #topicConfigs = new Map<string, TopicConfig>();
  #results = new Map<string, { summary: GroupSummary; partitions: GroupPartition[] }>();
  /** Produce rate per topic, computed once per evaluation and reused by the topic list. */
  #topicRates = new Map<string, number | null>();
  readonly #hwmLimits: HwmHistoryLimits;
  /** Thinning runs when a history grows past this many points, not on every append. */
  readonly #thinAbove: number;
  /** Residual lag proven (by reading it) to be only transaction markers or aborted data, per group partition and (C, H). */
  readonly #residuals = new Map<string, { committed: number; hwm: number; markerOnly: boolean }>();
  readonly #sampleSpacingMs: number;

  constructor(options: LagEngineOptions) {
    this.#options = options;
    this.#sampleSpacingMs = Math.max(options.pollIntervalMs, Math.floor((options.thresholds?.windowMs ?? 600_000) / 40));
    this.#hwmLimits = resolveHwmLimits({ maxAgeMs: options.hwmHistoryMaxAgeMs ?? 3_600_000, maxPoints: 720 });
    this.#thinAbove = Math.ceil(HWM_RECENT_MS / options.pollIntervalMs) + 40;
  }

  #partition(topic: string, partition: number): PartitionState {
    const k = key(topic, partition);
    let state = this.#partitions.get(k);
    if (!state) {
      state = { topic, partition, hwm: null, lso: null, logStart: null, observedAt: null, history: [], staleSince: null, staleReason: null };
      this.#partitions.set(k, state);
    }
    return state;
  }

  /**
   * Restores what a restart would otherwise lose, from the history store: the HWM history (time lag), the last
   * offsets, and each group partition's status window. Status and lag in seconds are then right at the first cycle.
   */
  restore(history: {
    hwm: ReadonlyMap<string, readonly { t: number; offset: number; lso: number | null }[]>;
    logStart: ReadonlyMap<string, readonly { t: number; offset: number }[]>;
    windows: ReadonlyMap<string, readonly { topic: string; partition: number; samples: readonly { t: number; committed: number; highWatermark: number | null; lastStableOffset: number | null; logStartOffset: number | null }[] }[]>;
  }): void {
    for (const [k, points] of history.hwm) {
      const slash = k.lastIndexOf('/');
      const p = this.#partition(k.slice(0, slash), Number(k.slice(slash + 1)));
      const { series } = normalizeHwmSeries(points.map(({ t, offset }) => ({ t, offset })), { maxAgeMs: this.#options.hwmHistoryMaxAgeMs ?? 3_600_000, maxPoints: 720 });
      const last = points[points.length - 1];
      p.history = series;
      p.hwm = last?.offset ?? null;
      p.lso = last?.lso ?? null;
      p.observedAt = last?.t ?? null;
    }
    for (const [k, points] of history.logStart) {
      const slash = k.lastIndexOf('/');
      const last = points[points.length - 1];
      if (last) this.#partition(k.slice(0, slash), Number(k.slice(slash + 1))).logStart = last.offset;
    }
    for (const [group, windows] of history.windows) {
      const partitions = new Map<string, GroupPartitionState>();
      for (const w of windows) {
        const samples: StatusSample[] = [];
        for (const s of w.samples) {
          if (s.highWatermark === null) continue;
          samples.push({ t: s.t, committed: s.committed, highWatermark: s.highWatermark, logStartOffset: s.logStartOffset, lastStableOffset: s.lastStableOffset });
        }
        const last = w.samples[w.samples.length - 1];
        partitions.set(key(w.topic, w.partition), {
          committed: last?.committed ?? null,
          observedAt: last?.t ?? null,
          samples,
          commits: w.samples.map((s) => ({ t: s.t, offset: s.committed })),
          previous: null,
          staleSince: null,
          staleReason: null,
        });
      }
      this.#groups.set(group, partitions);
    }
  }

  get windowMs(): number {
    return this.#options.thresholds?.windowMs ?? 600_000;
  }

  /** The status window of one group: its own override, else the cluster's. Samples are kept for this long. */
  windowMsOf(group: string): number {
    return this.#options.groupThresholds?.[group]?.windowMs ?? this.windowMs;
  }

  /** The spacing of status samples: the store rebuilds windows on this grid. */
  get sampleSpacingMs(): number {
    return this.#sampleSpacingMs;
  }

  /** High watermarks from the fast loop (and last stable offsets for transactional topics). */
  ingestHighWatermarks(offsets: readonly PartitionOffset[], lastStable: readonly PartitionOffset[] = []): void {
    for (const o of offsets) {
      const p = this.#partition(o.topic, o.partition);
      if (o.offset === null) {
        p.staleSince ??= o.observedAt;
        p.staleReason = o.error;
        continue;
      }
      p.hwm = o.offset;
      p.observedAt = o.observedAt;
      p.staleSince = null;
      p.staleReason = null;
      const appended = appendHwmPointInPlace(p.history, { t: o.observedAt, offset: o.offset }, this.#hwmLimits);
      p.history = appended.series;
      if (p.history.length > this.#thinAbove) thinHwmHistory(p.history, o.observedAt, HWM_RECENT_MS, HWM_OLD_SPACING_MS);
      if (appended.reset) this.#forgetCommitsOf(o.topic, o.partition);
    }
    for (const o of lastStable) {
      if (o.offset !== null) this.#partition(o.topic, o.partition).lso = o.offset;
    }
  }

  /** Log start offsets from the slow loop: retention moving past a group's commit is DATA_LOSS. */
  ingestLogStartOffsets(offsets: readonly PartitionOffset[]): void {
    for (const o of offsets) if (o.offset !== null) this.#partition(o.topic, o.partition).logStart = o.offset;
  }

  setTopicConfigs(configs: Map<string, TopicConfig>): void {
    this.#topicConfigs = configs;
  }

  /** Membership from the slow loop: who owns which partition, and whether the group is rebalancing. */
  setMembership(groups: readonly GroupSummary[], now: number): void {
    const seen = new Set<string>();
    for (const g of groups) {
      seen.add(g.id);
      const owners = new Map<string, { memberId: string; clientId: string }>();
      for (const m of g.members) for (const a of m.assignments) for (const p of a.partitions) owners.set(key(a.topic, p), { memberId: m.memberId, clientId: m.clientId });
      const rebalancing = /rebalance|assigning|reconciling/i.test(g.state);
      const previous = this.#membership.get(g.id);
      this.#membership.set(g.id, { state: g.state, owners, rebalancingSince: rebalancing ? (previous?.rebalancingSince ?? now) : null });
    }
    for (const id of [...this.#membership.keys()]) if (!seen.has(id)) this.#membership.delete(id);
  }

  /** Committed offsets from the fast loop; groups that could not be read keep their last values, marked stale. */
  ingestCommits(commits: readonly CommittedOffset[], failedGroups: ReadonlyMap<string, string>, now: number): void {
    for (const c of commits) {
      let partitions = this.#groups.get(c.group);
      if (!partitions) this.#groups.set(c.group, (partitions = new Map()));
      const k = key(c.topic, c.partition);
      let state = partitions.get(k);
      if (!state) {
        state = { committed: null, observedAt: null, samples: [], commits: [], previous: null, staleSince: null, staleReason: null };
        partitions.set(k, state);
      }
      const p = this.#partitions.get(k);
      state.committed = c.offset;
      state.observedAt = c.observedAt;
      state.staleSince = null;
      state.staleReason = null;
      if (c.offset !== null) {
        const last = state.commits[state.commits.length - 1];
        if (!last || last.offset !== c.offset || c.observedAt - last.t >= RATE_WINDOW_MS / 2) state.commits.push({ t: c.observedAt, offset: c.offset });
        while (state.commits.length > 2 && state.commits[0]!.t < now - 2 * RATE_WINDOW_MS) state.commits.shift();
      }
      if (p?.hwm !== null && p?.hwm !== undefined) this.#addStatusSample(state, this.windowMsOf(c.group), { t: c.observedAt, committed: c.offset, highWatermark: p.hwm, logStartOffset: p.logStart, lastStableOffset: p.lso, groupState: this.#membership.get(c.group)?.state });
    }
    for (const [group, reason] of failedGroups) {
      for (const state of this.#groups.get(group)?.values() ?? []) {
        state.staleSince ??= now;
        state.staleReason = reason;
      }
    }
  }

  /**
   * Keeps one sample per spacing plus the newest: while the newest is still within the spacing of the sample before
   * it, a new poll replaces it; once it is far enough, it stays and the new poll is appended. A commit that moves
   * backwards or appears/disappears is always kept, so REWIND and NO_COMMIT see it.
   */
  #addStatusSample(state: GroupPartitionState, windowMs: number, sample: StatusSample): void {
    const samples = state.samples;
    const last = samples[samples.length - 1];
    const anchor = samples[samples.length - 2];
    const movedBack = last !== undefined && sample.committed !== null && last.committed !== null && sample.committed < last.committed;
    const commitAppeared = last !== undefined && (last.committed === null) !== (sample.committed === null);
    if (last && anchor && !movedBack && !commitAppeared && last.t - anchor.t < this.#sampleSpacingMs) samples[samples.length - 1] = sample;
    else samples.push(sample);
    // The rules look one window back; one spacing more keeps the sample that straddles the window's start.
    const cutoff = sample.t - windowMs - this.#sampleSpacingMs;
    while (samples.length > 3 && samples[0]!.t < cutoff) samples.shift();
  }

  #forgetCommitsOf(topic: string, partition: number): void {
    const k = key(topic, partition);
    for (const partitions of this.#groups.values()) {
      const state = partitions.get(k);
      if (state) {
        state.samples = [];
        state.commits = [];
        state.previous = null;
      }
    }
  }

  /** Drops topics and groups that no longer exist (from the slow loop's metadata and group list). */
  retain(topics: ReadonlySet<string>, groups: ReadonlySet<string>): void {
    for (const [k, p] of this.#partitions) if (!topics.has(p.topic)) this.#partitions.delete(k);
    for (const [group, partitions] of this.#groups) {
      if (!groups.has(group)) {
        this.#groups.delete(group);
        continue;
      }
      for (const k of partitions.keys()) if (!this.#partitions.has(k)) partitions.delete(k);
    }
  }

  produceRate(topic: string, partition: number, now: number): number | null {
    const p = this.#partitions.get(key(topic, partition));
    return p ? ratePerSecond(p.history, RATE_WINDOW_MS, now) : null;
  }

  topicProduceRates(now: number): Map<string, number | null> {
    return this.#produceRates(now).topics;
  }

  /** Every partition's produce rate once, and their sums per topic: the cycle reads both, never recomputing one. */
  #produceRates(now: number): { partitions: Map<string, number | null>; topics: Map<string, number | null> } {
    const partitions = new Map<string, number | null>();
    const perTopic = new Map<string, (number | null)[]>();
    for (const [k, p] of this.#partitions) {
      const rate = ratePerSecond(p.history, RATE_WINDOW_MS, now);
      partitions.set(k, rate);
      const list = perTopic.get(p.topic);
      if (list) list.push(rate);
      else perTopic.set(p.topic, [rate]);
    }
    return { partitions, topics: new Map([...perTopic].map(([topic, rates]) => [topic, sumKnown(rates)])) };
  }

  partitionOffsets(topic: string, partition: number): PartitionState | undefined {
    return this.#partitions.get(key(topic, partition));
  }

  /**
   * Evaluates every group once per fast cycle (status rules keep per-partition memory, so this must not run per
   * API request) and caches the results; the API and the socket read the cache.
   */
  evaluate(groups: readonly GroupSummary[], now: number): GroupSummary[] {
    const next = new Map<string, { summary: GroupSummary; partitions: GroupPartition[] }>();
    // Once per cycle, not per group: groups × partitions would dominate the cycle at 10,000 partitions.
    const rates = this.#produceRates(now);
    const topicRates = rates.topics;
    this.#topicRates = topicRates;
    const summaries = groups.map((group) => {
      const { partitions, complete } = this.#evaluateGroup(group.id, now, rates.partitions);
      const summary = this.#summarize(group, partitions, complete, topicRates);
      next.set(group.id, { summary, partitions });
      return summary;
    });
    this.#results = next;
    return summaries;
  }

  /**
   * Partitions whose small lag has stopped moving (C and H unchanged since the previous sample) and whose residue
   * nobody has read yet: the watcher reads them once to tell transaction markers from real unread data.
   */
  residualCandidates(maxLag: number, limit: number): { group: string; topic: string; partition: number; committed: number; hwm: number }[] {
    const result: { group: string; topic: string; partition: number; committed: number; hwm: number }[] = [];
    for (const [group, partitions] of this.#groups) {
      for (const [k, g] of partitions) {
        const p = this.#partitions.get(k);
        if (!p || p.hwm === null || g.committed === null) continue;
        const lag = p.hwm - g.committed;
        if (lag < 1 || lag > maxLag) continue;
        const prev = g.samples[g.samples.length - 2];
        if (!prev || prev.committed !== g.committed || prev.highWatermark !== p.hwm) continue;
        const known = this.#residuals.get(`${group}|${k}`);
        if (known && known.committed === g.committed && known.hwm === p.hwm) continue;
        result.push({ group, topic: p.topic, partition: p.partition, committed: g.committed, hwm: p.hwm });
        if (result.length >= limit) return result;
      }
    }
    return result;
  }

  recordResidual(group: string, topic: string, partition: number, committed: number, hwm: number, markerOnly: boolean): void {
    this.#residuals.set(`${group}|${key(topic, partition)}`, { committed, hwm, markerOnly });
  }

  /** The last evaluation of one group, or undefined for an unknown group. */
  groupDetail(groupId: string): { summary: GroupSummary; partitions: GroupPartition[] } | undefined {
    return this.#results.get(groupId);
  }

  /** Every partition a group has a commit for or is assigned: what its detail view and status are made of. */
  #evaluateGroup(groupId: string, now: number, produceRates: ReadonlyMap<string, number | null>): { partitions: GroupPartition[]; complete: boolean[] } {
    const membership = this.#membership.get(groupId);
    const committed = this.#groups.get(groupId) ?? new Map<string, GroupPartitionState>();
    const keys = new Set([...committed.keys(), ...(membership?.owners.keys() ?? [])]);
    const thresholds = { ...this.#options.thresholds, ...this.#options.groupThresholds?.[groupId] };
    const result: { partition: GroupPartition; complete: boolean }[] = [];
    for (const k of keys) {
      const slash = k.lastIndexOf('/');
      const topic = k.slice(0, slash);
      const partition = Number(k.slice(slash + 1));
      const p = this.#partitions.get(k);
      const g = committed.get(k);
      const owner = membership?.owners.get(k) ?? null;
      const compacted = this.#topicConfigs.get(topic)?.compacted ?? false;
      const computed = computePartitionLag({ committed: g?.committed ?? null, highWatermark: p?.hwm ?? null, logStartOffset: p?.logStart ?? null, lastStableOffset: p?.lso ?? null, compacted });
      // Only markers (commit/abort) or aborted data left: the group has read everything it can read.
      const residual = this.#residuals.get(`${groupId}|${k}`);
      const markerOnly = residual?.markerOnly === true && residual.committed === g?.committed && residual.hwm === p?.hwm;
      const lag = markerOnly ? { ...computed, lag: 0, lagCommitted: 0 } : computed;
      const seconds = lag.noCommit
        ? { seconds: null, method: 'unknown' as const }
        : markerOnly
          ? { seconds: 0, method: 'caught_up' as const }
          : estimateLagSeconds(p?.history ?? [], Math.max(g?.committed ?? 0, p?.logStart ?? 0), now, { pollIntervalMs: this.#options.pollIntervalMs });
      const status = evaluatePartitionStatus({
        samples: g?.samples ?? [],
        nowMs: now,
        membership: { assigned: owner !== null, groupState: membership?.state ?? 'Empty', rebalancingSinceMs: membership?.rebalancingSince ?? null },
        previous: g?.previous ?? null,
        thresholds: markerOnly ? { ...thresholds, allowedLag: Math.max(thresholds.allowedLag ?? 0, computed.lag ?? 0) } : thresholds,
      });
      if (g) g.previous = status.status;
      result.push({ complete: status.complete, partition: {
        topic,
        partition,
        committed: g?.committed ?? null,
        highWatermark: p?.hwm ?? null,
        logStartOffset: p?.logStart ?? null,
        lag: lag.lag,
        lagCommitted: lag.lagCommitted,
        messagesLost: lag.messagesLost,
        lagIsUpperBound: lag.lagIsUpperBound,
        lagSeconds: seconds.seconds,
        lagSecondsMethod: seconds.method as LagSecondsMethod,
        status: status.status,
        statusReason: status.reason,
        memberId: owner?.memberId ?? null,
        clientId: owner?.clientId ?? null,
        consumeRate: g ? ratePerSecond(commitsUpToNow(g), RATE_WINDOW_MS, now) : null,
        produceRate: produceRates.get(k) ?? null,
        observedAt: g?.observedAt ?? p?.observedAt ?? null,
        staleSince: g?.staleSince ?? p?.staleSince ?? null,
        staleReason: g?.staleReason ?? p?.staleReason ?? null,
      } });
    }
    result.sort((a, b) => a.partition.topic.localeCompare(b.partition.topic) || a.partition.partition - b.partition.partition);
    return { partitions: result.map((r) => r.partition), complete: result.map((r) => r.complete) };
  }

  /** The group summary's lag fields, from its partitions. */
  #summarize(group: GroupSummary, partitions: readonly GroupPartition[], complete: readonly boolean[], topicRates: ReadonlyMap<string, number | null>): GroupSummary {
    const evaluated = evaluateGroupStatus(partitions.map((p, i) => ({ status: p.status as PartitionStatus, complete: complete[i] ?? false })));
    const worst = evaluated.status === null ? null : partitions.find((p) => p.status === evaluated.status);
    const lagSum = sumKnown(partitions.map((p) => p.lag));
    const consumeRate = sumKnown(partitions.map((p) => p.consumeRate));
    const topics = new Set(partitions.map((p) => p.topic));
    const produceRate = sumKnown([...topics].map((t) => topicRates.get(t) ?? null));
    return {
      ...group,
      topics: [...new Set([...group.topics, ...topics])].sort(),
      status: (evaluated.status ?? null) as GroupStatus | null,
      statusReason: worst?.statusReason ?? null,
      lagSum,
      lagMax: maxKnown(partitions.map((p) => p.lag)),
      lagSecondsMax: maxKnown(partitions.map((p) => p.lagSeconds)),
      etaSeconds: this.#eta(lagSum, consumeRate, produceRate),
      consumeRate,
      // The oldest: the list marks the whole group stale from the first partition that stopped answering.
      staleSince: minKnown(partitions.map((p) => p.staleSince)),
    };
  }

  /**
   * ETA to catch up. A backlog smaller than one poll's worth of consumption is what any live consumer has between
   * two polls: that group is caught up, and dividing it by a near-zero net rate would print noise like "56 min".
   */
  #eta(lag: number | null, consumeRate: number | null, produceRate: number | null): number | null {
    if (lag !== null && consumeRate !== null && lag <= Math.max(1, (consumeRate * this.#options.pollIntervalMs) / 1000)) return 0;
    return etaToCatchUpSeconds(lag, consumeRate, produceRate);
  }

  /** Topic summaries with the produce rates of the last evaluation filled in. */
  withProduceRates(topics: readonly TopicSummary[]): TopicSummary[] {
    return topics.map((t) => ({ ...t, produceRate: this.#topicRates.get(t.name) ?? null }));
  }

  /** Groups that have commits on a topic: the topic's consumers. */
  groupsReading(topic: string): string[] {
    const result: string[] = [];
    for (const [group, partitions] of this.#groups) {
      for (const k of partitions.keys()) {
        if (k.slice(0, k.lastIndexOf('/')) === topic) {
          result.push(group);
          break;
        }
      }
    }
    return result;
  }

  /** Estimated committed partitions per group: sizes the OffsetFetch chunks. */
  committedPartitionCount(group: string): number {
    return this.#groups.get(group)?.size ?? 0;
  }
}
