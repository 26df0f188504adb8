import type { GroupSummary, NodeHealth, TopologyEdge, TopologyNode } from '../../lib/contract';
import { evaluateGroupStatus } from '../../lib/lag/group-status';
import { lastAtOrBefore, worstLagSecondsAt, type PartitionOffsetHistory } from '../../lib/lag/past-lag-seconds';
import { evaluatePartitionStatus, type PartitionStatusResult } from '../../lib/lag/status';
import { resolveThresholds, type StatusThresholdOverrides } from '../../lib/lag/thresholds';
import type { StatusSample } from '../../lib/lag/window';
import type { HistoryStore, HwmPoint, WindowSample } from '../store';

/** Time lag looks this far back for the HWM, as the group history chart does. */
const HWM_LOOKBACK_MS = 3_600_000;
/**
 * The HWM is first read this far back only: enough when the partition was caught up at `at` or the HWM passed the
 * commit within it, which gives the same estimate as the full hour (see hwmForLagSeconds); an hour of a busy
 * partition is ~720 points, five minutes ~60.
 */
const HWM_FIRST_READ_MS = 300_000;
/** A past graph's lag is the group history chart's reading at `at` with this step (the chart's default step). */
const PAST_LAG_STEP_MS = 10_000;

/** Health of every group in the watcher's current overview, by group id: what the live graph shows. */
export function liveGroupHealth(groups: readonly GroupSummary[]): Map<string, NodeHealth> {
  return new Map(groups.map((g) => [g.id, { status: g.status, statusReason: g.statusReason ?? null, lag: g.lagSum, lagSeconds: g.lagSecondsMax }]));
}

/** The nodes with `health` set on consumer-group nodes (by group id = node name); other nodes keep theirs (null). */
export function withGroupHealth(nodes: readonly TopologyNode[], healthOf: (group: string) => NodeHealth | null): TopologyNode[] {
  return nodes.map((n) => (n.kind === 'consumerGroup' ? { ...n, health: healthOf(n.name) } : n));
}

/**
 * Topics each group had live members assigned at the graph's moment: its consumes edges whose group-assignment
 * evidence was seen within `liveMs` of `at`. History keeps no membership, so this is what tells STALL (a member
 * owns the partition) from STOP (no consumer) in a past status.
 */
export function assignedTopicsAt(nodes: readonly TopologyNode[], edges: readonly TopologyEdge[], at: number, liveMs: number): Map<string, Set<string>> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const assigned = new Map<string, Set<string>>();
  for (const n of nodes) if (n.kind === 'consumerGroup') assigned.set(n.name, new Set());
  for (const e of edges) {
    if (e.kind !== 'consumes') continue;
    const topic = byId.get(e.from);
    const group = byId.get(e.to);
    if (topic?.kind !== 'topic' || group?.kind !== 'consumerGroup') continue;
    if (e.evidence.some((x) => x.source === 'observed.groupAssignment' && x.lastSeen >= at - liveMs)) assigned.get(group.name)?.add(topic.name);
  }
  return assigned;
}

export interface PastHealthOptions {
  store: HistoryStore;
  cluster: string;
  pollIntervalMs: number;
  /** Spacing of the status samples the poller keeps (LagEngine.sampleSpacingMs): the window is rebuilt on it. */
  gridMs: number;
  /** The status thresholds the poller applies to a group, its window included. */
  thresholdsOf: (group: string) => StatusThresholdOverrides;
}

/**
 * Each group's health at a past moment `at`, from the history store:
 * - lag: the group history chart's summed lag at `at` (store.groupHistory over one step ending there);
 * - lagSeconds: the worst partition's estimate at `at`, computed as the chart computes it (worstLagSecondsAt);
 * - status: the poller's rules (evaluatePartitionStatus, evaluateGroupStatus) over the stored window ending at
 *   `at`, rebuilt on the poller's sample grid. Membership is not stored: a partition counts as assigned when its
 *   topic had a live group assignment at `at` (assignedTopics), the group as Stable when any topic had one and as
 *   Empty otherwise, never as rebalancing; and there is no earlier verdict to carry through a rebalance.
 * A group the store knows nothing about at `at` gets null.
 */
