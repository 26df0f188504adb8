'use client';
import { useNow } from '../realtime/use-now';
import { formatClock } from '../../lib/format';

/** How far back the scrubber reaches: the evidence log keeps a day of topology (topology.staleMs). */
const SCRUB_RANGE_MS = 24 * 3_600_000;
const STEP_MS = 60_000;


/**
 * Move back in time over the last day: the map shows the topology and figures of that moment. "Live" returns to
 * now. Arrow keys on the slider move a minute at a time; the buttons jump by 5 minutes and an hour.
 */
export function TimeScrubber({ at, setAt, loading }: { at: number | null; setAt: (at: number | null) => void; loading: boolean }) {
  const now = useNow(30_000);
  const max = Math.floor(now / STEP_MS) * STEP_MS;
  const min = max - SCRUB_RANGE_MS;
  const value = at === null ? max : Math.min(max, Math.max(min, at));
  const go = (t: number) => setAt(t >= max ? null : Math.max(min, t));
  return (
    <div className={`time-scrubber${at === null ? ' is-live' : ''}`} data-testid="time-scrubber">
      <button type="button" className="button small-button" onClick={() => go(value - 3_600_000)} aria-label="One hour back">−1 h</button>
      <button type="button" className="button small-button" onClick={() => go(value - 5 * STEP_MS)} aria-label="Five minutes back">−5 min</button>
      <span className="muted small">{formatClock(min)}</span>
      <input
        type="range"
        min={min}
        max={max}
        step={STEP_MS}
        value={value}
        onChange={(e) => go(Number(e.target.value))}
        aria-label="Time shown on the map"
        aria-valuetext={at === null ? 'live' : new Date(value).toLocaleString()}
        data-testid="time-slider"
      />
      <span className="muted small">now</span>
      <button type="button" className="button small-button" onClick={() => go(value + 5 * STEP_MS)} aria-label="Five minutes forward" disabled={at === null}>+5 min</button>
      <button type="button" className={`button live-button${at === null ? ' active' : ''}`} onClick={() => setAt(null)} data-testid="live-button" aria-pressed={at === null}>
        ● Live
      </button>
      <span className="time-label" data-testid="time-label">
        {at === null ? 'live' : new Date(at).toLocaleString()}
        {loading && at !== null ? ' · loading…' : ''}
      </span>
    </div>
  );
}
