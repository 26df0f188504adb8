import { describe, expect, it } from 'vitest';
import type { StatusSpan } from '../contract/groups';
import { blankUnobserved, cutUnobserved, inObservationGap, type ObservedSpan } from './observed';

// Topolog polled every 2 s from 20:00 to 20:26, was stopped, and came back at 20:52 (as on the dev machine).
const MIN = 60_000;
const spans: ObservedSpan[] = [
  { from: 0, to: 26 * MIN },
  { from: 52 * MIN, to: 60 * MIN },
];

describe('inObservationGap', () => {
  it('is true only between two spans', () => {
    expect(inObservationGap(spans, 10 * MIN, 2000)).toBe(false);
    expect(inObservationGap(spans, 40 * MIN, 2000)).toBe(true);
    expect(inObservationGap(spans, 26 * MIN + 1500, 2000)).toBe(false);
    expect(inObservationGap(spans, 55 * MIN, 2000)).toBe(false);
    // Past the last poll: not a break, the current run has not got there yet.
    expect(inObservationGap(spans, 61 * MIN, 2000)).toBe(false);
    // Before any span (history older than the spans table): nothing is claimed.
    expect(inObservationGap(spans, -5 * MIN, 2000)).toBe(false);
    expect(inObservationGap([], 40 * MIN, 2000)).toBe(false);
  });
});

describe('blankUnobserved', () => {
  it('turns points in the break into unknowns, so the chart draws a gap instead of a ramp', () => {
    const points = [10, 30, 40, 53].map((m) => ({ t: m * MIN, lag: 1 as number | null, rate: 1.45 as number | null }));
    const out = blankUnobserved(points, spans, 2000, (p) => ({ ...p, lag: null, rate: null }));
    expect(out.map((p) => p.lag)).toEqual([1, null, null, 1]);
  });
});

describe('cutUnobserved', () => {
  it('cuts the break out of a status span as unknown', () => {
    const timeline: StatusSpan[] = [
      { from: 0, to: 20 * MIN, status: 'OK', reason: 'consuming' },
      { from: 20 * MIN, to: 60 * MIN, status: 'STOP', reason: 'no consumer' },
    ];
    const out = cutUnobserved(timeline, spans, 0);
    expect(out.map((s) => [s.from / MIN, s.to / MIN, s.status])).toEqual([
      [0, 20, 'OK'],
      [20, 26, 'STOP'],
      [26, 52, null],
      [52, 60, 'STOP'],
    ]);
    expect(out[2]!.reason).toContain('not watching');
  });

  it('leaves a timeline without breaks alone', () => {
    const timeline: StatusSpan[] = [{ from: 0, to: 10 * MIN, status: 'OK', reason: null }];
    expect(cutUnobserved(timeline, [{ from: 0, to: 10 * MIN }], 2000)).toEqual(timeline);
  });
});