export function pastGroupHealth(options: PastHealthOptions, assignedTopics: ReadonlyMap<string, ReadonlySet<string>>, at: number): Map<string, NodeHealth | null> {
  const { store, cluster } = options;
  const recent = new Map<string, HwmPoint[]>();
  const full = new Map<string, HwmPoint[]>();
  const read = (cache: Map<string, HwmPoint[]>, lookbackMs: number, topic: string, partition: number): HwmPoint[] => {
    const key = `${topic}/${partition}`;
    let points = cache.get(key);
    if (!points) cache.set(key, (points = store.hwmHistory(cluster, topic, partition, at - lookbackMs, at)));
    return points;
  };
  const hwmOf = (topic: string, partition: number, committed: number | null): HwmPoint[] => {
    const short = read(recent, HWM_FIRST_READ_MS, topic, partition);
    return shortReadSuffices(short, committed, at) ? short : read(full, HWM_LOOKBACK_MS, topic, partition);
  };
  const result = new Map<string, NodeHealth | null>();
  for (const [group, topics] of assignedTopics) {
    const thresholds = options.thresholdsOf(group);
    const lag = store.groupHistory(cluster, group, at, at, PAST_LAG_STEP_MS)[0]?.lag ?? null;
    // No grid from the store: it would lay one up to now. The grid is laid up to `at` below.
    const windows = store.windowFor(cluster, group, at - resolveThresholds(thresholds).windowMs, undefined, at);
    const verdicts: PartitionStatusResult[] = [];
    const histories: PartitionOffsetHistory[] = [];
    for (const w of windows) {
      const samples = statusSamplesAt(w.samples, at, options.gridMs);
      if (samples.length === 0) continue; // the group had not committed here by `at`
      verdicts.push(
        evaluatePartitionStatus({
          samples,
          nowMs: at,
          membership: { assigned: topics.has(w.topic), groupState: topics.size > 0 ? 'Stable' : 'Empty', rebalancingSinceMs: null },
          previous: null,
          thresholds,
        }),
      );
      const commits = w.samples.map((s) => ({ t: s.t, offset: s.committed }));
      const committedAt = lastAtOrBefore(commits, at);
      histories.push({ hwm: hwmOf(w.topic, w.partition, committedAt), commits });
    }
    if (verdicts.length === 0 && lag === null) {
      result.set(group, null);
      continue;
    }
    const evaluated = evaluateGroupStatus(verdicts);
    result.set(group, {
      status: evaluated.status,
      statusReason: verdicts.find((v) => v.status === evaluated.status)?.reason ?? null,
      lag,
      lagSeconds: worstLagSecondsAt(histories, at, { pollIntervalMs: options.pollIntervalMs }),
    });
  }
  return result;
}

/**
 * Whether the HWM points read from a few minutes before `at` give the same lag-seconds estimate at `at` as an
 * hour of them (estimateLagSeconds): yes when the commit was at or past the newest HWM (caught up, 0 s), or when
 * the HWM reached committed + 1 after the oldest point read (the interpolation brackets lie inside the short read,
 * and a shorter history only shortens the trailing run before them). No when the commit is older than the whole
 * short read: only the longer history can place it (or bound it).
 */
function shortReadSuffices(points: readonly HwmPoint[], committed: number | null, at: number): boolean {
  if (committed === null) return true;
  let oldest: HwmPoint | undefined;
  let newest: HwmPoint | undefined;
  for (const p of points) {
    if (p.t > at) break;
    oldest ??= p;
    newest = p;
  }
  // Nothing at or before `at`: the read starts with the newest row before its start, so none exists at all.
  if (!oldest || !newest) return true;
  return committed >= newest.offset || oldest.offset < committed + 1;
}

/**
 * The status samples a poller would have held at `at`, from a stored window (a sample at every change, oldest
 * first): the samples up to `at`, plus one every `gridMs` from the first, and one at `at` itself when the series
 * went on past it (the poller saw the values hold until then). Samples without a known HWM are left out, as the
 * poller's restore leaves them out.
 */
export function statusSamplesAt(samples: readonly WindowSample[], at: number, gridMs: number): StatusSample[] {
  let count = 0;
  while (count < samples.length && samples[count]!.t <= at) count += 1;
  const first = samples[0];
  if (count === 0 || !first) return [];
  const end = count < samples.length ? at : samples[count - 1]!.t;
  const step = gridMs > 0 ? gridMs : Number.POSITIVE_INFINITY;
  const out: StatusSample[] = [];
  const push = (t: number, s: WindowSample) => {
    if (s.highWatermark !== null) out.push({ t, committed: s.committed, highWatermark: s.highWatermark, logStartOffset: s.logStartOffset, lastStableOffset: s.lastStableOffset });
  };
  let current = first;
  let gridT = first.t + step;
  for (let i = 0; i < count; i += 1) {
    const s = samples[i]!;
    for (; gridT < s.t; gridT += step) push(gridT, current);
    if (gridT === s.t) gridT += step;
    push(s.t, s);
    current = s;
  }
  for (; gridT < end; gridT += step) push(gridT, current);
  if (end > current.t) push(end, current);
  return out;
}
