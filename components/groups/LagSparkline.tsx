import type { TrendDirection, TrendPoint } from '../../lib/groups/trend-ring';
import { formatCount } from '../../lib/format';

const WIDTH = 84;
const HEIGHT = 22;
const PAD = 2;
const MIN_SPAN_MS = 2 * 60_000;

const WORDS = { rising: 'rising', falling: 'falling', flat: 'steady', unknown: 'not enough data' } as const;

/**
 * Total lag over the last minutes as a tiny inline SVG (60 points do not need a chart library). Unknown lag breaks
 * the line rather than inventing values. Red when rising, green when falling, grey when steady.
 */
/** `direction` is `trendDirection(points)`, computed once by the row, which needs it for the ETA column too. */
export function LagSparkline({ points, direction, windowMs }: { points: readonly TrendPoint[]; direction: TrendDirection; windowMs: number }) {
  const known = points.filter((p) => p.lag !== null);
  if (known.length < 2) {
    const never = points.length >= 2;
    return (
      <span className="sparkline-empty muted small" title={never ? 'Lag unknown: the group has no committed offsets to measure.' : 'The trend needs two polls at least 15 s apart.'}>
        {never ? '—' : 'collecting…'}
      </span>
    );
  }
  // From the first known point (at least MIN_SPAN back) to the newest: a group followed for three minutes fills the
  // width instead of being a speck at the right edge; the label says how many minutes the line covers.
  const end = points[points.length - 1]!.t;
  const span = Math.min(windowMs, Math.max(MIN_SPAN_MS, end - known[0]!.t));
  const start = end - span;
  const max = Math.max(1, ...known.map((p) => p.lag as number));
  const x = (t: number) => PAD + (Math.max(0, t - start) / span) * (WIDTH - 2 * PAD);
  const y = (lag: number) => HEIGHT - PAD - (lag / max) * (HEIGHT - 2 * PAD);
  // Split at unknown points: a gap says "we do not know", a line through it would invent values.
  const segments: string[] = [];
  let current: string[] = [];
  for (const p of points) {
    if (p.t < start) continue;
    if (p.lag === null) {
      if (current.length > 1) segments.push(current.join(' '));
      current = [];
      continue;
    }
    current.push(`${x(p.t).toFixed(1)},${y(p.lag).toFixed(1)}`);
  }
  if (current.length > 1) segments.push(current.join(' '));
  const last = known[known.length - 1]!;
  const first = known[0]!;
  const minutes = Math.max(1, Math.round((last.t - first.t) / 60_000));
  const label = `Lag ${WORDS[direction]}: ${formatCount(first.lag)} → ${formatCount(last.lag)} messages over ${minutes} min`;
  return (
    <svg className={`sparkline sparkline-${direction}`} width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} data-testid="group-trend" data-direction={direction}>
      <title>{label}</title>
      {segments.map((s, i) => (
        <polyline key={i} points={s} fill="none" strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" />
      ))}
      <circle cx={x(last.t)} cy={y(last.lag as number)} r={2} />
    </svg>
  );
}
