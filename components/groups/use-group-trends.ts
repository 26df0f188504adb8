'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { groupTrendsResponseSchema, type OverviewData } from '../../lib/contract';
import { DEFAULT_TREND_OPTIONS, TrendRing } from '../../lib/groups/trend-ring';

export interface GroupTrendsView {
  /** The ring of a group; undefined before its first point. Read it during render: it changes in place. */
  ringOf(group: string): TrendRing | undefined;
  windowMs: number;
}

/**
 * The sparklines' data: the server's recent points once on mount (seeded from history after a restart), then every
 * live overview update appended here, so the lines move with the table without refetching. The rings mutate in place;
 * the list re-renders on every overview update anyway, and once more when the fetched history lands.
 */
export function useGroupTrends(cluster: string, data: OverviewData | null): GroupTrendsView {
  const rings = useRef(new Map<string, TrendRing>());
  const [, setLoaded] = useState(0);
  const canFetch = data !== null && data.cluster.observedAt !== null;

  useEffect(() => {
    if (!canFetch) return;
    const controller = new AbortController();
    void (async () => {
      try {
        const res = await fetch(`/api/clusters/${encodeURIComponent(cluster)}/groups/trends`, { signal: controller.signal });
        if (!res.ok) return;
        const body = groupTrendsResponseSchema.parse(await res.json());
        for (const trend of body.trends) {
          let ring = rings.current.get(trend.group);
          if (!ring) rings.current.set(trend.group, (ring = new TrendRing({ stepMs: body.stepMs, windowMs: DEFAULT_TREND_OPTIONS.windowMs })));
          ring.prepend(trend.points);
        }
        setLoaded((n) => n + 1);
      } catch {
        // No history: the sparklines start from the live updates. Nothing to tell the user beyond "collecting…".
      }
    })();
    return () => controller.abort();
  }, [cluster, canFetch]);

  // Appended while rendering, so the row drawn for this update already ends in its point. Safe to repeat: adding the
  // same (t, lag) again lands in the same step bucket and overwrites itself (StrictMode renders twice).
  const observedAt = data?.cluster.observedAt ?? null;
  const ok = data?.cluster.state === 'ok';
  useMemo(() => {
    if (!data || observedAt === null || !ok) return;
    const present = new Set<string>();
    for (const g of data.groups) {
      present.add(g.id);
      let ring = rings.current.get(g.id);
      if (!ring) rings.current.set(g.id, (ring = new TrendRing()));
      ring.add(observedAt, g.lagSum);
    }
    for (const id of rings.current.keys()) if (!present.has(id)) rings.current.delete(id);
    // One append per observation: `data` changes identity with it, and the time is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [observedAt, ok]);

  return { ringOf: (group) => rings.current.get(group), windowMs: DEFAULT_TREND_OPTIONS.windowMs };
}
