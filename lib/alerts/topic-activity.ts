/**
 * Whether a topic is receiving messages, from its high watermarks as Topolog observed them. A topic is idle while
 * the sum of its partitions' high watermarks does not move. Only observed time counts: a topic first seen now (or
 * after a restart) has been idle for at most the time since, so a "no produce for N minutes" rule cannot fire
 * until N minutes have actually been watched.
 */
export interface TopicActivity {
  /** Sum of the partitions' high watermarks at the last observation. */
  offsetsSum: number;
  /** When the sum last changed while watched; null: not since watching started. */
  lastMovedAt: number | null;
  watchedSince: number;
}

export interface TopicOffsetsObservation {
  topic: string;
  /** Sum of the high watermarks of its partitions; null when none is known this cycle (nothing is concluded). */
  offsetsSum: number | null;
}

/** The next activity map: only topics observed now are kept, so memory follows the topic count. */
export function trackTopicActivity(previous: ReadonlyMap<string, TopicActivity>, observed: readonly TopicOffsetsObservation[], now: number): Map<string, TopicActivity> {
  const next = new Map<string, TopicActivity>();
  for (const { topic, offsetsSum } of observed) {
    const prev = previous.get(topic);
    if (offsetsSum === null) {
      if (prev) next.set(topic, prev);
      continue;
    }
    if (!prev) next.set(topic, { offsetsSum, lastMovedAt: null, watchedSince: now });
    // Any change counts, down included: a topic deleted and re-created is not idle in the usual sense either.
    else next.set(topic, offsetsSum === prev.offsetsSum ? prev : { offsetsSum, lastMovedAt: now, watchedSince: prev.watchedSince });
  }
  return next;
}

/** How long the topic has not received a message, in observed time. */
export function idleMsOf(activity: TopicActivity | undefined, now: number): number | null {
  if (!activity) return null;
  return Math.max(0, now - (activity.lastMovedAt ?? activity.watchedSince));
}
