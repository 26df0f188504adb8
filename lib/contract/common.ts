import { z } from 'zod';

/** Milliseconds since the epoch; every payload says when its data was observed. */
export const epochMs = z.number().int().nonnegative();

/** A number that may be unknown: `null`, never NaN or a sentinel. */
export const maybeNumber = z.number().finite().nullable();

/** Errors the API returns: what went wrong and what to do about it. */
export const apiErrorSchema = z.object({
  error: z.string(),
  message: z.string(),
  hint: z.string().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
