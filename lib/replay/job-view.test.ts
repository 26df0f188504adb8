import { describe, expect, it } from 'vitest';
import { allowedActions, jobProgress, secondsLeft } from './job-view';

describe('job progress', () => {
  it('counts offsets below each position, and caps at the range', () => {
    const ranges = [{ partition: 0, from: 0, to: 100 }, { partition: 1, from: 50, to: 150 }];
    expect(jobProgress({ ranges, positions: { '0': 50, '1': 500 }, state: 'running' })).toBe(0.75);
    expect(jobProgress({ ranges, positions: {}, state: 'running' })).toBe(0);
    expect(jobProgress({ ranges: [], positions: {}, state: 'running' })).toBeNull();
    expect(jobProgress({ ranges: [], positions: {}, state: 'completed' })).toBe(1);
  });
  it('offers the actions each state allows, and a time left only while running', () => {
    expect(allowedActions('running')).toEqual(['pause', 'cancel']);
    expect(allowedActions('failed')).toEqual(['resume', 'cancel']);
    expect(allowedActions('completed')).toEqual([]);
    expect(secondsLeft({ estimate: 100, written: 40, rate: 20, state: 'running' })).toBe(3);
    expect(secondsLeft({ estimate: 100, written: 40, rate: 20, state: 'paused' })).toBeNull();
  });
});
