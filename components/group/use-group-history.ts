'use client';
import { useEffect, useRef, useState } from 'react';
import { groupHistoryResponseSchema, groupStatusHistoryResponseSchema, type GroupData, type StatusSpan } from '../../lib/contract';
import { appendLivePoint, stepForRange } from '../../lib/charts/live-series';
import { sumKnown } from '../../lib/lag/known';
import { extendStatusSpans, mergeStatusSpans } from '../../lib/lag/status-spans';
import { fetchJson } from '../realtime/fetch-json';

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
    // Only `from` comes from this browser's clock; `to` is the server's now, and live points carry the server's time
    // too, so a browser clock that is off never hides live points behind the fetched ones.
    const from = Date.now() - rangeMs;
    const stepMs = stepForRange(rangeMs, pollIntervalMs);
    const base = `/api/clusters/${encodeURIComponent(cluster)}/groups/${encodeURIComponent(group)}`;
    setState((s) => ({ ...s, loading: true, error: null }));
    void Promise.allSettled([
      fetchJson(`${base}/history?from=${from}&stepMs=${stepMs}`).then((b) => groupHistoryResponseSchema.parse(b)),
      // The status log is small: always a day of it, so "STOP since 02:47" is right whatever range the charts show.
      fetchJson(`${base}/status-history?from=${Date.now() - STATUS_SPAN_MS}`).then((b) => groupStatusHistoryResponseSchema.parse(b)),
    ]).then(([history, statuses]) => {
      if (cancelled) return;
      loaded.current = true;
      const errors = [history, statuses].flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
      const to = history.status === 'fulfilled' ? history.value.to : statuses.status === 'fulfilled' ? statuses.value.to : Date.now();
      setState({
        points: history.status === 'fulfilled' ? history.value.points : [],
        spans: statuses.status === 'fulfilled' ? mergeStatusSpans(statuses.value.spans) : [],
        from: to - rangeMs,
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
