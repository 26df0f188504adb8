import { GROUP_TRENDS_MAX_GROUPS, lagGrid, trendBucketStart, type GroupSummary, type GroupTrendsResponse, type OverviewData } from '../../lib/contract';
import { sortGroups, statusRank } from '../../lib/groups/sort-groups';
import { DEFAULT_TREND_OPTIONS, TrendRing, type TrendRingOptions } from '../../lib/groups/trend-ring';
import type { ClusterWatcher } from './cluster-watcher';

export interface GroupTrendsOptions extends Partial<TrendRingOptions> {
  /** Groups followed per cluster; beyond it new groups get no sparkline (≈1 KB each, so 20,000 ≈ 20 MB). */
  maxGroups?: number;
  /** Longest run of store reads while seeding after a restart (one inside a request, the rest in the background). */
  seedSliceMs?: number;
  /** Pause between background seeding slices: 10 ms every 100 ms leaves the event loop 90 % of its time. */
  seedIntervalMs?: number;
  log?: (line: string) => void;
  now?: () => number;
}

interface ClusterTrends {
  rings: Map<string, TrendRing>;
  /** Groups whose history has been read from the store (or that need none). */
  seeded: Set<string>;
  /** Groups to seed, in order from `head` (requested groups are put in front); may hold seeded or gone ones. */
  queue: string[];
  head: number;
  /** The next background seeding slice, when one is scheduled. */
  timer: NodeJS.Timeout | null;
  /** The store failed: no more seeding, the sparklines start from the live points. */
  failed: boolean;
}

/**
 * Recent total lag per group for the groups list's sparklines: a bounded ring per group, fed by every watcher
 * `update` (one point per step, the last `windowMs`). A request names the groups it draws (at most
 * {@link GROUP_TRENDS_MAX_GROUPS}) and gets their lags on a compact grid, not every followed group.
 *
 * After a restart the rings are empty, so requests seed them from the history store, gently: the requested groups
 * first, one short slice inside the request, the rest in short background slices with long pauses (problem groups
 * first), so seeding 20,000 groups never hogs the event loop. While requested groups are still unseeded the answer
 * says `seeding: true` and the client asks again a few seconds later.
 */
export class GroupTrends {
  readonly #options: Required<Omit<GroupTrendsOptions, 'log' | 'now'>>;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #clusters = new Map<string, ClusterTrends>();
  readonly #watchers: ReadonlyMap<string, ClusterWatcher>;
  readonly #listeners: [ClusterWatcher, (overview: OverviewData) => void][] = [];

