'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { topicHistoryResponseSchema, topicSnapshotSchema, type Room, type TopicSnapshot } from '../../lib/contract';
import { appendLivePoint, stepForRange } from '../../lib/charts/live-series';
import { fetchJson } from '../realtime/fetch-json';
import { useWholeRoom, type WholeRoomState } from '../realtime/use-whole-room';

export type TopicData = TopicSnapshot['data'];

/** One topic, live: partitions, configs, writers and readers from the `topic` room (whole payload on change). */
export function useTopic(cluster: string, topic: string): WholeRoomState<TopicData> {
  const room = useMemo<Room>(() => ({ kind: 'topic', cluster, topic }), [cluster, topic]);
  return useWholeRoom(room, 'topic:update', topicSnapshotSchema);
}

export interface RatePoint {
  t: number;
  live?: boolean;
  produceRate: number | null;
}

/** The produce-rate chart: stored history for the range, then each live tick appended. */
export function useTopicRateHistory(cluster: string, topic: string, rangeMs: number, pollIntervalMs: number, live: { rate: number | null; observedAt: number } | null) {
  const [state, setState] = useState<{ points: RatePoint[]; from: number; to: number; error: string | null; loading: boolean }>(() => ({ points: [], from: Date.now() - rangeMs, to: Date.now(), error: null, loading: true }));
  const loaded = useRef(false);
  useEffect(() => {
    let cancelled = false;
    loaded.current = false;
    // `to` is the server's now (live points carry server time too); only `from` uses this browser's clock.
    setState((s) => ({ ...s, loading: true }));
    const url = `/api/clusters/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}/history?from=${Date.now() - rangeMs}&stepMs=${stepForRange(rangeMs, pollIntervalMs)}`;
    fetchJson(url)
      .then((body) => topicHistoryResponseSchema.parse(body))
      .then((h) => {
        if (cancelled) return;
        loaded.current = true;
        setState({ points: h.points, from: h.to - rangeMs, to: h.to, error: null, loading: false });
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        loaded.current = true;
        setState((s) => ({ ...s, points: [], error: err instanceof Error ? err.message : String(err), loading: false }));
      });
    return () => {
      cancelled = true;
    };
  }, [cluster, topic, rangeMs, pollIntervalMs]);

  const observedAt = live?.observedAt ?? null;
  useEffect(() => {
    if (!live || !loaded.current) return;
    const t = live.observedAt;
    setState((s) => ({ ...s, to: Math.max(s.to, t), from: Math.max(s.to, t) - rangeMs, points: appendLivePoint(s.points, { t, produceRate: live.rate }, { stepMs: stepForRange(rangeMs, pollIntervalMs), windowMs: rangeMs }) }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [observedAt]);
  return state;
}
