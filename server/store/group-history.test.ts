import { describe, expect, it } from 'vitest';
import { MINUTE, T0, at, useTempStores } from './test-support';

const { open } = useTempStores();

/**
 * Two partitions of 'orders', read by 'billing', for 10 minutes at a 5 s poll:
 * - p0: produced at 10 msg/s (50 per poll), consumed at 8 msg/s: its lag grows by 10 per poll.
 * - p1: produced and consumed at 2 msg/s, 20 behind throughout.
 * So the group produces 12 msg/s, consumes 10 msg/s, and at poll i lags 10·i + 20.
 */
function recordTwoPartitions(cycles: number, extra: (i: number) => object = () => ({})) {
  const store = open();
  for (let i = 0; i < cycles; i += 1) {
    store.recordCycle('c1', at(i), {
      partitions: [
        { topic: 'orders', partition: 0, hwm: 1_000 + 50 * i },
        { topic: 'orders', partition: 1, hwm: 500 + 10 * i },
      ],
      commits: [
        { group: 'billing', topic: 'orders', partition: 0, committed: 1_000 + 40 * i },
        { group: 'billing', topic: 'orders', partition: 1, committed: 480 + 10 * i },
      ],
      ...extra(i),
    });
  }
  return store;
}

describe('group and topic history', () => {
  it('computes the lag and the rates from the stored hwm and commit series', () => {
    const store = recordTwoPartitions(121);
    const chart = store.groupHistory('c1', 'billing', T0 + MINUTE, T0 + 10 * MINUTE, MINUTE);
    expect(chart).toHaveLength(10);
    chart.forEach((point, k) => {
      const i = 12 * (k + 1); // the poll at that minute
      expect(point).toEqual({ t: at(i), lag: 10 * i + 20, produceRate: 12, consumeRate: 10 });
    });
  });

  it('interpolates between polls and says nothing before the data or long after it', () => {
    const store = recordTwoPartitions(13);
    const chart = store.groupHistory('c1', 'billing', T0 - 10_000, at(12) + 30_000, 10_000);
    expect(chart[0]).toEqual({ t: T0 - 10_000, lag: null, produceRate: null, consumeRate: null });
    // At T0 the values are known but the step before is not, so there is no rate yet.
    expect(chart[1]).toEqual({ t: T0, lag: 20, produceRate: null, consumeRate: null });
    // Half-way between polls 2 and 3: lag 45, and the 10 s step produced 120 and consumed 100.
    expect(store.groupHistory('c1', 'billing', at(2) + 2_500, at(2) + 2_500, 10_000)).toEqual([
      { t: at(2) + 2_500, lag: 45, produceRate: 12, consumeRate: 10 },
    ]);
    // The last observation is held for one step, then the series is unknown.
    expect(chart.at(-2)).toMatchObject({ t: at(12) + 20_000, lag: null });
    expect(chart.find((p) => p.t === at(12) + 10_000)).toMatchObject({ lag: 140, produceRate: 0, consumeRate: 0 });
  });

  it('counts lag from the log start when retention overtook the consumer', () => {
    const store = recordTwoPartitions(13, () => ({ logStarts: [{ topic: 'orders', partition: 1, logStart: 600 }] }));
    // At poll 0, p1's log start (600) is past both its commit (480) and its HWM (500): lag 0, not 20.
    const [first] = store.groupHistory('c1', 'billing', T0, T0, MINUTE);
    expect(first?.lag).toBe(0);
    // At poll 12, p1 has hwm 620 and commit 600 = log start: 20 behind, as before.
    const [last] = store.groupHistory('c1', 'billing', at(12), at(12), MINUTE);
    expect(last?.lag).toBe(120 + (620 - 600));
  });

  it('gives a topic its produce rate', () => {
    const store = recordTwoPartitions(25);
    expect(store.topicHistory('c1', 'orders', at(12), at(24), MINUTE)).toEqual([
      { t: at(12), produceRate: 12 },
      { t: at(24), produceRate: 12 },
    ]);
    expect(store.topicHistory('c1', 'nothing', at(12), at(24), MINUTE)).toEqual([
      { t: at(12), produceRate: null },
      { t: at(24), produceRate: null },
    ]);
  });

  it('reads a flat run as flat: no production while the HWM stood still', () => {
    const store = open();
    const hwm = (i: number) => (i <= 24 ? 100 : 100 + 60 * (i - 24)); // still for 2 min, then 12 msg/s
    for (let i = 0; i <= 36; i += 1) store.recordCycle('c1', at(i), { partitions: [{ topic: 'orders', partition: 0, hwm: hwm(i) }] });
    expect(store.topicHistory('c1', 'orders', at(12), at(36), MINUTE)).toEqual([
      { t: at(12), produceRate: 0 },
      { t: at(24), produceRate: 0 },
      { t: at(36), produceRate: 12 },
    ]);
  });
});