  constructor(watchers: ReadonlyMap<string, ClusterWatcher>, options: GroupTrendsOptions = {}) {
    this.#watchers = watchers;
    this.#options = {
      stepMs: options.stepMs ?? DEFAULT_TREND_OPTIONS.stepMs,
      windowMs: options.windowMs ?? DEFAULT_TREND_OPTIONS.windowMs,
      maxGroups: options.maxGroups ?? 20_000,
      seedSliceMs: options.seedSliceMs ?? 10,
      seedIntervalMs: options.seedIntervalMs ?? 100,
    };
    this.#log = options.log ?? (() => undefined);
    this.#now = options.now ?? Date.now;
    for (const [id, watcher] of watchers) {
      const listener = (overview: OverviewData) => this.record(id, overview);
      watcher.on('update', listener);
      this.#listeners.push([watcher, listener]);
    }
  }

  /** One poll's figures: a point per group (when the cluster answered), and groups that disappeared forgotten. */
  record(cluster: string, overview: OverviewData): void {
    const trends = this.#trendsOf(cluster);
    const observedAt = overview.cluster.observedAt;
    // An unreachable cluster repeats its last figures; adding them as new points would draw a flat line that never was.
    if (overview.cluster.state !== 'ok' || observedAt === null) return;
    const present = new Set<string>();
    for (const group of overview.groups) {
      present.add(group.id);
      let ring = trends.rings.get(group.id);
      if (!ring) {
        if (trends.rings.size >= this.#options.maxGroups) continue;
        ring = new TrendRing(this.#options);
        trends.rings.set(group.id, ring);
      }
      ring.add(observedAt, group.lagSum);
    }
    for (const id of trends.rings.keys()) {
      if (!present.has(id)) {
        trends.rings.delete(id);
        trends.seeded.delete(id);
      }
    }
  }

  /**
   * The lag grid of the named groups (those followed, in the order asked), or without names of the first
   * {@link GROUP_TRENDS_MAX_GROUPS} followed groups in problem order. Seeds from the store first (see the class comment).
   */
  snapshot(cluster: string, groups: readonly string[] | null = null): GroupTrendsResponse {
    const watcher = this.#watchers.get(cluster);
    const trends = this.#trendsOf(cluster);
    let selected: string[];
    let truncated = false;
    if (groups) {
      selected = groups.filter((g) => trends.rings.has(g)).slice(0, GROUP_TRENDS_MAX_GROUPS);
    } else {
      const followed = sortGroups((watcher?.overview.groups ?? []).filter((g) => trends.rings.has(g.id)));
      truncated = followed.length > GROUP_TRENDS_MAX_GROUPS;
      selected = followed.slice(0, GROUP_TRENDS_MAX_GROUPS).map((g) => g.id);
    }
    if (watcher) this.#seedSlice(cluster, watcher, selected);
    const now = this.#now();
    const { stepMs, windowMs } = this.#options;
    const fromMs = trendBucketStart(now - windowMs, stepMs);
    const slots = Math.floor((trendBucketStart(now, stepMs) - fromMs) / stepMs) + 1;
    // Polls further apart than a step leave empty buckets between them: drawn as a line, not as "unknown".
    const maxGapMs = 2 * (watcher?.overview.cluster.pollIntervalMs ?? 0) + stepMs;
    return {
      cluster,
      observedAt: watcher?.overview.cluster.observedAt ?? now,
      fromMs,
      stepMs,
      trends: selected.map((group) => ({ group, lags: lagGrid(trends.rings.get(group)?.points(now) ?? [], fromMs, stepMs, slots, maxGapMs) })),
      truncated,
      seeding: this.#canSeed(trends, watcher) && selected.some((g) => trends.rings.has(g) && !trends.seeded.has(g)),
    };
  }

  close(): void {
    for (const [watcher, listener] of this.#listeners) watcher.off('update', listener);
    this.#listeners.length = 0;
    for (const trends of this.#clusters.values()) {
      if (trends.timer) clearTimeout(trends.timer);
      trends.timer = null;
    }
  }

  #trendsOf(cluster: string): ClusterTrends {
    let trends = this.#clusters.get(cluster);
    if (!trends) this.#clusters.set(cluster, (trends = { rings: new Map(), seeded: new Set(), queue: [], head: 0, timer: null, failed: false }));
    return trends;
  }

  #canSeed(trends: ClusterTrends, watcher: ClusterWatcher | undefined): boolean {
    return !trends.failed && watcher?.store != null;
  }

  /**
   * Reads stored history for unseeded groups (the requested ones first, then problem groups first) for at most one
   * slice, and schedules the next slice after a pause while groups remain. A store error stops seeding for good
   * (sparklines then start from the live points), never the request.
   */
  #seedSlice(cluster: string, watcher: ClusterWatcher, requested: readonly string[] = []): void {
    const trends = this.#trendsOf(cluster);
    const store = watcher.store;
    if (!store || !this.#canSeed(trends, watcher)) return;
    const wanted = (id: string) => trends.rings.has(id) && !trends.seeded.has(id);
    const front = requested.filter(wanted);
    if (front.length > 0) {
      trends.queue = [...front, ...trends.queue.slice(trends.head)];
      trends.head = 0;
    }
    const { windowMs, stepMs, seedSliceMs } = this.#options;
    const started = performance.now();
    const now = this.#now();
    let rebuilt = false;
    let done = 0;
    try {
      for (;;) {
        if (trends.head >= trends.queue.length) {
          // Once per slice at most: a full pass finds the groups that appeared (or were followed) since the last one.
          if (rebuilt) break;
          rebuilt = true;
          trends.queue = problemsFirst(watcher.overview.groups.filter((g) => wanted(g.id)));
          trends.head = 0;
          if (trends.queue.length === 0) break;
        }
        if (done > 0 && performance.now() - started >= seedSliceMs) break;
        const id = trends.queue[trends.head++]!;
        if (!wanted(id)) continue;
        trends.seeded.add(id);
        const history = store.groupHistory(cluster, id, now - windowMs, now, stepMs);
        trends.rings.get(id)?.prepend(history.map((p) => ({ t: p.t, lag: p.lag })));
        done += 1;
      }
    } catch (err) {
      this.#log(`cluster ${cluster}: cannot seed lag trends from history (${(err as Error).message}); they start from live polls`);
      trends.failed = true;
      trends.queue = [];
      trends.head = 0;
      return;
    }
    if (trends.head < trends.queue.length && !trends.timer) {
      const timer = setTimeout(() => {
        trends.timer = null;
        this.#seedSlice(cluster, watcher);
      }, this.#options.seedIntervalMs);
      timer.unref();
      trends.timer = timer;
    }
  }
}

/** Group ids by status rank only (a stable partition, linear: a full sort of 20,000 groups would not fit a slice). */
function problemsFirst(groups: readonly GroupSummary[]): string[] {
  const ranks: string[][] = [[], [], [], [], []];
  for (const g of groups) ranks[statusRank(g.status)]!.push(g.id);
  return ranks.flat();
}
