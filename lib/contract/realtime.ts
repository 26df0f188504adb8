import { z } from 'zod';
import { epochMs } from './common';
import { clusterInfoSchema } from './cluster';
import { topicSummarySchema } from './topics';
import { groupSummarySchema } from './groups';

/**
 * Live data protocol: the client emits `subscribe` with a room; the ack carries a snapshot with a sequence
 * number; then the server emits `delta` once per tick with seq + 1. A client that sees a gap re-subscribes.
 */
export const overviewRoomSchema = z.object({
  kind: z.literal('overview'),
  cluster: z.string().min(1).max(249),
});
export const roomSchema = overviewRoomSchema;
export type Room = z.infer<typeof roomSchema>;

export function roomKey(room: Room): string {
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

export const subscribeAckSchema = z.union([
  z.object({ ok: z.literal(true), snapshot: overviewSnapshotSchema }),
  z.object({ ok: z.literal(false), error: z.string(), message: z.string() }),
]);
export type SubscribeAck = z.infer<typeof subscribeAckSchema>;
