/**
 * Delay before retry number `attempt` (1-based): doubles from `baseMs` up to `maxMs`, with +/- `jitter`
 * so many Topolog instances do not hammer a recovering cluster in step. `random` is injectable for tests.
 */
export function backoffDelayMs(
  attempt: number,
  { baseMs = 1_000, maxMs = 30_000, jitter = 0.2, random = Math.random }: { baseMs?: number; maxMs?: number; jitter?: number; random?: () => number } = {},
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const raw = Math.min(maxMs, baseMs * 2 ** exponent);
  const spread = raw * jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(maxMs, raw + spread)));
}
