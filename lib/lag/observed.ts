import type { StatusSpan } from '../contract/groups';

/** A stretch of time during which Topolog polled the cluster without a break. */
export interface ObservedSpan {
  from: number;
  to: number;
}

/**
 * Whether `t` fell in a break between two observed spans: Topolog was not running, or the cluster did not answer.
 * Before the first span nothing is claimed (history written before spans were recorded stays as it was), and
 * `slackMs` (about a poll interval) keeps the edges of a span from flickering.
 */
export function inObservationGap(spans: readonly ObservedSpan[], t: number, slackMs: number): boolean {
  const first = spans[0];
  if (!first || t < first.from) return false;
  for (const span of spans) {
    if (t >= span.from - slackMs && t <= span.to + slackMs) return false;
  }
  // Between two spans is a break; after the last one the current run just has not reached `t` yet.
  return t <= spans[spans.length - 1]!.to + slackMs;
}

/** Chart points in a break become unknown: a line gap, never a ramp drawn across an outage. */
export function blankUnobserved<P extends { t: number }>(points: readonly P[], spans: readonly ObservedSpan[], slackMs: number, blank: (point: P) => P): P[] {
  return points.map((p) => (inObservationGap(spans, p.t, slackMs) ? blank(p) : p));
}

const NOT_WATCHING = 'Topolog was not watching the cluster (stopped, or the cluster did not answer)';

/** The status timeline with the breaks cut out as unknown spans: a status is not claimed while nobody looked. */
export function cutUnobserved(timeline: readonly StatusSpan[], spans: readonly ObservedSpan[], slackMs: number): StatusSpan[] {
  const gaps: { from: number; to: number }[] = [];
  for (let i = 1; i < spans.length; i += 1) {
    const from = spans[i - 1]!.to + slackMs;
    const to = spans[i]!.from - slackMs;
    if (to > from) gaps.push({ from, to });
  }
  if (gaps.length === 0) return [...timeline];
  const out: StatusSpan[] = [];
  for (const span of timeline) {
    let cursor = span.from;
    for (const gap of gaps) {
      if (gap.to <= cursor || gap.from >= span.to) continue;
      if (gap.from > cursor) out.push({ ...span, from: cursor, to: gap.from });
      out.push({ from: Math.max(gap.from, cursor), to: Math.min(gap.to, span.to), status: null, reason: NOT_WATCHING });
      cursor = Math.min(gap.to, span.to);
    }
    if (cursor < span.to) out.push({ ...span, from: cursor });
  }
  return out;
}
