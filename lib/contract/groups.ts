import { z } from 'zod';
import { epochMs, maybeNumber } from './common';

/** classic: JoinGroup/SyncGroup protocol; consumer: KIP-848; share/streams: newer group types. */
export const groupTypeSchema = z.enum(['classic', 'consumer', 'share', 'streams', 'unknown']);
export type GroupType = z.infer<typeof groupTypeSchema>;

export const groupStatusSchema = z.enum(['OK', 'WARN', 'STALL', 'STOP', 'REWIND', 'DATA_LOSS', 'NO_COMMIT', 'EVALUATING']);
export type GroupStatus = z.infer<typeof groupStatusSchema>;

export const topicPartitionsSchema = z.object({ topic: z.string(), partitions: z.array(z.number().int().nonnegative()) });

export const groupMemberSchema = z.object({
  memberId: z.string(),
  clientId: z.string(),
  host: z.string(),
  /** Topics the member subscribes to or is assigned partitions of. */
  topics: z.array(z.string()),
  /** The partitions assigned to the member, by topic. */
  assignments: z.array(topicPartitionsSchema),
});
export type GroupMember = z.infer<typeof groupMemberSchema>;

export const groupSummarySchema = z.object({
  id: z.string(),
  type: groupTypeSchema,
  /** "consumer" for consumer groups, "connect" for Connect workers, "" when unknown. */
  protocolType: z.string(),
  /** Broker-reported state: Stable, Empty, PreparingRebalance, Dead, ... */
  state: z.string(),
  members: z.array(groupMemberSchema),
  /** Topics the group is assigned or has committed offsets for. */
  topics: z.array(z.string()),
  /** Health status; null until the lag engine evaluates it. */
  status: groupStatusSchema.nullable(),
  lagSum: maybeNumber,
  lagMax: maybeNumber,
  lagSecondsMax: maybeNumber,
  /** Seconds until caught up at current rates; null when unknown or not catching up. */
  etaSeconds: maybeNumber,
  /** Messages per second the group commits (last minute), over all its partitions. */
  consumeRate: maybeNumber.optional(),
  /** Why the group has its status, in a sentence (the worst partition's reason). */
  statusReason: z.string().nullable().optional(),
  /** The oldest time one of its partitions stopped being read: its figures are from before then. Null when all are fresh. */
  staleSince: epochMs.nullable().optional(),
});
export type GroupSummary = z.infer<typeof groupSummarySchema>;

export const groupsResponseSchema = z.object({
  cluster: z.string(),
  observedAt: epochMs,
  groups: z.array(groupSummarySchema),
});
export type GroupsResponse = z.infer<typeof groupsResponseSchema>;

/** How a lag-in-seconds value was obtained; the UI says so next to the number. */
export const lagSecondsMethodSchema = z.enum(['caught_up', 'interpolated', 'lower_bound', 'exact', 'unknown']);
export type LagSecondsMethod = z.infer<typeof lagSecondsMethodSchema>;

export const groupPartitionSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  committed: maybeNumber,
  highWatermark: maybeNumber,
  logStartOffset: maybeNumber,
  /** Messages behind the high watermark; null when the group never committed (NO_COMMIT). */
  lag: maybeNumber,
  /** Messages behind the last stable offset (transactional topics), else null. */
  lagCommitted: maybeNumber,
  /** Messages deleted by retention before the group read them (DATA_LOSS). */
  messagesLost: maybeNumber,
  /** Compacted topic: offsets have gaps, so `lag` is an upper bound. */
  lagIsUpperBound: z.boolean(),
  lagSeconds: maybeNumber,
  lagSecondsMethod: lagSecondsMethodSchema,
  status: groupStatusSchema,
  statusReason: z.string(),
  memberId: z.string().nullable(),
  clientId: z.string().nullable(),
  /** Messages per second committed by the group (last minute). */
  consumeRate: maybeNumber,
  /** Messages per second produced to the partition (last minute). */
  produceRate: maybeNumber,
  observedAt: epochMs.nullable(),
  /** Set when the last read failed: the values are from `observedAt` and the reason is in `staleReason`. */
  staleSince: epochMs.nullable(),
  staleReason: z.string().nullable(),
});
export type GroupPartition = z.infer<typeof groupPartitionSchema>;

export const groupDetailResponseSchema = z.object({
  cluster: z.string(),
  observedAt: epochMs,
  group: groupSummarySchema,
  partitions: z.array(groupPartitionSchema),
});
export type GroupDetailResponse = z.infer<typeof groupDetailResponseSchema>;

export const groupHistoryPointSchema = z.object({
  t: epochMs,
  lag: maybeNumber,
  lagSecondsMax: maybeNumber,
  produceRate: maybeNumber,
  consumeRate: maybeNumber,
});
export const groupHistoryResponseSchema = z.object({
  cluster: z.string(),
  group: z.string(),
  from: epochMs,
  to: epochMs,
  stepMs: z.number().int().positive(),
  points: z.array(groupHistoryPointSchema),
});
export type GroupHistoryResponse = z.infer<typeof groupHistoryResponseSchema>;

/** One span of a group's status as the poller evaluated it; `to` of the last span is the time of the query. */
export const statusSpanSchema = z.object({
  from: epochMs,
  to: epochMs,
  /** null: nothing known in that span (Topolog was not running, or the group did not exist). */
  status: groupStatusSchema.nullable(),
  reason: z.string().nullable(),
});
export type StatusSpan = z.infer<typeof statusSpanSchema>;

/** `GET /api/clusters/:cluster/groups/:group/status-history?from&to`: the status timeline, from the stored changes. */
export const groupStatusHistoryResponseSchema = z.object({
  cluster: z.string(),
  group: z.string(),
  from: epochMs,
  to: epochMs,
  spans: z.array(statusSpanSchema),
});
export type GroupStatusHistoryResponse = z.infer<typeof groupStatusHistoryResponseSchema>;

/** `GET /api/clusters/:cluster/groups/trends`: each group's recent total lag for the list's sparklines, oldest first. */
export const groupTrendsResponseSchema = z.object({
  cluster: z.string(),
  observedAt: epochMs,
  /** The span the points cover and their spacing. */
  fromMs: epochMs,
  stepMs: z.number().int().positive(),
  trends: z.array(z.object({ group: z.string(), points: z.array(z.object({ t: epochMs, lag: maybeNumber })) })),
});
export type GroupTrendsResponse = z.infer<typeof groupTrendsResponseSchema>;
