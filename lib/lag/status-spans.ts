import type { GroupStatus, StatusSpan } from '../contract/groups';

/**
 * The status timeline kept live: the stored spans, then each live status either extends the last span (same
 * status) or opens a new one at `now`. Spans that end before `fromMs` drop off and the first is clipped to it.
 */
export function extendStatusSpans(spans: readonly StatusSpan[], status: GroupStatus | null, reason: string | null, now: number, fromMs: number): StatusSpan[] {
  const next = spans.filter((s) => s.to > fromMs).map((s) => (s.from < fromMs ? { ...s, from: fromMs } : s));
  const last = next[next.length - 1];
  if (last && now <= last.to) return next;
  if (last && last.status === status) next[next.length - 1] = { ...last, to: now, reason: reason ?? last.reason };
  // With nothing stored, the status is known from this tick on, not from the start of the window.
  else next.push({ from: last ? last.to : now, to: now, status, reason });
  return next;
}

/** When the current status began: the start of the run of trailing spans with that status, or null if unknown. */
export function statusSince(spans: readonly StatusSpan[], status: GroupStatus | null): number | null {
  let since: number | null = null;
  for (let i = spans.length - 1; i >= 0; i -= 1) {
    const span = spans[i]!;
    if (span.status !== status) break;
    since = span.from;
  }
  return since;
}

/** Adjacent spans with the same status become one (the log may store a reason change as a new row). */
export function mergeStatusSpans(spans: readonly StatusSpan[]): StatusSpan[] {
  const out: StatusSpan[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && last.status === span.status && last.to >= span.from) out[out.length - 1] = { ...last, to: Math.max(last.to, span.to), reason: span.reason ?? last.reason };
    else out.push({ ...span });
  }
  return out;
}
