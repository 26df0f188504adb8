import { describe, expect, it } from 'vitest';
import { edgeWidth } from './edge-style';

describe('edgeWidth', () => {
  it('is thin for unknown or idle flows and grows with each decade of throughput', () => {
    expect(edgeWidth(null)).toBe(1.5);
    expect(edgeWidth(0)).toBe(1.5);
    expect(edgeWidth(Number.NaN)).toBe(1.5);
    const widths = [0.5, 6.7, 100, 10_000].map(edgeWidth);
    expect([...widths].sort((a, b) => a - b)).toEqual(widths);
    expect(widths[1]! - widths[0]!).toBeGreaterThan(0.5);
    expect(edgeWidth(1e9)).toBe(9);
  });
});
