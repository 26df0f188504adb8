import { describe, expect, it } from 'vitest';
import { formatAge, formatCount, formatDuration, isStale } from './format';

describe('format', () => {
  it('ages', () => {
    expect(formatAge(10_000, 10_500)).toBe('just now');
    expect(formatAge(0, 12_000)).toBe('12 s ago');
    expect(formatAge(0, 4 * 60_000 + 5_000)).toBe('4 min ago');
    expect(formatAge(20_000, 10_000)).toBe('just now'); // clock skew never shows a negative age
  });
  it('durations', () => {
    expect(formatDuration(3 * 3600 + 10 * 60)).toBe('3 h 10 min');
    expect(formatDuration(2 * 86400 + 4 * 3600)).toBe('2 d 4 h');
    expect(formatDuration(7200)).toBe('2 h');
  });
  it('counts, with unknown shown as a dash', () => {
    expect(formatCount(null)).toBe('—');
    expect(formatCount(950)).toBe('950');
    expect(formatCount(1234)).toBe('1.2k');
    expect(formatCount(45_000)).toBe('45k');
    expect(formatCount(4_100_000)).toBe('4.1M');
  });
  it('staleness after two poll cycles', () => {
    expect(isStale(null, 5000, 0)).toBe(true);
    expect(isStale(0, 5000, 10_000)).toBe(false);
    expect(isStale(0, 5000, 10_001)).toBe(true);
  });
});
