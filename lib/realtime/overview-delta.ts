import type { OverviewData, OverviewDelta } from '../contract';
import { applyKeyed, deepEqual, diffKeyed, isEmptyChanges } from './keyed-diff';

const topicKey = (t: { name: string }) => t.name;
const groupKey = (g: { id: string }) => g.id;

/** The delta from `prev` to `next`, or null when nothing changed. Shared by server (diff) and client (apply). */
export function diffOverview(prev: OverviewData, next: OverviewData): Omit<OverviewDelta, 'room' | 'seq' | 'observedAt'> | null {
  const topics = diffKeyed(prev.topics, next.topics, topicKey);
  const groups = diffKeyed(prev.groups, next.groups, groupKey);
  const clusterChanged = !deepEqual(prev.cluster, next.cluster);
  if (!clusterChanged && isEmptyChanges(topics) && isEmptyChanges(groups)) return null;
  return { ...(clusterChanged ? { cluster: next.cluster } : {}), topics, groups };
}

export function applyOverviewDelta(current: OverviewData, delta: Pick<OverviewDelta, 'cluster' | 'topics' | 'groups'>): OverviewData {
  return {
    cluster: delta.cluster ?? current.cluster,
    topics: applyKeyed(current.topics, delta.topics, topicKey),
    groups: applyKeyed(current.groups, delta.groups, groupKey),
  };
}
