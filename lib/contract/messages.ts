import { z } from 'zod';
import { apiErrorSchema, epochMs } from './common';

/**
 * Messages (issue 7): browse, filter, tail, produce, export. Payload bytes travel as base64 so the browser can
 * render any format (JSON, text, hex, base64) from the same bytes; the server says which format it detected.
 */

/** What the bytes look like: `json` parses as JSON, `text` is UTF-8 without control characters, else `binary`. */
export const payloadFormatSchema = z.enum(['json', 'text', 'binary']);
export type PayloadFormat = z.infer<typeof payloadFormatSchema>;

/** A key, value or header value. `null` (not this object) stands for a null key, a tombstone or a null header. */
export const payloadSchema = z.object({
  /** The first `shownBytes` bytes, base64. */
  base64: z.string(),
  /** The whole size in bytes. */
  size: z.number().int().nonnegative(),
  /** True when `base64` holds fewer bytes than `size`: the page offers "show full" (capped) and a download. */
  truncated: z.boolean(),
  /** Detected on the whole value by the server (JSON is parsed only up to the filter's size cap). */
  format: payloadFormatSchema,
});
export type Payload = z.infer<typeof payloadSchema>;

export const timestampTypeSchema = z.enum(['CreateTime', 'LogAppendTime']);
export type TimestampType = z.infer<typeof timestampTypeSchema>;

export const messageHeaderSchema = z.object({
  key: z.string(),
  value: payloadSchema.nullable(),
});
export type MessageHeader = z.infer<typeof messageHeaderSchema>;

export const messageRecordSchema = z.object({
  partition: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  timestamp: z.number().int(),
  timestampType: timestampTypeSchema,
  key: payloadSchema.nullable(),
  value: payloadSchema.nullable(),
  headers: z.array(messageHeaderSchema),
});
export type MessageRecord = z.infer<typeof messageRecordSchema>;

/** Where a position in a CEL expression is: 0-based offset, 1-based line and column. */
export const sourcePositionSchema = z.object({
  offset: z.number().int().nonnegative(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
});

/** A filter that does not compile or breaks a static limit: the message says what to change. */
export const filterErrorSchema = z.object({
  message: z.string(),
  /** null when the error is about the whole expression (too long, too deep, not a bool). */
  position: sourcePositionSchema.nullable(),
});
export type FilterError = z.infer<typeof filterErrorSchema>;

/** An error of the messages API; a filter that does not compile also says where (`invalid_filter`). */
export const messagesErrorSchema = apiErrorSchema.extend({ filterError: filterErrorSchema.optional() });
export type MessagesApiError = z.infer<typeof messagesErrorSchema>;

export const browseStartSchema = z.enum(['newest', 'oldest', 'offset', 'time']);
export type BrowseStart = z.infer<typeof browseStartSchema>;
export const browseDirectionSchema = z.enum(['forward', 'backward']);
export type BrowseDirection = z.infer<typeof browseDirectionSchema>;

/**
 * Why a page ended. `limit`: the page is full. `end`: nothing more in that direction (the high watermark going
 * forward, the log start going backward). The others are budgets: the scan stopped early and `next` continues it.
 */
export const scanStopSchema = z.enum(['limit', 'end', 'records-budget', 'bytes-budget', 'time-budget', 'filter-budget']);
export type ScanStop = z.infer<typeof scanStopSchema>;

export const partitionPositionSchema = z.object({
  partition: z.number().int().nonnegative(),
  /** Forward: the next offset to read. Backward: the offset just past the next one to read (exclusive end). */
  offset: z.number().int().nonnegative(),
});
export type PartitionPosition = z.infer<typeof partitionPositionSchema>;

export const scanReportSchema = z.object({
  /** Records read from Kafka for this page (before the filter). */
  scanned: z.number().int().nonnegative(),
  matched: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  elapsedMs: z.number().nonnegative(),
  /** Time spent evaluating the filter, null without a filter. */
  filterMs: z.number().nonnegative().nullable(),
  stopped: scanStopSchema,
  /** Where each partition's scan stands when the page ended: with a budget stop, where it stopped. */
  position: z.array(partitionPositionSchema),
});
export type ScanReport = z.infer<typeof scanReportSchema>;

export const browsePartitionSchema = z.object({
  partition: z.number().int().nonnegative(),
  /** Log start offset and high watermark when the page was read. */
  low: z.number().int().nonnegative(),
  high: z.number().int().nonnegative(),
});

export const browseResponseSchema = z.object({
  cluster: z.string(),
  topic: z.string(),
  observedAt: epochMs,
  direction: browseDirectionSchema,
  /** In the page's reading order: oldest first going forward, newest first going backward. */
  records: z.array(messageRecordSchema),
  partitions: z.array(browsePartitionSchema),
  /** Continue in the same direction; null at the end. */
  next: z.string().nullable(),
  /** Turn around: the records before this page (going forward) or after it (going backward). null at the edge. */
  previous: z.string().nullable(),
  scan: scanReportSchema,
});
export type BrowseResponse = z.infer<typeof browseResponseSchema>;

/** `POST /api/clusters/:c/topics/:t/messages`: one record; the encodings say how to read `key` and `value`. */
export const payloadEncodingSchema = z.enum(['text', 'json', 'base64']);
export type PayloadEncoding = z.infer<typeof payloadEncodingSchema>;

export const produceRequestSchema = z.object({
  /** null: the producer's partitioner picks (by key hash when there is a key). */
  partition: z.number().int().nonnegative().nullable().default(null),
  key: z.string().nullable().default(null),
  keyEncoding: payloadEncodingSchema.default('text'),
  /** null writes a tombstone. */
  value: z.string().nullable(),
  valueEncoding: payloadEncodingSchema.default('text'),
  headers: z.array(z.object({ key: z.string().min(1).max(1024), value: z.string().nullable() })).max(100).default([]),
});
export type ProduceRequest = z.input<typeof produceRequestSchema>;

export const produceResponseSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  timestamp: z.number().int(),
});
export type ProduceResponse = z.infer<typeof produceResponseSchema>;

