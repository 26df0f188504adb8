import { z } from 'zod';
import { epochMs } from './common';

/*
 * Replay (issue 8): consumer-group offset resets and re-produce jobs. Every write goes plan → execute: the plan is a
 * dry run that writes nothing and returns a planId and planHash; execute takes both back (plus the typed name for
 * destructive scopes), so what runs is exactly what was previewed.
 */

const topicName = z.string().min(1).max(249);
const partitionNumber = z.number().int().nonnegative();
const offsetNumber = z.number().int().nonnegative();

// ---------------------------------------------------------------------------------------------------------------
// Offset reset

export const resetSpecSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('earliest') }),
  z.object({ mode: z.literal('latest') }),
  /** The first offset at or after a time; "N minutes ago" is turned into a time by the page. */
  z.object({ mode: z.literal('timestamp'), timestamp: epochMs }),
  z.object({ mode: z.literal('offset'), offset: offsetNumber }),
  z.object({ mode: z.literal('shift'), by: z.number().int() }),
  z.object({ mode: z.literal('copy'), group: z.string().min(1).max(255) }),
  /** Explicit offsets per partition; what an undo uses. */
  z.object({ mode: z.literal('offsets'), offsets: z.array(z.object({ topic: topicName, partition: partitionNumber, offset: offsetNumber })).min(1).max(100_000) }),
]);
export type ResetSpecPayload = z.infer<typeof resetSpecSchema>;

/** Which partitions: `[]` is the whole group (every topic it has committed offsets for). */
export const resetScopeSchema = z
  .array(z.object({ topic: topicName, partitions: z.array(partitionNumber).min(1).max(10_000).nullable() }))
  .max(1_000);
export type ResetScope = z.infer<typeof resetScopeSchema>;

export const resetPlanRequestSchema = z.object({ spec: resetSpecSchema, scope: resetScopeSchema });
export type ResetPlanRequest = z.infer<typeof resetPlanRequestSchema>;

export const groupMemberRefSchema = z.object({
  memberId: z.string(),
  clientId: z.string(),
  host: z.string(),
  /** classic: the JoinGroup protocol; consumer: KIP-848. */
  protocol: z.enum(['classic', 'consumer']),
});
export type GroupMemberRef = z.infer<typeof groupMemberRefSchema>;

export const plannedPartitionSchema = z.object({
  topic: z.string(),
  partition: partitionNumber,
  current: offsetNumber.nullable(),
  requested: z.number().int(),
  target: offsetNumber,
  clamped: z.enum(['to-log-start', 'to-log-end']).nullable(),
  reprocess: z.number().int().nonnegative().nullable(),
  skip: z.number().int().nonnegative().nullable(),
  lagAfter: z.number().int().nonnegative(),
  /** Log start and high watermark when planned, for the table. */
  low: offsetNumber,
  high: offsetNumber,
});
export type PlannedPartitionPayload = z.infer<typeof plannedPartitionSchema>;

export const resetPlanResponseSchema = z.object({
  planId: z.string(),
  planHash: z.string(),
  expiresAt: epochMs,
  cluster: z.string(),
  group: z.string(),
  spec: resetSpecSchema,
  scope: resetScopeSchema,
  /** The group's state as Kafka describes it (Empty, Stable, Dead, ...); null when the group does not exist yet. */
  groupState: z.string().nullable(),
  members: z.array(groupMemberRefSchema),
  /** Set when execute would be refused now (members present, read-only cluster); says what to do. */
  blocked: z.object({ reason: z.string(), hint: z.string() }).nullable(),
  partitions: z.array(plannedPartitionSchema),
  leftOut: z.array(z.object({ topic: z.string(), partition: partitionNumber, reason: z.string() })),
  totals: z.object({ reprocess: z.number().int(), skip: z.number().int(), lagAfter: z.number().int(), changed: z.number().int() }),
  /** The equivalent kafka-consumer-groups.sh commands; csv holds the --from-file rows for copy/offsets modes. */
  command: z.object({ dryRun: z.string(), execute: z.string(), csv: z.string().nullable() }),
  warnings: z.array(z.string()),
  /** Execute needs `confirm` equal to the group id (whole-group scope, or messages skipped). */
  confirmName: z.string().nullable(),
});
export type ResetPlanResponse = z.infer<typeof resetPlanResponseSchema>;

