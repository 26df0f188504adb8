import { describe, expect, it } from 'vitest';
import { exactLagNow } from './use-exact-lag';

describe('exactLagNow', () => {
  const reading = { lagSeconds: 42, committed: 7_120, readAt: 1_000_000 };
  it('ages with the clock while the committed offset stays', () => {
    expect(exactLagNow(reading, 7_120, 1_010_000)).toBe(52);
  });
  it('is dropped once the group commits past the record it read', () => {
    expect(exactLagNow(reading, 7_121, 1_010_000)).toBeNull();
    expect(exactLagNow(undefined, 7_120, 1_010_000)).toBeNull();
  });
});
