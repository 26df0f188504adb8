import { z } from 'zod';
import { epochMs, maybeNumber } from './common';

export const topicSummarySchema = z.object({
  name: z.string(),
  partitions: z.number().int().nonnegative(),
  replicationFactor: z.number().int().nonnegative(),
  internal: z.boolean(),
  /** Partitions whose in-sync replicas are fewer than their replicas. */
  underReplicatedPartitions: z.number().int().nonnegative(),
  /** Partitions without a live leader. */
  offlinePartitions: z.number().int().nonnegative(),
  /** Messages per second produced to the topic; null until the lag engine measures it. */
  produceRate: maybeNumber,
});
export type TopicSummary = z.infer<typeof topicSummarySchema>;

export const topicsResponseSchema = z.object({
  cluster: z.string(),
  observedAt: epochMs,
  topics: z.array(topicSummarySchema),
});
export type TopicsResponse = z.infer<typeof topicsResponseSchema>;
