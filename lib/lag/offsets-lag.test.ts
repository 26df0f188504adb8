import { describe, expect, it } from 'vitest';
import { computePartitionLag, maxLag, sumLag } from './offsets-lag';

const offsets = (committed: number | null, highWatermark: number | null, logStartOffset: number | null = 0, lastStableOffset: number | null = null) => ({
  committed,
  highWatermark,
  logStartOffset,
  lastStableOffset,
});

describe('computePartitionLag', () => {
  it('is H − C for a consumer within the log', () => {
    expect(computePartitionLag(offsets(1_000_250, 1_000_500, 990_000))).toEqual({
      lag: 250,
      lagCommitted: null,
      messagesLost: 0,
      dataLoss: false,
      noCommit: false,
      lagIsUpperBound: false,
    });
  });

  it('clamps at 0 when the commit was fetched after the HWM and passed it (KLE #138)', () => {
    expect(computePartitionLag(offsets(1_000_510, 1_000_500)).lag).toBe(0);
  });

  it('measures from the log start when retention overtook the consumer, and counts what was lost', () => {
    const lag = computePartitionLag(offsets(500, 10_000, 2_000));
    expect(lag).toMatchObject({ lag: 8_000, messagesLost: 1_500, dataLoss: true });
  });

  it('treats no commit (null or Kafka -1) as unknown lag, not as H − 0', () => {
    for (const committed of [null, -1]) {
      expect(computePartitionLag(offsets(committed, 10_000))).toEqual({
        lag: null,
        lagCommitted: null,
        messagesLost: null,
        dataLoss: false,
        noCommit: true,
        lagIsUpperBound: false,
      });
    }
  });

  it('reports lag to the LSO for read_committed consumers, never above the HWM lag', () => {
    // Open transaction: records 10_000..10_399 written but not committed, so the LSO is 10_000.
    const lag = computePartitionLag(offsets(9_900, 10_400, 0, 10_000));
    expect(lag.lag).toBe(500);
    expect(lag.lagCommitted).toBe(100);
    expect(computePartitionLag(offsets(10_000, 10_400, 0, 10_000)).lagCommitted).toBe(0);
  });

  it('leaves what it cannot know as null: HWM unreachable, log start not fetched yet', () => {
    expect(computePartitionLag(offsets(100, null)).lag).toBeNull();
    const noLogStart = computePartitionLag(offsets(100, 300, null));
    expect(noLogStart.lag).toBe(200);
    expect(noLogStart.messagesLost).toBeNull();
    expect(noLogStart.dataLoss).toBe(false);
  });

  it('marks lag on compacted topics as an upper bound, but 0 is exact', () => {
    expect(computePartitionLag({ ...offsets(100, 300), compacted: true }).lagIsUpperBound).toBe(true);
    expect(computePartitionLag({ ...offsets(300, 300), compacted: true }).lagIsUpperBound).toBe(false);
  });

  it('stays exact near 2^53', () => {
    const top = Number.MAX_SAFE_INTEGER;
    expect(computePartitionLag(offsets(top - 1_234, top, top - 5_000)).lag).toBe(1_234);
  });

  it('never returns NaN or Infinity for garbage input', () => {
    const lag = computePartitionLag(offsets(Number.NaN, Number.POSITIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY));
    expect(lag).toMatchObject({ lag: null, noCommit: true });
    const badHwm = computePartitionLag(offsets(5, Number.NaN, Number.POSITIVE_INFINITY, Number.NaN));
    expect(badHwm).toEqual({ lag: null, lagCommitted: null, messagesLost: null, dataLoss: false, noCommit: false, lagIsUpperBound: false });
  });
});

describe('sumLag and maxLag', () => {
  it('ignore unknown partitions instead of counting them as 0 or poisoning the total', () => {
    expect(sumLag([250, null, 1_000, undefined])).toBe(1_250);
    expect(maxLag([250, null, 1_000])).toBe(1_000);
    expect(sumLag([Number.NaN, 5, Number.POSITIVE_INFINITY])).toBe(5);
    expect(maxLag([Number.POSITIVE_INFINITY, 3])).toBe(3);
  });

  it('are null when nothing is known, and 0 is a real 0', () => {
    expect(sumLag([])).toBeNull();
    expect(sumLag([null, null])).toBeNull();
    expect(maxLag([null])).toBeNull();
    expect(sumLag([0, null])).toBe(0);
    expect(maxLag([0, 0])).toBe(0);
  });
});
