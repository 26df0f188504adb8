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

export const topicPartitionDetailSchema = z.object({
  partition: z.number().int().nonnegative(),
  leader: z.number().int(),
  replicas: z.array(z.number().int()),
  isr: z.array(z.number().int()),
  logStartOffset: maybeNumber,
  highWatermark: maybeNumber,
  lastStableOffset: maybeNumber,
  produceRate: maybeNumber,
  staleSince: epochMs.nullable(),
});

export const topicConsumerSchema = z.object({
  group: z.string(),
  lagSum: maybeNumber,
  lagSecondsMax: maybeNumber,
  status: z.string().nullable(),
  members: z.number().int().nonnegative(),
});

export const topicDetailResponseSchema = z.object({
  cluster: z.string(),
  observedAt: epochMs,
  topic: topicSummarySchema,
  partitions: z.array(topicPartitionDetailSchema),
  configs: z.object({ compacted: z.boolean(), retentionMs: maybeNumber, timestampType: z.string().nullable() }).nullable(),
  consumers: z.array(topicConsumerSchema),
  /** Producers are discovered by the topology engine; empty until it lands. */
  producers: z.array(z.object({ id: z.string(), evidence: z.array(z.string()) })),
});
export type TopicDetailResponse = z.infer<typeof topicDetailResponseSchema>;

export const topicHistoryResponseSchema = z.object({
  cluster: z.string(),
  topic: z.string(),
  from: epochMs,
  to: epochMs,
  stepMs: z.number().int().positive(),
  points: z.array(z.object({ t: epochMs, produceRate: maybeNumber })),
});
export type TopicHistoryResponse = z.infer<typeof topicHistoryResponseSchema>;
