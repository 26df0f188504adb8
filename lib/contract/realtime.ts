import { z } from 'zod';
import { epochMs } from './common';
import { clusterInfoSchema } from './cluster';
import { topicDetailResponseSchema, topicSummarySchema } from './topics';
import { groupPartitionSchema, groupSummarySchema } from './groups';
import { topologySchema } from './topology';

/**
 * Live data protocol: the client emits `subscribe` with a room; the ack carries a snapshot with a sequence
 * number; then the server emits `delta` once per tick with seq + 1. A client that sees a gap re-subscribes.
 */
export const overviewRoomSchema = z.object({
  kind: z.literal('overview'),
  cluster: z.string().min(1).max(249),
});
/** One group's partitions (lag, lag seconds, status, owner), replaced whole on every change. */
export const groupRoomSchema = z.object({
  kind: z.literal('group'),
  cluster: z.string().min(1).max(249),
  group: z.string().min(1).max(1024),
});
/**
 * The topology graph: the live graph as snapshot, then `topology:delta` with changed nodes and edges. With
 * `showHidden` the graph includes internal topics, Topolog's own clients and ephemeral tool groups (REST `?hidden=true`);
 * it is a room of its own, so its subscribers and the default room's each get their own graph and sequence.
 */
export const topologyRoomSchema = z.object({
  kind: z.literal('topology'),
  cluster: z.string().min(1).max(249),
  showHidden: z.boolean().optional(),
});
/** One topic's page: partitions, configs, producers and consuming groups, replaced whole on every change. */
export const topicRoomSchema = z.object({
  kind: z.literal('topic'),
  cluster: z.string().min(1).max(249),
  topic: z.string().min(1).max(249),
});
export const roomSchema = z.discriminatedUnion('kind', [overviewRoomSchema, groupRoomSchema, topologyRoomSchema, topicRoomSchema]);
export type Room = z.infer<typeof roomSchema>;
export type OverviewRoom = z.infer<typeof overviewRoomSchema>;
export type GroupRoom = z.infer<typeof groupRoomSchema>;
export type TopologyRoom = z.infer<typeof topologyRoomSchema>;
export type TopicRoom = z.infer<typeof topicRoomSchema>;

/** overview:<cluster>, group:<cluster>:<group>, topic:<cluster>:<topic>, topology:<cluster>, or topology:<cluster>:hidden with showHidden. */
export function roomKey(room: Room): string {
  if (room.kind === 'group') return `group:${room.cluster}:${room.group}`;
  if (room.kind === 'topic') return `topic:${room.cluster}:${room.topic}`;
  if (room.kind === 'topology' && room.showHidden === true) return `topology:${room.cluster}:hidden`;
  return `${room.kind}:${room.cluster}`;
}

export const overviewDataSchema = z.object({
  cluster: clusterInfoSchema,
  topics: z.array(topicSummarySchema),
  groups: z.array(groupSummarySchema),
});
export type OverviewData = z.infer<typeof overviewDataSchema>;

export const overviewSnapshotSchema = z.object({
  room: z.string(),
  seq: z.number().int().nonnegative(),
  observedAt: epochMs,
  data: overviewDataSchema,
});
export type OverviewSnapshot = z.infer<typeof overviewSnapshotSchema>;

function keyedChangesSchema<T extends z.ZodType>(item: T) {
  return z.object({ upsert: z.array(item), remove: z.array(z.string()) });
}

export const overviewDeltaSchema = z.object({
  room: z.string(),
  seq: z.number().int().positive(),
  observedAt: epochMs,
  /** Present when anything about the cluster changed (state, brokers, observedAt). */
  cluster: clusterInfoSchema.optional(),
  topics: keyedChangesSchema(topicSummarySchema),
  groups: keyedChangesSchema(groupSummarySchema),
});
export type OverviewDelta = z.infer<typeof overviewDeltaSchema>;

export const groupDataSchema = z.object({
  group: groupSummarySchema,
  partitions: z.array(groupPartitionSchema),
});
export type GroupData = z.infer<typeof groupDataSchema>;

/** The snapshot in a group subscription's ack, and every `group:update` after it (seq + 1 each). */
export const groupSnapshotSchema = z.object({
  room: z.string(),
  seq: z.number().int().nonnegative(),
  observedAt: epochMs,
  data: groupDataSchema,
});
export type GroupSnapshot = z.infer<typeof groupSnapshotSchema>;

const refusedSchema = z.object({ ok: z.literal(false), error: z.string(), message: z.string() });
export const subscribeAckSchema = z.union([z.object({ ok: z.literal(true), snapshot: overviewSnapshotSchema }), refusedSchema]);
export type SubscribeAck = z.infer<typeof subscribeAckSchema>;
export const groupSubscribeAckSchema = z.union([z.object({ ok: z.literal(true), snapshot: groupSnapshotSchema }), refusedSchema]);
export type GroupSubscribeAck = z.infer<typeof groupSubscribeAckSchema>;

/** The snapshot in a topology subscription's ack; `topology:delta` (seq + 1 each) follows. */
export const topologySnapshotSchema = z.object({
  room: z.string(),
  seq: z.number().int().nonnegative(),
  observedAt: epochMs,
  data: topologySchema,
});
export type TopologySnapshot = z.infer<typeof topologySnapshotSchema>;
export const topologySubscribeAckSchema = z.union([z.object({ ok: z.literal(true), snapshot: topologySnapshotSchema }), refusedSchema]);
export type TopologySubscribeAck = z.infer<typeof topologySubscribeAckSchema>;

export const topicDataSchema = topicDetailResponseSchema.omit({ cluster: true, observedAt: true });

/** The snapshot in a topic subscription's ack, and every `topic:update` after it (seq + 1 each). */
export const topicSnapshotSchema = z.object({
  room: z.string(),
  seq: z.number().int().nonnegative(),
  observedAt: epochMs,
  data: topicDataSchema,
});
export type TopicSnapshot = z.infer<typeof topicSnapshotSchema>;
export const topicSubscribeAckSchema = z.union([z.object({ ok: z.literal(true), snapshot: topicSnapshotSchema }), refusedSchema]);
export type TopicSubscribeAck = z.infer<typeof topicSubscribeAckSchema>;
