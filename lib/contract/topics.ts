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
  /** Lag on this topic's partitions only (the group may read other topics too). */
  lagSum: maybeNumber,
  lagSecondsMax: maybeNumber,
  status: z.string().nullable(),
  statusReason: z.string().nullable().optional(),
  /** The whole group's time to catch up. */
  etaSeconds: maybeNumber.optional(),
  /** Messages per second the group commits on this topic. */
  consumeRate: maybeNumber.optional(),
  members: z.number().int().nonnegative(),
});
export type TopicConsumer = z.infer<typeof topicConsumerSchema>;

/** A writer of the topic, as topology discovery sees it (service, connector, streams app, unknown writer…). */
export const topicProducerSchema = z.object({
  /** The topology node id: the map link selects it. */
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  /** "produces", or "deadLetters" for a service that routes failed messages here. */
  edgeKind: z.string(),
  /** live, recent, stale or declaredOnly (edge state on the map). */
  state: z.string(),
  confidence: z.number().min(0).max(1),
  messagesPerSec: maybeNumber,
  /** The evidence sources, e.g. ["idempotentProducer", "header"]. */
  evidence: z.array(z.string()),
  lastSeen: epochMs.nullable(),
});
export type TopicProducer = z.infer<typeof topicProducerSchema>;

export const topicConfigsSchema = z.object({
  compacted: z.boolean(),
  retentionMs: maybeNumber,
  timestampType: z.string().nullable(),
  cleanupPolicy: z.string().nullable().optional(),
  minInsyncReplicas: maybeNumber.optional(),
  retentionBytes: maybeNumber.optional(),
  maxMessageBytes: maybeNumber.optional(),
});
export type TopicConfigs = z.infer<typeof topicConfigsSchema>;

export const topicDetailResponseSchema = z.object({
  cluster: z.string(),
  observedAt: epochMs,
  topic: topicSummarySchema,
  partitions: z.array(topicPartitionDetailSchema),
  configs: topicConfigsSchema.nullable(),
  consumers: z.array(topicConsumerSchema),
  /** Writers discovered by topology (empty when discovery is off or has seen none yet). */
  producers: z.array(topicProducerSchema),
  /** Messages per second no known writer accounts for (header-less, non-idempotent writers). */
  unattributedPerSec: maybeNumber.optional(),
});
export type TopicDetailResponse = z.infer<typeof topicDetailResponseSchema>;
/** The topic room's payload: the REST detail without the envelope. */
export type TopicDetail = Omit<TopicDetailResponse, 'cluster' | 'observedAt'>;

export const topicHistoryResponseSchema = z.object({
  cluster: z.string(),
  topic: z.string(),
  from: epochMs,
  to: epochMs,
  stepMs: z.number().int().positive(),
  points: z.array(z.object({ t: epochMs, produceRate: maybeNumber })),
});
export type TopicHistoryResponse = z.infer<typeof topicHistoryResponseSchema>;
