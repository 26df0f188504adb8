import { describe, expect, it } from 'vitest';
import { etaToCatchUpSeconds, MAX_ETA_SECONDS } from './eta';

describe('etaToCatchUpSeconds', () => {
  it('is lag ÷ (consume − produce) while the group gains on the producers', () => {
    expect(etaToCatchUpSeconds(90_000, 200, 50)).toBe(600);
  });

  it('is 0 without lag, whatever is known about the rates', () => {
    expect(etaToCatchUpSeconds(0, null, null)).toBe(0);
    expect(etaToCatchUpSeconds(0, 10, 50)).toBe(0);
  });

  it('is null when the group is not gaining: slower, or exactly as fast', () => {
    expect(etaToCatchUpSeconds(5_000, 40, 50)).toBeNull();
    expect(etaToCatchUpSeconds(5_000, 50, 50)).toBeNull();
    expect(etaToCatchUpSeconds(5_000, 0, 0)).toBeNull();
  });

  it('is null when the lag or a rate is unknown', () => {
    expect(etaToCatchUpSeconds(null, 200, 50)).toBeNull();
    expect(etaToCatchUpSeconds(5_000, null, 50)).toBeNull();
    expect(etaToCatchUpSeconds(5_000, 200, null)).toBeNull();
  });

  it('is null past 30 days, where the forecast is noise', () => {
    expect(etaToCatchUpSeconds(MAX_ETA_SECONDS, 1.5, 0.5)).toBe(MAX_ETA_SECONDS);
    expect(etaToCatchUpSeconds(10_000_000, 50.01, 50)).toBeNull();
  });

  it('never returns NaN or Infinity for garbage input', () => {
    expect(etaToCatchUpSeconds(Number.NaN, 200, 50)).toBeNull();
    expect(etaToCatchUpSeconds(1_000, Number.POSITIVE_INFINITY, 50)).toBeNull();
    expect(etaToCatchUpSeconds(Number.POSITIVE_INFINITY, 200, 50)).toBeNull();
    expect(etaToCatchUpSeconds(Number.MAX_VALUE, Number.MIN_VALUE * 2, Number.MIN_VALUE)).toBeNull();
  });
});
