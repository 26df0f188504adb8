import type { TopicRecord } from '../kafka/record-reader';

/**
 * Partitions' records (each list in offset order) as one list, oldest first: repeatedly the list head with the
 * earliest timestamp. Unlike a sort by timestamp, it never reorders a partition (CreateTime can go backwards).
 */
export function mergeByTime(lists: readonly TopicRecord[][]): TopicRecord[] {
  const heads = lists.map(() => 0);
  const out: TopicRecord[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const r = lists[i]![heads[i]!];
      if (r && (best < 0 || r.timestamp < lists[best]![heads[best]!]!.timestamp)) best = i;
    }
    if (best < 0) return out;
    out.push(lists[best]![heads[best]!++]!);
  }
}
