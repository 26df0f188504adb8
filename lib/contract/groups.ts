import { z } from 'zod';
import { epochMs, maybeNumber } from './common';

/** classic: JoinGroup/SyncGroup protocol; consumer: KIP-848; share/streams: newer group types. */
export const groupTypeSchema = z.enum(['classic', 'consumer', 'share', 'streams', 'unknown']);
export type GroupType = z.infer<typeof groupTypeSchema>;

export const groupStatusSchema = z.enum(['OK', 'WARN', 'STALL', 'STOP', 'REWIND', 'DATA_LOSS', 'NO_COMMIT', 'EVALUATING']);
export type GroupStatus = z.infer<typeof groupStatusSchema>;

export const groupMemberSchema = z.object({
  memberId: z.string(),
  clientId: z.string(),
  host: z.string(),
  /** Topics the member is assigned partitions of. */
  topics: z.array(z.string()),
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
});
export type GroupSummary = z.infer<typeof groupSummarySchema>;

export const groupsResponseSchema = z.object({
  cluster: z.string(),
  observedAt: epochMs,
  groups: z.array(groupSummarySchema),
});
export type GroupsResponse = z.infer<typeof groupsResponseSchema>;
