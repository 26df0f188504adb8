'use client';
import { useCallback, useState } from 'react';
import { groupDetailResponseSchema } from '../../lib/contract';
import { fetchJson } from '../realtime/fetch-json';

export interface ExactLag {
  /** Age of the record at the committed offset when it was read. */
  lagSeconds: number;
  /** The committed offset it was read at: once the group commits past it, the reading no longer applies. */
  committed: number | null;
  readAt: number;
}

/** "topic/partition" → exact reading. */
export type ExactLagReadings = Map<string, ExactLag>;

export const partitionKey = (p: { topic: string; partition: number }) => `${p.topic}/${p.partition}`;

/**
 * Exact lag in seconds on demand: the server reads the record at the committed offset of the worst partitions
 * (one Fetch each, never joining the group). The estimate is what the page shows otherwise; this is the check.
 */
export function useExactLag(cluster: string, group: string) {
  const [readings, setReadings] = useState<ExactLagReadings>(new Map());
  const [state, setState] = useState<{ loading: boolean; error: string | null }>({ loading: false, error: null });
  const read = useCallback(async () => {
    setState({ loading: true, error: null });
    try {
      const body = groupDetailResponseSchema.parse(await fetchJson(`/api/clusters/${encodeURIComponent(cluster)}/groups/${encodeURIComponent(group)}?exact=true`));
      const next: ExactLagReadings = new Map();
      for (const p of body.partitions) {
        if (p.lagSecondsMethod === 'exact' && p.lagSeconds !== null) next.set(partitionKey(p), { lagSeconds: p.lagSeconds, committed: p.committed, readAt: body.observedAt });
      }
      setReadings(next);
      setState({ loading: false, error: next.size === 0 ? 'No partition had unread records to read, or they could not be read (permissions, leader moved).' : null });
    } catch (err) {
      setState({ loading: false, error: err instanceof Error ? err.message : String(err) });
    }
  }, [cluster, group]);
  return { readings, read, ...state };
}

/**
 * An exact reading as of `now`: while the committed offset has not moved, the same record is still the oldest
 * unread, so its age grows with the clock. Once the group commits past it, the reading is dropped.
 */
export function exactLagNow(reading: ExactLag | undefined, committed: number | null, now: number): number | null {
  if (!reading || reading.committed !== committed) return null;
  return reading.lagSeconds + Math.max(0, now - reading.readAt) / 1000;
}
