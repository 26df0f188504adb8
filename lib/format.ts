/** "just now", "12 s ago", "4 min ago", "3 h ago", "2 d ago": ages for people, from epoch ms. */
export function formatAge(thenMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (seconds < 2) return 'just now';
  return `${formatDuration(seconds)} ago`;
}

/** A duration in seconds as "45 s", "4 min", "3 h 10 min", "2 d 4 h". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** Compact counts: 950, 12.3k, 4.1M. Unknown stays visibly unknown. */
export function formatCount(value: number | null): string {
  if (value === null) return '—';
  const abs = Math.abs(value);
  if (abs < 999.5) return String(Math.round(value));
  // Decide the unit after rounding, so 999,600 reads 1.0M and not 1000k.
  if (abs < 9_950) return `${(value / 1000).toFixed(1)}k`;
  if (abs < 999_500) return `${(value / 1000).toFixed(0)}k`;
  return `${(value / 1_000_000).toFixed(1)}M`;
}

/** Messages per second for a badge: "0/s", "0.4/s", "6.7/s", "120/s", "12.3k/s"; unknown is "—". */
export function formatRate(perSec: number | null): string {
  if (perSec === null) return '—';
  if (perSec === 0) return '0/s';
  const abs = Math.abs(perSec);
  if (abs < 0.05) return '<0.1/s';
  if (abs < 99.95) return `${perSec.toFixed(1).replace(/\.0$/, '')}/s`;
  return `${formatCount(perSec)}/s`;
}

/** Data is stale when older than two poll cycles (PRODUCT.md conventions). */
export function isStale(observedAt: number | null, pollIntervalMs: number, nowMs: number): boolean {
  return observedAt === null || nowMs - observedAt > 2 * pollIntervalMs;
}

/** Rounds to `digits` decimals: rates in payloads stay readable without float noise (6.698, not 6.697335997336002). */
export function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Sizes for people: "512 B", "1.0 MiB", "7.5 GiB"; unknown is "—". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

// One formatter for every clock time shown: toLocaleTimeString builds a new Intl.DateTimeFormat per call, and the
// timeline and cards call it every second.
const CLOCK = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' });

/** "09:22 PM" / "21:22" in the viewer's locale: hours and minutes of an epoch ms. */
export function formatClock(t: number): string {
  return CLOCK.format(t);
}
