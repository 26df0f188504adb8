'use client';
import { useEffect, useRef, useState } from 'react';
import { groupHistoryResponseSchema, groupStatusHistoryResponseSchema, type GroupData, type StatusSpan } from '../../lib/contract';
import { appendLivePoint, stepForRange } from '../../lib/charts/live-series';
import { extendStatusSpans, mergeStatusSpans } from '../../lib/lag/status-spans';

export interface LagPoint {
  t: number;
  live?: boolean;
  lag: number | null;
  lagSecondsMax: number | null;
  produceRate: number | null;
  consumeRate: number | null;
}


/** How much of the status log is held, whatever the chart range. */
const STATUS_SPAN_MS = 24 * 3_600_000;

export interface GroupHistory {
  points: LagPoint[];
  /** The last 24 h of status, whatever the range: the timeline clips it, the header reads "since" from it. */
  spans: StatusSpan[];
  from: number;
  to: number;
  loading: boolean;
  error: string | null;
}

const sumKnown = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
};

/** The live group figures as one chart point. */
export function livePoint(data: GroupData, t: number): LagPoint {
  return {
    t,
    lag: data.group.lagSum,
    lagSecondsMax: data.group.lagSecondsMax,
    produceRate: sumKnown(data.partitions.map((p) => p.produceRate)),
    consumeRate: data.group.consumeRate ?? sumKnown(data.partitions.map((p) => p.consumeRate)),
  };
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = body as { message?: string; hint?: string } | null;
    throw new Error(err?.message ? `${err.message}${err.hint ? ` ${err.hint}` : ''}` : `The server answered ${res.status}.`);
  }
  return body;
}

/**
 * The group's charts and status timeline over a range: fetched from the stored history once per range (so they
 * survive a server restart), then every live update appends a point and extends the timeline, no refetch.
 */
export function useGroupHistory(cluster: string, group: string, rangeMs: number, pollIntervalMs: number, live: { data: GroupData; observedAt: number } | null): GroupHistory {
  const [state, setState] = useState<GroupHistory>(() => ({ points: [], spans: [], from: Date.now() - rangeMs, to: Date.now(), loading: true, error: null }));
  const loaded = useRef(false);

  useEffect(() => {
    let cancelled = false;
    loaded.current = false;
    const to = Date.now();
    const from = to - rangeMs;
    const stepMs = stepForRange(rangeMs, pollIntervalMs);
    const base = `/api/clusters/${encodeURIComponent(cluster)}/groups/${encodeURIComponent(group)}`;
    setState((s) => ({ ...s, from, to, loading: true, error: null }));
    void Promise.allSettled([
      getJson(`${base}/history?from=${from}&to=${to}&stepMs=${stepMs}`).then((b) => groupHistoryResponseSchema.parse(b)),
      // The status log is small: always a day of it, so "STOP since 02:47" is right whatever range the charts show.
      getJson(`${base}/status-history?from=${to - STATUS_SPAN_MS}&to=${to}`).then((b) => groupStatusHistoryResponseSchema.parse(b)),
    ]).then(([history, statuses]) => {
      if (cancelled) return;
      loaded.current = true;
      const errors = [history, statuses].filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason instanceof Error ? (r as PromiseRejectedResult).reason.message : (r as PromiseRejectedResult).reason));
      setState({
        points: history.status === 'fulfilled' ? history.value.points : [],
        spans: statuses.status === 'fulfilled' ? mergeStatusSpans(statuses.value.spans) : [],
        from,
        to,
        loading: false,
        error: errors.length ? errors.join(' ') : null,
      });
    });
    return () => {
      cancelled = true;
    };
  }, [cluster, group, rangeMs, pollIntervalMs]);

  const observedAt = live?.observedAt ?? null;
  useEffect(() => {
    if (!live || !loaded.current) return;
    const t = live.observedAt;
    const stepMs = stepForRange(rangeMs, pollIntervalMs);
    setState((s) => ({
      ...s,
      to: Math.max(s.to, t),
      from: Math.max(s.to, t) - rangeMs,
      points: appendLivePoint(s.points, livePoint(live.data, t), { stepMs, windowMs: rangeMs }),
      spans: extendStatusSpans(s.spans, live.data.group.status, live.data.group.statusReason ?? null, t, t - STATUS_SPAN_MS),
    }));
    // Only a new tick appends; `live` changes identity with it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [observedAt]);

  return state;
}
