import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, formatCount, formatDuration, formatRate, isStale } from './format';

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
  it('never shows a count that rounds up into the next unit under the old one', () => {
    expect(formatCount(999.6)).toBe('1.0k');
    expect(formatCount(9_999)).toBe('10k');
    expect(formatCount(999_600)).toBe('1.0M');
    expect(formatCount(-1234)).toBe('-1.2k');
  });
  it('rates per second for badges', () => {
    expect(formatRate(null)).toBe('—');
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(0.01)).toBe('<0.1/s');
    expect(formatRate(6.698)).toBe('6.7/s');
    expect(formatRate(3)).toBe('3/s');
    expect(formatRate(99.97)).toBe('100/s');
    expect(formatRate(12_345)).toBe('12k/s');
  });
  it('staleness after two poll cycles', () => {
    expect(isStale(null, 5000, 0)).toBe(true);
    expect(isStale(0, 5000, 10_000)).toBe(false);
    expect(isStale(0, 5000, 10_001)).toBe(true);
  });
});

describe('formatBytes', () => {
  it('uses binary units like the broker configs do', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_048_588)).toBe('1.0 MiB');
    expect(formatBytes(1_073_741_824 * 7.5)).toBe('7.5 GiB');
    expect(formatBytes(1_073_741_824 * 50)).toBe('50 GiB');
  });
});
