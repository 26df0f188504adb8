import { finiteOrNull } from './known';

/**
 * Beyond this an ETA is noise, not a forecast: a net catch-up rate of 0.01 msg/s from rounding in the commit
 * cadence turns a modest lag into "3 years". The UI shows "—" (not catching up), which is the honest reading.
 */
export const MAX_ETA_SECONDS = 30 * 86_400;

/**
 * Seconds until a group catches up at current rates (design §8.3.5, klag's time_to_close): lag ÷ (consume − produce).
 * 0 when there is no lag, whatever the rates. Null when the lag or a rate is unknown, when the group is not gaining
 * (consume ≤ produce), or when the answer exceeds MAX_ETA_SECONDS.
 */
export function etaToCatchUpSeconds(lag: number | null, consumeRate: number | null, produceRate: number | null): number | null {
  const messages = finiteOrNull(lag);
  if (messages === null) return null;
  if (messages <= 0) return 0;
  const consume = finiteOrNull(consumeRate);
  const produce = finiteOrNull(produceRate);
  if (consume === null || produce === null) return null;
  const gainPerSecond = consume - produce;
  if (!(gainPerSecond > 0)) return null;
  const eta = messages / gainPerSecond;
  return eta <= MAX_ETA_SECONDS ? finiteOrNull(eta) : null;
}
