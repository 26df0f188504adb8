'use client';
import { memo } from 'react';
import { formatCount, formatDuration, formatRate } from '../../lib/format';
import { TimeSeriesChart, type ChartLine } from '../charts/TimeSeriesChart';
import { StatusTimeline } from './StatusTimeline';
import type { ChartRangeId } from '../../lib/charts/ranges';
import { RangePicker } from '../charts/RangePicker';
import type { GroupHistory } from './use-group-history';

const seconds = (s: number) => (s < 1 ? '0 s' : formatDuration(s));

// Module constants: a new array each render would defeat the charts' memo, and the page re-renders every second.
const LAG_LINES: ChartLine[] = [{ key: 'lag', label: 'lag', color: 'var(--accent)' }];
const LAG_SECONDS_LINES: ChartLine[] = [{ key: 'lagSecondsMax', label: 'lag in time', color: 'var(--warn)' }];
const RATE_LINES: ChartLine[] = [
  { key: 'produceRate', label: 'produced', color: 'var(--muted)', dashed: true },
  { key: 'consumeRate', label: 'consumed', color: 'var(--ok)' },
];

/** Lag, lag in seconds, produce vs consume and the status band over a chosen range, kept live. */
export const GroupCharts = memo(function GroupCharts({ group, range, onRange, history }: { group: string; range: ChartRangeId; onRange: (range: ChartRangeId) => void; history: GroupHistory }) {
  const sync = `group-${group}`;
  return (
    <section className="panel group-charts" aria-label="History">
      <h2>
        History
        <RangePicker range={range} onRange={onRange} />
        {history.loading ? <span className="muted small">loading…</span> : null}
      </h2>
      {history.error ? <p className="notice notice-warn small" role="status">History is incomplete: {history.error}</p> : null}
      <div className="chart-block">
        <h3>Status</h3>
        <StatusTimeline spans={history.spans} from={history.from} to={history.to} />
      </div>
      <div className="chart-grid">
        <div className="chart-block">
          <h3>Lag (messages)</h3>
          <TimeSeriesChart testId="chart-lag" points={history.points} lines={LAG_LINES} from={history.from} to={history.to} format={formatCount} syncId={sync} />
        </div>
        <div className="chart-block">
          <h3>Lag in time (oldest unread message)</h3>
          <TimeSeriesChart testId="chart-lag-seconds" points={history.points} lines={LAG_SECONDS_LINES} from={history.from} to={history.to} format={seconds} syncId={sync} />
        </div>
        <div className="chart-block">
          <h3>Produced vs consumed (messages/s)</h3>
          <TimeSeriesChart
            testId="chart-rates"
            points={history.points}
            lines={RATE_LINES}
            from={history.from}
            to={history.to}
            format={formatRate}
            syncId={sync}
          />
        </div>
      </div>
    </section>
  );
});
