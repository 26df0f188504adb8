import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  const noJitter = { jitter: 0 };
  it('doubles from the base delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, noJitter))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelayMs(1000, noJitter)).toBe(30000);
  });
  it('spreads retries with jitter but never beyond the cap or below zero', () => {
    expect(backoffDelayMs(1, { random: () => 0 })).toBe(800);
    expect(backoffDelayMs(1, { random: () => 1 })).toBe(1200);
    expect(backoffDelayMs(10, { random: () => 1 })).toBe(30000);
  });
});
