import type { ClusterInfo } from '../contract';
import { formatAge } from '../format';

/** Figures older than this many poll intervals are shown as stale (a little more than the two of PRODUCT.md, so one slow poll does not flicker the table). */
const STALE_AFTER_POLLS = 3;

export interface ListStaleness {
  stale: boolean;
  /** What to tell the reader, e.g. "Figures from 2 min ago: the cluster is not answering."; null when fresh. */
  notice: string | null;
}

/** Whether a list's figures are stale, and why, from the cluster's state and the time of its last good poll. */
export function listStaleness(cluster: Pick<ClusterInfo, 'state' | 'observedAt' | 'pollIntervalMs'>, nowMs: number): ListStaleness {
  const { state, observedAt, pollIntervalMs } = cluster;
  if (observedAt === null) return { stale: true, notice: 'No figures yet: Topolog has not been able to read this cluster.' };
  const old = nowMs - observedAt > STALE_AFTER_POLLS * pollIntervalMs;
  if (state !== 'ok') return { stale: true, notice: `Figures from ${formatAge(observedAt, nowMs)}: the cluster is not answering.` };
  if (old) return { stale: true, notice: `Figures from ${formatAge(observedAt, nowMs)}: Topolog has not completed a poll since.` };
  return { stale: false, notice: null };
}