/** `GET /api/clusters/:c/topics/:t/messages/:partition/:offset`: one record with payloads up to 1 MiB. */
export const recordResponseSchema = z.object({
  cluster: z.string(),
  topic: z.string(),
  record: messageRecordSchema,
});
export type RecordResponse = z.infer<typeof recordResponseSchema>;

/**
 * Live tail over socket.io. The client emits `messages:tail` with this request and an ack; the server answers
 * `{ ok: true, tailId }` or `{ ok: false, error, filterError? }`, then emits `messages:tail:batch` with an ack: it
 * sends the next batch only once the previous one is acknowledged, and what piles up meanwhile beyond the buffer
 * is dropped and counted in `skipped`. `messages:tail:stop` with `{ tailId }` ends it (a disconnect does too).
 */
export const tailRequestSchema = z.object({
  cluster: z.string().min(1).max(249),
  topic: z.string().min(1).max(249),
  /** Empty or absent: every partition. */
  partitions: z.array(z.number().int().nonnegative()).max(10_000).optional(),
  filter: z.string().max(2048).optional(),
});
export type TailRequest = z.infer<typeof tailRequestSchema>;

export const tailAckSchema = z.union([
  z.object({ ok: z.literal(true), tailId: z.string() }),
  z.object({ ok: z.literal(false), error: z.string(), message: z.string(), filterError: filterErrorSchema.optional() }),
]);
export type TailAck = z.infer<typeof tailAckSchema>;

export const tailBatchSchema = z.object({
  tailId: z.string(),
  /** Oldest first, in each partition's offset order. */
  records: z.array(messageRecordSchema),
  /** Records that matched but were dropped since the last batch because the browser was not keeping up. */
  skipped: z.number().int().nonnegative(),
  /** Records read (before the filter) since the tail started. */
  scanned: z.number().int().nonnegative(),
  /** Set when the tail stopped on its own (topic deleted, filter over budget, cluster gone): the reason. */
  ended: z.string().nullable(),
});
export type TailBatch = z.infer<typeof tailBatchSchema>;
