'use client';
import type { StatusSpan } from '../../lib/contract';
import { formatClock, formatDuration } from '../../lib/format';
import { statusTone } from '../../lib/lag/status-tone';


/**
 * The group's status over the chart range as one coloured band: when it went bad and for how long, at a glance.
 * Grey hatching is "unknown" (Topolog was not running, or the group did not exist yet).
 */
export function StatusTimeline({ spans, from, to }: { spans: StatusSpan[]; from: number; to: number }) {
  const width = Math.max(1, to - from);
  const visible = spans.filter((s) => s.to > from && s.from < to);
  return (
    <div className="status-timeline" data-testid="status-timeline">
      <div className="status-band" role="list" aria-label="Status over time">
        {visible.length === 0 ? <span className="status-band-empty muted small">No status recorded in this range yet.</span> : null}
        {visible.map((span) => {
          const start = Math.max(span.from, from);
          const end = Math.min(span.to, to);
          const label = span.status ? span.status.replace('_', ' ') : 'unknown';
          const title = `${label} ${formatClock(start)}–${formatClock(end)} (${formatDuration((end - start) / 1000)})${span.reason ? `: ${span.reason}` : ''}`;
          return (
            <span
              key={`${span.from}-${span.status}`}
              role="listitem"
              className={`status-seg ${span.status ? `seg-${statusTone(span.status)}` : 'seg-unknown'}`}
              style={{ left: `${((start - from) / width) * 100}%`, width: `${((end - start) / width) * 100}%` }}
              title={title}
              aria-label={title}
              data-status={span.status ?? 'unknown'}
            >
              {(end - start) / width > 0.08 ? label : ''}
            </span>
          );
        })}
      </div>
      <div className="status-axis muted small">
        <span>{formatClock(from)}</span>
        <span>{formatClock(from + width / 2)}</span>
        <span>now</span>
      </div>
    </div>
  );
}