export const executeRequestSchema = z.object({
  planId: z.string().min(1).max(100),
  planHash: z.string().min(1).max(200),
  confirm: z.string().max(300).optional(),
});
export type ExecuteRequest = z.infer<typeof executeRequestSchema>;

export const resetOutcomeSchema = z.object({
  topic: z.string(),
  partition: partitionNumber,
  /** The offset asked for, the offset before, and what Kafka holds after (read back). */
  target: offsetNumber,
  previous: offsetNumber.nullable(),
  after: offsetNumber.nullable(),
  /** null: applied and read back equal; else Kafka's error (or "read back N"). */
  error: z.string().nullable(),
});
export type ResetOutcome = z.infer<typeof resetOutcomeSchema>;

export const resetRecordSchema = z.object({
  id: z.string(),
  cluster: z.string(),
  group: z.string(),
  at: epochMs,
  spec: resetSpecSchema,
  scope: resetScopeSchema,
  outcome: z.enum(['applied', 'partial', 'failed']),
  partitions: z.array(resetOutcomeSchema),
  auditId: z.number().int(),
  /** This reset undid that one. */
  undoOf: z.string().nullable(),
  /** A later reset that undid this one. */
  undoneBy: z.string().nullable(),
  /** Whether an undo can be planned: some partition had a previous offset and it was not undone already. */
  undoable: z.boolean(),
});
export type ResetRecord = z.infer<typeof resetRecordSchema>;
export const resetListResponseSchema = z.object({ resets: z.array(resetRecordSchema) });
export type ResetListResponse = z.infer<typeof resetListResponseSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Re-produce jobs (bulk replay, DLQ redrive)

/** One source partition's range: [from, to) in offsets, resolved from times at plan time. */
export const sourceRangeSchema = z.object({ partition: partitionNumber, from: offsetNumber, to: offsetNumber });
export type SourceRange = z.infer<typeof sourceRangeSchema>;

/** What the user asks for; times are resolved to offsets by the plan. */
export const replayRequestSchema = z.object({
  source: z.object({
    cluster: z.string().min(1),
    topic: topicName,
    /** null: every partition. */
    partitions: z.array(partitionNumber).max(10_000).nullable(),
    /** Either offsets (per partition, else the log start / end) or times (epoch ms); null ends are the log's. */
    range: z.discriminatedUnion('by', [
      z.object({ by: z.literal('offsets'), from: z.record(z.string(), offsetNumber).nullable(), to: z.record(z.string(), offsetNumber).nullable() }),
      z.object({ by: z.literal('time'), from: epochMs.nullable(), to: epochMs.nullable() }),
    ]),
  }),
  /** A CEL filter (the messages page's language); null copies every record in range. */
  filter: z.string().max(100_000).nullable(),
  target: z.object({ cluster: z.string().min(1), topic: topicName }),
  /** same: the source record's partition (must exist in the target); key: the target partitions by key. */
  partitioning: z.enum(['same', 'key']),
  keep: z.object({ key: z.boolean(), headers: z.boolean(), timestamp: z.boolean() }),
  /** Records per second; null: as fast as Kafka takes them. */
  rateLimit: z.number().int().min(1).max(10_000_000).nullable(),
  /** Stop after this many records are written; null: no cap. */
  maxRecords: z.number().int().min(1).nullable(),
  /** Replaying a topic into itself loops; allowed only when asked for. */
  allowSameTopic: z.boolean().default(false),
  /** Writing into a compacted topic can overwrite state by key; allowed only when asked for. */
  allowCompactedTarget: z.boolean().default(false),
});
export type ReplayRequest = z.infer<typeof replayRequestSchema>;

export const sampleRecordSchema = z.object({
  partition: partitionNumber,
  offset: offsetNumber,
  timestamp: epochMs,
  key: z.string().nullable(),
  value: z.string().nullable(),
  headers: z.array(z.object({ key: z.string(), value: z.string().nullable() })),
});
export type SampleRecord = z.infer<typeof sampleRecordSchema>;

