import type { GroupTrendsResponse, OverviewData } from '../../lib/contract';
import { sortGroups } from '../../lib/groups/sort-groups';
import { DEFAULT_TREND_OPTIONS, TrendRing, type TrendRingOptions } from '../../lib/groups/trend-ring';
import type { ClusterWatcher } from './cluster-watcher';

export interface GroupTrendsOptions extends Partial<TrendRingOptions> {
  /** Groups followed per cluster; beyond it new groups get no sparkline (≈1 KB each, so 20,000 ≈ 20 MB). */
  maxGroups?: number;
  /** Time spent reading the store per slice while seeding after a restart; the first slice runs inside the request. */
  seedBudgetMs?: number;
  log?: (line: string) => void;
  now?: () => number;
}

interface ClusterTrends {
  rings: Map<string, TrendRing>;
  /** Groups whose history has been read from the store (or that need none). */
  seeded: Set<string>;
  /** A background seeding run is scheduled. */
  seeding: boolean;
}

/**
 * Recent total lag per group for the groups list's sparklines: a bounded ring per group, fed by every watcher
 * `update` (one point per step, the last `windowMs`). After a restart the rings are empty, so the first request
 * seeds them from the history store: as many groups as fit in one budget slice (problem groups first) inside the
 * request, the rest in background slices, so thousands of groups never make the route slow.
 */
export class GroupTrends {
  readonly #options: Required<Omit<GroupTrendsOptions, 'log' | 'now'>>;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #clusters = new Map<string, ClusterTrends>();
  readonly #watchers: ReadonlyMap<string, ClusterWatcher>;
  readonly #listeners: [ClusterWatcher, (overview: OverviewData) => void][] = [];
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(watchers: ReadonlyMap<string, ClusterWatcher>, options: GroupTrendsOptions = {}) {
    this.#watchers = watchers;
    this.#options = {
      stepMs: options.stepMs ?? DEFAULT_TREND_OPTIONS.stepMs,
      windowMs: options.windowMs ?? DEFAULT_TREND_OPTIONS.windowMs,
      maxGroups: options.maxGroups ?? 20_000,
      seedBudgetMs: options.seedBudgetMs ?? 50,
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

  /** Every followed group's points, seeding from the store first when needed (bounded, see the class comment). */
  snapshot(cluster: string): GroupTrendsResponse {
    const watcher = this.#watchers.get(cluster);
    if (watcher) this.#seedSlice(cluster, watcher);
    const trends = this.#trendsOf(cluster);
    const now = this.#now();
    const fromMs = now - this.#options.windowMs;
    return {
      cluster,
      observedAt: watcher?.overview.cluster.observedAt ?? now,
      fromMs,
      stepMs: this.#options.stepMs,
      trends: [...trends.rings].map(([group, ring]) => ({ group, points: ring.points(now) })),
    };
  }

  close(): void {
    for (const [watcher, listener] of this.#listeners) watcher.off('update', listener);
    this.#listeners.length = 0;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #trendsOf(cluster: string): ClusterTrends {
    let trends = this.#clusters.get(cluster);
    if (!trends) this.#clusters.set(cluster, (trends = { rings: new Map(), seeded: new Set(), seeding: false }));
    return trends;
  }

  /**
   * Reads stored history for unseeded groups, problem groups first, for at most one budget; schedules another slice
   * when groups remain. A store error stops seeding (sparklines then start from the live points), never the request.
   */
  #seedSlice(cluster: string, watcher: ClusterWatcher): void {
    const store = watcher.store;
    const trends = this.#trendsOf(cluster);
    if (!store) return;
    const started = Date.now();
    const now = this.#now();
    const { windowMs, stepMs, seedBudgetMs } = this.#options;
    const pending = sortGroups(watcher.overview.groups.filter((g) => trends.rings.has(g.id) && !trends.seeded.has(g.id)));
    let done = 0;
    try {
      for (const group of pending) {
        if (Date.now() - started > seedBudgetMs) break;
        trends.seeded.add(group.id);
        const history = store.groupHistory(cluster, group.id, now - windowMs, now, stepMs);
        trends.rings.get(group.id)?.prepend(history.map((p) => ({ t: p.t, lag: p.lag })));
        done += 1;
      }
    } catch (err) {
      this.#log(`cluster ${cluster}: cannot seed lag trends from history (${(err as Error).message}); they start from live polls`);
      for (const group of pending) trends.seeded.add(group.id);
      return;
    }
    if (done < pending.length && !trends.seeding) {
      trends.seeding = true;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        trends.seeding = false;
        this.#seedSlice(cluster, watcher);
      }, 20);
      timer.unref();
      this.#timers.add(timer);
    }
  }
}
