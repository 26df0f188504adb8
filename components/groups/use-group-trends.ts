'use client';
import { useEffect, useReducer, useRef } from 'react';
import { GROUP_TRENDS_MAX_GROUPS, groupTrendsFilterParam, groupTrendsResponseSchema, lagGridPoints, type GroupTrendsResponse, type OverviewData } from '../../lib/contract';
import { DEFAULT_TREND_OPTIONS, TrendRing } from '../../lib/groups/trend-ring';

export interface GroupTrendsView {
  /** The ring of a group; undefined before its first point. Read it during render: it changes in place. */
  ringOf(group: string): TrendRing | undefined;
  windowMs: number;
}

/** Longest `groups` query value per request: Node refuses request heads over 16 KB. */
const MAX_QUERY_CHARS = 8_000;
/** How long newly drawn rows wait before their history is asked for, so typing in the filter sends one request. */
const FETCH_DELAY_MS = 250;
/** While the server is still seeding after a restart: ask again after this long, at most this many times. */
const SEEDING_RETRY_MS = 3_000;
const SEEDING_RETRIES = 4;

/**
 * The requests for these groups' history: at most {@link GROUP_TRENDS_MAX_GROUPS} names and about
 * {@link MAX_QUERY_CHARS} characters of query each, in order.
 */
export function trendRequestBatches(groups: readonly string[], maxChars = MAX_QUERY_CHARS): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let chars = 0;
  for (const group of groups) {
    const size = groupTrendsFilterParam([group]).length + 3; // the encoded comma
    if (batch.length > 0 && (batch.length >= GROUP_TRENDS_MAX_GROUPS || chars + size > maxChars)) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(group);
    chars += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** Appends one observation's lags (when the cluster answered) and forgets the rings of groups that disappeared. */
export function appendLive(rings: Map<string, TrendRing>, data: OverviewData): boolean {
  const observedAt = data.cluster.observedAt;
  if (observedAt === null || data.cluster.state !== 'ok') return false;
  const present = new Set<string>();
  for (const g of data.groups) {
    present.add(g.id);
    let ring = rings.get(g.id);
    if (!ring) rings.set(g.id, (ring = new TrendRing()));
    ring.add(observedAt, g.lagSum);
  }
  for (const id of rings.keys()) if (!present.has(id)) rings.delete(id);
  return true;
}

/** What the hook keeps per cluster: the rings, the groups whose history was asked for, the last observation appended. */
export interface TrendsState {
  cluster: string;
  rings: Map<string, TrendRing>;
  asked: Set<string>;
  appendedAt: number | null;
}

/**
 * Appends an overview's figures unless this observation was appended already (React may render the same overview
 * twice, or throw a render away and redo it): each live tick lands exactly once. A group that went away is
 * forgotten, and its history asked for again if it comes back.
 */
export function appendObservation(state: TrendsState, data: OverviewData): void {
  const observedAt = data.cluster.observedAt;
  if (observedAt === null || state.appendedAt === observedAt) return;
  state.appendedAt = observedAt;
  if (appendLive(state.rings, data)) for (const id of state.asked) if (!state.rings.has(id)) state.asked.delete(id);
}

/** Fills the rings in with a `group-trends` answer: its points older than what a ring holds (the live ones win). */
export function prependHistory(rings: Map<string, TrendRing>, body: GroupTrendsResponse): void {
  for (const trend of body.trends) {
    const points = lagGridPoints(body.fromMs, body.stepMs, trend.lags);
    if (points.length === 0) continue;
    let ring = rings.get(trend.group);
    if (!ring) rings.set(trend.group, (ring = new TrendRing({ stepMs: body.stepMs, windowMs: DEFAULT_TREND_OPTIONS.windowMs })));
    ring.prepend(points);
  }
}

/**
 * The sparklines' data. Every live overview update is appended to a ring per group, once per observation (a ref keyed
 * by `observedAt`, so a render React repeats or throws away never appends twice), before the rows draw, so a row ends
 * in the point of the figures next to it. The history before this page opened is asked for only for the groups the
 * list draws (`visible`, in its order): once per group, in requests of at most 500, again a few times while the
 * server is still reading it from its store after a restart. The rings mutate in place; the list re-renders on every
 * overview update anyway, and once more when fetched history lands.
 */
export function useGroupTrends(cluster: string, data: OverviewData | null, visible: readonly string[]): GroupTrendsView {
  const state = useRef<TrendsState | null>(null);
  if (state.current === null || state.current.cluster !== cluster) state.current = { cluster, rings: new Map(), asked: new Set(), appendedAt: null };
  const current = state.current;
  const [, setLoaded] = useReducer((n: number) => n + 1, 0);

  const observedAt = data?.cluster.observedAt ?? null;
  if (data) appendObservation(current, data);

  // In-flight requests and pending retries, cancelled when the page (or cluster) goes.
  const pending = useRef<{ controllers: Set<AbortController>; timers: Set<ReturnType<typeof setTimeout>> }>({ controllers: new Set(), timers: new Set() });
  useEffect(() => {
    const { controllers, timers } = pending.current;
    return () => {
      for (const c of controllers) c.abort();
      for (const t of timers) clearTimeout(t);
      controllers.clear();
      timers.clear();
    };
  }, [cluster]);

  const canFetch = observedAt !== null;
  useEffect(() => {
    if (!canFetch) return;
    const { controllers, timers } = pending.current;
    const load = async (groups: string[], retriesLeft: number) => {
      const controller = new AbortController();
      controllers.add(controller);
      try {
        const res = await fetch(`/api/clusters/${encodeURIComponent(cluster)}/group-trends?groups=${groupTrendsFilterParam(groups)}`, { signal: controller.signal });
        if (!res.ok) return;
        const body = groupTrendsResponseSchema.parse(await res.json());
        if (state.current !== current) return;
        prependHistory(current.rings, body);
        setLoaded();
        if (body.seeding && retriesLeft > 0) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            const still = groups.filter((g) => current.asked.has(g));
            if (still.length > 0) void load(still, retriesLeft - 1);
          }, SEEDING_RETRY_MS);
          timers.add(timer);
        }
      } catch {
        // No history: the sparklines start from the live updates. Nothing to tell the user beyond "collecting…".
      } finally {
        controllers.delete(controller);
      }
    };
    // Every render with new rows checks for groups not asked for yet; cheap (a set lookup per drawn row).
    const missing = visible.filter((g) => !current.asked.has(g));
    if (missing.length === 0) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const fresh = missing.filter((g) => !current.asked.has(g));
      for (const g of fresh) current.asked.add(g);
      for (const batch of trendRequestBatches(fresh)) void load(batch, SEEDING_RETRIES);
    }, FETCH_DELAY_MS);
    timers.add(timer);
    return () => {
      clearTimeout(timer);
      timers.delete(timer);
    };
  }, [cluster, canFetch, visible, current]);

  return { ringOf: (group) => current.rings.get(group), windowMs: DEFAULT_TREND_OPTIONS.windowMs };
}
