import { describe, expect, it } from 'vitest';
import { batchSizeFor, estimatedSeconds, RateMeter, TokenBucket } from './rate-limiter';

describe('rate limiter', () => {
  it('lets a burst through, then paces to the rate', () => {
    const bucket = new TokenBucket(100, 0); // burst 25
    expect(bucket.take(25, 0)).toBe(0);
    // 25 more need 250 ms of refill.
    expect(bucket.take(25, 0)).toBe(250);
    // After waiting those 250 ms the debt is paid; the next 25 need another 250 ms.
    expect(bucket.take(25, 250)).toBe(250);
  });

  it('keeps the long-run rate whatever the batch size (large batches borrow)', () => {
    const bucket = new TokenBucket(1_000, 0);
    let now = 0;
    for (let i = 0; i < 10; i++) now += bucket.take(700, now);
    // 7,000 records at 1,000/s: about 7 s less the initial burst.
    expect(now).toBeGreaterThanOrEqual(6_700);
    expect(now).toBeLessThanOrEqual(7_000);
  });

  it('does not bank more than the burst while idle', () => {
    const bucket = new TokenBucket(10, 0);
    expect(bucket.take(3, 60_000)).toBeGreaterThan(0);
  });

  it('sizes batches and estimates durations', () => {
    expect(batchSizeFor(null)).toBe(5_000);
    expect(batchSizeFor(100)).toBe(25);
    expect(batchSizeFor(1)).toBe(1);
    expect(batchSizeFor(10_000_000)).toBe(5_000);
    expect(estimatedSeconds(1_000, 100)).toBe(10);
    expect(estimatedSeconds(1_000, null)).toBeNull();
    expect(() => new TokenBucket(0, 0)).toThrow();
  });

  it('measures a rate over a window, null until it has one', () => {
    const m = new RateMeter(5_000);
    expect(m.rate()).toBeNull();
    m.add(0, 0);
    expect(m.rate()).toBeNull();
    m.add(1_000, 500);
    expect(m.rate()).toBe(500);
    m.add(10_000, 500);
    expect(m.rate()).toBe(0);
  });
});
