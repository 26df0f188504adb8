import { z } from 'zod';
import { replayRequestSchema, sourceRangeSchema } from '../../lib/contract/replay';

const offsets = z.record(z.string(), z.number().int().nonnegative());

/** What a job is: fixed at execute (the request, the ranges the plan resolved, the audit entry that started it). */
export const jobBodySchema = z.object({
  request: replayRequestSchema,
  ranges: z.array(sourceRangeSchema),
  estimate: z.number().int().nonnegative().nullable(),
  auditId: z.number().int(),
});
export type JobBody = z.infer<typeof jobBodySchema>;

/**
 * The checkpoint, saved after Kafka acknowledged what it counts. `clean` is false from the moment a run starts
 * sending until it stops in order: a job found with clean=false may have records in the target that the checkpoint
 * does not count, so its next run first scans the target from `marks`.
 */
export const jobProgressSchema = z.object({
  positions: offsets,
  scanned: z.number().int().nonnegative(),
  written: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Per target partition: below it, every record of this job is counted. null until the first run reads the ends. */
  marks: offsets.nullable(),
  clean: z.boolean(),
  /**
   * When this job last handed records to Kafka (epoch ms; saved with the next checkpoint). An unclean stop's
   * recovery waits the settle time from it. Optional: rows written before it existed have none.
   */
  lastSendAt: z.number().int().nullable().default(null),
  recoveries: z.number().int().nonnegative(),
  error: z.object({ message: z.string(), hint: z.string() }).nullable(),
  finishedAt: z.number().int().nullable(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

export function initialProgress(ranges: readonly { partition: number; from: number }[]): JobProgress {
  return {
    positions: Object.fromEntries(ranges.map((r) => [String(r.partition), r.from])),
    scanned: 0,
    written: 0,
    bytes: 0,
    marks: null,
    clean: true,
    lastSendAt: null,
    recoveries: 0,
    error: null,
    finishedAt: null,
  };
}

/** A failure the job reports as it is: a message and what to do. */
export class JobError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    /** A Kafka-side condition that may pass (a leader moving, a broker restarting): the job retries by itself. */
    readonly transient = false,
  ) {
    super(message);
  }
}