export const replayPlanResponseSchema = z.object({
  planId: z.string(),
  planHash: z.string(),
  expiresAt: epochMs,
  request: replayRequestSchema,
  ranges: z.array(sourceRangeSchema),
  /** Offsets in range (an upper bound: compaction and transaction markers leave gaps). */
  inRange: z.number().int().nonnegative(),
  /** Records read by the dry run and how many matched the filter; `complete` when the whole range was read. */
  scanned: z.number().int().nonnegative(),
  matched: z.number().int().nonnegative(),
  complete: z.boolean(),
  /** matched, or an estimate from the part read; what the job will write (before maxRecords). */
  estimate: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sample: z.array(sampleRecordSchema),
  /** At the rate limit; null without one. */
  estimatedSeconds: z.number().nonnegative().nullable(),
  warnings: z.array(z.string()),
  blocked: z.object({ reason: z.string(), hint: z.string() }).nullable(),
  confirmName: z.string(),
});
export type ReplayPlanResponse = z.infer<typeof replayPlanResponseSchema>;

export const replayJobStateSchema = z.enum(['running', 'pausing', 'paused', 'cancelling', 'cancelled', 'failed', 'completed']);
export type ReplayJobState = z.infer<typeof replayJobStateSchema>;

export const replayJobSchema = z.object({
  id: z.string(),
  cluster: z.string(),
  request: replayRequestSchema,
  ranges: z.array(sourceRangeSchema),
  state: replayJobStateSchema,
  createdAt: epochMs,
  updatedAt: epochMs,
  finishedAt: epochMs.nullable(),
  /** Next source offset per partition (everything below is written or filtered out). */
  positions: z.record(z.string(), offsetNumber),
  scanned: z.number().int().nonnegative(),
  written: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Of the planned estimate; null when unknown. */
  estimate: z.number().int().nonnegative().nullable(),
  /** Records per second over the last few seconds while running. */
  rate: z.number().nonnegative().nullable(),
  /** The last error, with what to do; a failed job can be resumed. */
  error: z.object({ message: z.string(), hint: z.string() }).nullable(),
  /** How many times the job resumed after a stop it did not choose (crash, broker error): each checks the target. */
  recoveries: z.number().int().nonnegative(),
  auditId: z.number().int(),
});
export type ReplayJob = z.infer<typeof replayJobSchema>;
export const replayJobListResponseSchema = z.object({ jobs: z.array(replayJobSchema) });
export type ReplayJobListResponse = z.infer<typeof replayJobListResponseSchema>;

export const replayJobActionSchema = z.enum(['pause', 'resume', 'cancel']);
export type ReplayJobAction = z.infer<typeof replayJobActionSchema>;

/** Provenance headers on every replayed record. */
export const PROVENANCE_HEADERS = {
  job: 'topolog-replay-job',
  /** cluster/topic/partition/offset of the source record. */
  source: 'topolog-replay-source',
  sourceTimestamp: 'topolog-replay-source-timestamp',
  at: 'topolog-replay-at',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Dead-letter topics

export const deadLetterInfoSchema = z.object({
  topic: z.string(),
  /** Why it is taken for a dead-letter topic. */
  evidence: z.array(z.enum(['name', 'headers', 'topology'])),
  /** Original topics named by the records' headers (or the topology), most frequent first. */
  originals: z.array(z.object({ topic: z.string(), count: z.number().int().nonnegative() })),
  /** The header that names the original topic, when the records carry one (the redrive filter uses it). */
  originHeader: z.string().nullable(),
});
export type DeadLetterInfo = z.infer<typeof deadLetterInfoSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Audit log

/** replay.end is written by Topolog itself when a job completes, fails or is cancelled: what the job wrote in the end. */
export const auditActionSchema = z.enum(['reset', 'undo', 'replay.start', 'replay.pause', 'replay.resume', 'replay.cancel', 'replay.end', 'produce']);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: epochMs,
  /** Who: there is no login yet, so the client address and user agent. */
  actor: z.string(),
  cluster: z.string(),
  action: auditActionSchema,
  /** What it acts on: "group:email-service", "topic:orders", "job:<id>". */
  target: z.string(),
  params: z.unknown(),
  /** pending: written before the action ran and not finished (a crash in between leaves it so). */
  outcome: z.enum(['pending', 'ok', 'partial', 'failed', 'refused']),
  result: z.unknown(),
  finishedAt: epochMs.nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditListResponseSchema = z.object({ entries: z.array(auditEntrySchema), nextBefore: z.number().int().nullable() });
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;

/** A refused or failed write: the usual error, the audit entry that records it, and the members blocking a reset. */
export const writeErrorSchema = z.object({
  error: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  auditId: z.number().int().optional(),
  members: z.array(groupMemberRefSchema).optional(),
});
export type WriteError = z.infer<typeof writeErrorSchema>;
