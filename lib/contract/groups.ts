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
  observedAt: epochMs,
  group: z.string(),
  from: epochMs,
  to: epochMs,
  spans: z.array(statusSpanSchema),
});
export type GroupStatusHistoryResponse = z.infer<typeof groupStatusHistoryResponseSchema>;

/** At most this many groups per `group-trends` request (the list asks for the rows it draws, in pages of this size). */
export const GROUP_TRENDS_MAX_GROUPS = 500;
/** Longest group name the API accepts (as in the group detail route). */
export const GROUP_NAME_MAX_CHARS = 1024;

/**
 * `GET /api/clusters/:cluster/group-trends[?groups=a,b,c]`: recent total lag of some groups for the list's
 * sparklines, on a fixed grid: slot k holds the lag of step bucket `fromMs + k * stepMs` (the newest reading in that
 * step), null when it is unknown or was not observed. With `groups`, the named groups that Topolog follows (unknown
 * names are left out); without it, the first {@link GROUP_TRENDS_MAX_GROUPS} in problem order, `truncated` saying
 * whether there were more. `seeding`: the history of some of these groups is still being read from the store after a
 * restart; ask again in a few seconds for longer lines.
 */
export const groupTrendsResponseSchema = z.object({
  cluster: z.string(),
  observedAt: epochMs,
  /** Start of the grid's first step bucket, and the step. */
  fromMs: epochMs,
  stepMs: z.number().int().positive(),
  trends: z.array(z.object({ group: z.string(), lags: z.array(maybeNumber) })),
  truncated: z.boolean(),
  seeding: z.boolean(),
});
export type GroupTrendsResponse = z.infer<typeof groupTrendsResponseSchema>;

export type GroupTrendsFilter = { ok: true; groups: string[] | null } | { ok: false; message: string };

/**
 * The `groups` query parameter: comma-separated names, each percent-encoded on its own when it holds a comma or a
 * percent sign (so `a,b` is two groups and `a%2Cb` one; a name whose `%` is not a valid escape is taken as written).
 * Empty items are skipped, duplicates dropped. Absent: null (no filter). A repeated parameter counts as one list.
 */
export function parseGroupTrendsFilter(raw: unknown): GroupTrendsFilter {
  if (raw === undefined) return { ok: true, groups: null };
  const parts = Array.isArray(raw) ? raw : [raw];
  if (!parts.every((p): p is string => typeof p === 'string')) return { ok: false, message: 'groups must be a comma-separated list of group names.' };
  const groups = new Set<string>();
  for (const part of parts) {
    for (const item of part.split(',')) {
      if (item === '') continue;
      const name = decodeItem(item);
      if (name.length > GROUP_NAME_MAX_CHARS) return { ok: false, message: `A group name in groups is ${name.length} characters long; at most ${GROUP_NAME_MAX_CHARS}.` };
      groups.add(name);
      if (groups.size > GROUP_TRENDS_MAX_GROUPS) return { ok: false, message: `groups names more than ${GROUP_TRENDS_MAX_GROUPS} groups; ask for at most ${GROUP_TRENDS_MAX_GROUPS} per request.` };
    }
  }
  return { ok: true, groups: [...groups] };
}

function decodeItem(item: string): string {
  if (!item.includes('%')) return item;
  try {
    return decodeURIComponent(item);
  } catch {
    return item;
  }
}

/** The `groups` query value for these names (the inverse of {@link parseGroupTrendsFilter}), ready for a URL. */
export function groupTrendsFilterParam(groups: readonly string[]): string {
  return encodeURIComponent(groups.map((g) => (/[,%]/.test(g) ? encodeURIComponent(g) : g)).join(','));
}

/** A step bucket's start: the grid's slot times. */
export function trendBucketStart(t: number, stepMs: number): number {
  return Math.floor(t / stepMs) * stepMs;
}

/**
 * Points (oldest first, at most one per step bucket) as lags on the grid of `slots` buckets from `fromMs` (a bucket
 * start); points outside it are dropped, a later point of the same bucket wins, empty slots are null. Empty slots
 * between two known lags at most `maxGapMs` apart are interpolated, so a cluster polled less often than once a step
 * still draws a line (as its stored history does); a longer gap (Topolog could not read the cluster) stays unknown.
 */
export function lagGrid(points: readonly { t: number; lag: number | null }[], fromMs: number, stepMs: number, slots: number, maxGapMs = 0): (number | null)[] {
  const lags: (number | null)[] = new Array<number | null>(slots).fill(null);
  const times: number[] = new Array<number>(slots).fill(Number.NaN);
  for (const p of points) {
    const slot = Math.floor((p.t - fromMs) / stepMs);
    if (slot < 0 || slot >= slots) continue;
    lags[slot] = p.lag;
    times[slot] = p.t;
  }
  if (maxGapMs <= 0) return lags;
  let prev = -1;
  for (let k = 0; k < slots; k += 1) {
    if (Number.isNaN(times[k]!)) continue;
    const a = lags[prev] ?? null;
    const b = lags[k] ?? null;
    if (prev >= 0 && k - prev > 1 && a !== null && b !== null && times[k]! - times[prev]! <= maxGapMs) {
      for (let j = prev + 1; j < k; j += 1) lags[j] = Math.round(a + ((b - a) * (j - prev)) / (k - prev));
    }
    prev = k;
  }
  return lags;
}

/**
 * A grid back to points at the bucket starts, dropping the leading empty slots (before the group was followed):
 * a line drawn from the first slot would stretch a two-minute-old group across the whole window.
 */
export function lagGridPoints(fromMs: number, stepMs: number, lags: readonly (number | null)[]): { t: number; lag: number | null }[] {
  const first = lags.findIndex((lag) => lag !== null);
  if (first < 0) return [];
  return lags.slice(first).map((lag, k) => ({ t: fromMs + (first + k) * stepMs, lag }));
}
