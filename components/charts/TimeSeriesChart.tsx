'use client';
import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface ChartLine {
  key: string;
  label: string;
  /** A CSS colour, e.g. var(--danger). */
  color: string;
  dashed?: boolean;
}

/** Clock time for the axis: seconds on a short range, dates on a long one. */
function timeTick(rangeMs: number) {
  return (t: number) => {
    const d = new Date(t);
    if (rangeMs > 20 * 3_600_000) return d.toLocaleString([], { hour: '2-digit', minute: '2-digit', day: '2-digit', month: 'short' });
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', ...(rangeMs <= 30 * 60_000 ? { second: '2-digit' } : {}) });
  };
}

/**
 * One time series chart: lines over a fixed [from, to] domain, animation off (research/frontend.md: re-animating on
 * every live point costs more than drawing it). Gaps (null) stay gaps, so "unknown" never reads as zero.
 */
export interface TimeSeriesChartProps<P extends { t: number }> {
  points: P[];
  lines: ChartLine[];
  from: number;
  to: number;
  format: (value: number) => string;
  height?: number;
  testId?: string;
  /** A horizontal line, e.g. an SLO. */
  threshold?: { value: number; label: string } | null;
  syncId?: string;
}

function TimeSeriesChartImpl<P extends { t: number }>({ points, lines, from, to, format, height = 180, testId, threshold, syncId }: TimeSeriesChartProps<P>) {
  const tick = timeTick(to - from);
  // For tests and scrapers: what is plotted, without reading SVG paths.
  const first = lines[0]?.key;
  const known = first ? points.filter((p) => typeof (p as Record<string, unknown>)[first] === 'number') : [];
  const lastValue = known.length ? (known[known.length - 1] as Record<string, unknown>)[first!] : undefined;
  return (
    <div className="chart" data-testid={testId} data-points={known.length} data-first-t={known[0]?.t ?? ''} data-last-value={typeof lastValue === 'number' ? lastValue : ''}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={points} syncId={syncId} margin={{ top: 8, right: 16, bottom: 0, left: 4 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={[from, to]} tickFormatter={tick} stroke="var(--muted)" fontSize={11} minTickGap={40} allowDataOverflow />
          <YAxis tickFormatter={format} stroke="var(--muted)" fontSize={11} width={68} allowDecimals={false} domain={[0, 'auto']} />
          <Tooltip
            labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
            formatter={(value) => (typeof value === 'number' ? format(value) : '—')}
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 }}
            isAnimationActive={false}
          />
          {lines.length > 1 ? <Legend verticalAlign="top" height={22} iconType="plainline" wrapperStyle={{ fontSize: 12 }} /> : null}
          {threshold ? <ReferenceLine y={threshold.value} stroke="var(--danger)" strokeDasharray="4 4" label={{ value: threshold.label, position: 'insideTopRight', fontSize: 11, fill: 'var(--danger)' }} /> : null}
          {lines.map((line) => (
            <Line
              key={line.key}
              dataKey={line.key}
              name={line.label}
              stroke={line.color}
              strokeWidth={2}
              strokeDasharray={line.dashed ? '5 4' : undefined}
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
              type="linear"
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Memoised: a parent re-render without new points does not redraw the SVG. */
export const TimeSeriesChart = memo(TimeSeriesChartImpl) as typeof TimeSeriesChartImpl;
