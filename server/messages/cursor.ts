import { z } from 'zod';
import type { BrowseDirection, PartitionPosition } from '../../lib/contract';

/** Where a page continues: the direction and each partition's position. Opaque to the browser (base64url JSON). */
export interface BrowseCursor {
  direction: BrowseDirection;
  positions: PartitionPosition[];
}

const cursorSchema = z.object({
  d: z.enum(['forward', 'backward']),
  p: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])).min(1).max(10_000),
});

export function encodeCursor(cursor: BrowseCursor): string {
  const body = { d: cursor.direction, p: cursor.positions.map((p) => [p.partition, p.offset]) };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** null when the text is not a cursor this server wrote (hand-edited, truncated, from another version). */
export function decodeCursor(text: string): BrowseCursor | null {
  if (text.length > 200_000) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    if (!parsed.success) return null;
    return { direction: parsed.data.d, positions: parsed.data.p.map(([partition, offset]) => ({ partition, offset })) };
  } catch {
    return null;
  }
}
