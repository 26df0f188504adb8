'use client';
import { useCallback, useEffect, useState } from 'react';
import { CHART_RANGES, parseRange, type ChartRangeId } from '../../lib/charts/ranges';

/** The chart range, kept in the address (`?range=6h`) so a link shows the same window. */
export function useRangeParam(): [ChartRangeId, (range: ChartRangeId) => void] {
  const [range, setRange] = useState<ChartRangeId>('1h');
  useEffect(() => setRange(parseRange(new URLSearchParams(window.location.search).get('range'))), []);
  // Stable, so the memoised charts below it do not re-render every second with the page.
  const change = useCallback((next: ChartRangeId) => {
    setRange(next);
    const url = new URL(window.location.href);
    url.searchParams.set('range', next);
    window.history.replaceState(window.history.state, '', url);
  }, []);
  return [range, change];
}

export function RangePicker({ range, onRange }: { range: ChartRangeId; onRange: (range: ChartRangeId) => void }) {
  return (
    <span className="range-picker" role="group" aria-label="Chart range">
      {CHART_RANGES.map((r) => (
        <button key={r.id} type="button" className={`button small${r.id === range ? ' active' : ''}`} aria-pressed={r.id === range} onClick={() => onRange(r.id)} data-testid={`range-${r.id}`}>
          {r.label}
        </button>
      ))}
    </span>
  );
}
