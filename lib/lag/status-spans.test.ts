import { describe, expect, it } from 'vitest';
import type { StatusSpan } from '../contract/groups';
import { extendStatusSpans, mergeStatusSpans, statusSince } from './status-spans';

// email-service over 15 minutes: unknown before Topolog started, OK, then stopped (STOP), as stored.
const stored: StatusSpan[] = [
  { from: 0, to: 60_000, status: null, reason: null },
  { from: 60_000, to: 600_000, status: 'OK', reason: 'consuming' },
  { from: 600_000, to: 840_000, status: 'STOP', reason: 'no commits for 4 min while 120 messages wait' },
];

describe('extendStatusSpans', () => {
  it('extends the last span while the status holds', () => {
    const next = extendStatusSpans(stored, 'STOP', 'no commits for 4 min while 130 messages wait', 845_000, 0);
    expect(next).toHaveLength(3);
    expect(next[2]).toMatchObject({ from: 600_000, to: 845_000, status: 'STOP', reason: 'no commits for 4 min while 130 messages wait' });
  });

  it('opens a new span when the status changes', () => {
    const next = extendStatusSpans(stored, 'OK', 'caught up', 850_000, 0);
    expect(next[3]).toEqual({ from: 840_000, to: 850_000, status: 'OK', reason: 'caught up' });
  });

  it('drops spans before the window and clips the first', () => {
    const next = extendStatusSpans(stored, 'STOP', null, 845_000, 300_000);
    expect(next.map((s) => [s.from, s.status])).toEqual([[300_000, 'OK'], [600_000, 'STOP']]);
  });

  it('ignores a tick older than what it holds', () => {
    expect(extendStatusSpans(stored, 'OK', null, 800_000, 0)).toEqual(stored);
  });

  it('starts from nothing', () => {
    expect(extendStatusSpans([], 'OK', null, 5000, 0)).toEqual([{ from: 5000, to: 5000, status: 'OK', reason: null }]);
  });
});

describe('statusSince', () => {
  it('is the start of the trailing run of the current status', () => {
    expect(statusSince(stored, 'STOP')).toBe(600_000);
    expect(statusSince(mergeStatusSpans([...stored, { from: 840_000, to: 900_000, status: 'STOP', reason: 'x' }]), 'STOP')).toBe(600_000);
    expect(statusSince(stored, 'OK')).toBeNull();
  });
});

describe('mergeStatusSpans', () => {
  it('joins adjacent spans of one status', () => {
    const merged = mergeStatusSpans([
      { from: 0, to: 10, status: 'OK', reason: 'a' },
      { from: 10, to: 20, status: 'OK', reason: 'b' },
      { from: 20, to: 30, status: 'WARN', reason: 'c' },
    ]);
    expect(merged).toEqual([
      { from: 0, to: 20, status: 'OK', reason: 'b' },
      { from: 20, to: 30, status: 'WARN', reason: 'c' },
    ]);
  });
});
