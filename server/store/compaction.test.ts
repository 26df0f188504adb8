import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, T0, at, timeReached, useTempStores } from './test-support';
import type { HistoryStore, HwmPoint } from './types';

const { open, dataDir } = useTempStores();

/** Compacts until there is nothing left to do; returns how many calls that took. */
function compactFully(store: HistoryStore, nowMs: number, budgetMs = 1_000): number {
  for (let calls = 1; calls < 100_000; calls += 1) if (store.compact(nowMs, budgetMs).done) return calls;
  throw new Error('compaction never finished');
}

/**
 * An hour of a bursty producer: steady, then idle, then a single burst, then idle, then irregular (some polls
 * see nothing). The shapes the thinning rule has to get right.
 */
function burstyHwm(i: number): number {
  const minute = (i * 5) / 60;
  if (minute < 10) return 1_000 + 10 * i;
  if (minute < 30.5) return 1_000 + 10 * 120;
  if (minute < 45) return 2_700; // the burst, in the middle of a bucket
  const k = i - 540;
  return 2_700 + k * 7 + (k % 3 === 0 ? 0 : 5) * Math.floor(k / 3);
}

function bucketCounts(points: readonly HwmPoint[], bucketMs: number, beforeMs: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of points) if (p.t < beforeMs) counts.set(Math.floor(p.t / bucketMs), (counts.get(Math.floor(p.t / bucketMs)) ?? 0) + 1);
  return counts;
}

describe('downsampling', () => {
  it('keeps every reading within one bucket of the full-resolution one', () => {
    const store = open({ fullResolutionMs: 10 * MINUTE, downsampleBucketMs: MINUTE });
    const cycles = 720; // one hour
    for (let i = 0; i < cycles; i += 1) {
      store.recordCycle('c1', at(i), {
        partitions: [
          { topic: 'bursty', partition: 0, hwm: burstyHwm(i) },
          { topic: 'steady', partition: 0, hwm: 50 * i },
        ],
      });
    }
    const before = store.hwmHistory('c1', 'bursty', 0, T0);
    const steadyBefore = store.hwmHistory('c1', 'steady', 0, T0);
    const now = at(cycles - 1);
    compactFully(store, now);
    const after = store.hwmHistory('c1', 'bursty', 0, T0);
    const steadyAfter = store.hwmHistory('c1', 'steady', 0, T0);
    const cutoff = Math.floor((now - 10 * MINUTE) / MINUTE) * MINUTE;

    const older = (points: readonly HwmPoint[]) => points.filter((p) => p.t < cutoff).length;
    expect(older(after)).toBeLessThan(older(before) / 5);
    // Rows younger than the full-resolution window are untouched.
    expect(after.filter((p) => p.t >= cutoff)).toEqual(before.filter((p) => p.t >= cutoff));
    // A steady series keeps exactly one row per bucket; a bursty one at most two (last + a flat-run end).
    expect([...bucketCounts(steadyAfter, MINUTE, cutoff).values()].every((n) => n === 1)).toBe(true);
    expect(Math.max(...bucketCounts(after, MINUTE, cutoff).values())).toBeLessThanOrEqual(2);

    // Time lag reads "when did the HWM reach X": every answer moves by less than one bucket.
    for (const [full, thinned] of [
      [before, after],
      [steadyBefore, steadyAfter],
    ] as const) {
      const top = full.at(-1)?.offset ?? 0;
      for (let offset = (full[0]?.offset ?? 0) + 1; offset <= top; offset += 7) {
        const exact = timeReached(full, offset) as number;
        expect(Math.abs((timeReached(thinned, offset) as number) - exact)).toBeLessThan(MINUTE);
      }
    }
    // The idle 20 minutes before the burst are still flat: the burst is dated to minute 30, not smeared over them.
    expect(timeReached(after, 2_201)).toBeGreaterThan(T0 + 30 * MINUTE);

    // Applying the rule again changes nothing, and the in-memory last value is still right.
    const rows = store.stats().rows;
    store.compact(now + 1, 1_000);
    expect(store.stats().rows).toBe(rows);
    expect(store.recordCycle('c1', at(cycles), { partitions: [{ topic: 'steady', partition: 0, hwm: 50 * (cycles - 1) }] }).rowsWritten).toBe(0);
  });

  it('does a little per call when given a small budget, and ends where a single call would', () => {
    const fill = (store: HistoryStore) => {
      for (let i = 0; i < 240; i += 1) {
        store.recordCycle('c1', at(i), {
          partitions: Array.from({ length: 200 }, (_, p) => ({ topic: 't', partition: p, hwm: p % 3 === 0 ? 0 : i * (p + 1) })),
        });
      }
    };
    const options = { fullResolutionMs: 5 * MINUTE, downsampleBucketMs: MINUTE };
    const oneShot = open(options);
    fill(oneShot);
    const oneShotCalls = compactFully(oneShot, at(240));
    const oneShotRows = oneShot.stats().rows;
    const reference = oneShot.hwmHistory('c1', 't', 7, T0);
    oneShot.close();

    const dirBefore = dataDir();
    const bitByBit = open({ ...options, dataDir: `${dirBefore}/second` });
    fill(bitByBit);
    const calls = compactFully(bitByBit, at(240), 0);
    expect(oneShotCalls).toBeLessThanOrEqual(2);
    expect(calls).toBeGreaterThan(100); // zero budget: one series per call
    expect(bitByBit.stats().rows).toBe(oneShotRows);
    expect(bitByBit.hwmHistory('c1', 't', 7, T0)).toEqual(reference);
  });
});

describe('retention', () => {
  it('deletes rows older than the retention but keeps the value at the cutoff, and forgets series not seen since', () => {
    const store = open({ retentionMs: 2 * HOUR, fullResolutionMs: 30 * MINUTE, downsampleBucketMs: MINUTE });
    const cycles = (3 * HOUR) / 5_000;
    for (let i = 0; i < cycles; i += 1) {
      const partitions = [
        { topic: 'orders', partition: 0, hwm: i < 360 ? i : 360 }, // moves for 30 min, then flat
        { topic: 'orders', partition: 1, hwm: i }, // always moving
      ];
      if (i < 120) partitions.push({ topic: 'deleted', partition: 0, hwm: i }); // gone after 10 min
      store.recordCycle('c1', at(i), { partitions, commits: i < 120 ? [{ group: 'old', topic: 'deleted', partition: 0, committed: i }] : [] });
    }
    const now = at(cycles - 1);
    const cutoff = now - 2 * HOUR;
    compactFully(store, now);

    const flat = store.hwmHistory('c1', 'orders', 0, T0);
    expect(flat.filter((p) => p.t < cutoff)).toHaveLength(1);
    expect(flat[0]?.offset).toBe(360);
    expect(flat.at(-1)).toEqual({ t: now, offset: 360, lso: null });

    const moving = store.hwmHistory('c1', 'orders', 1, T0);
    expect(moving.filter((p) => p.t <= cutoff)).toHaveLength(1);
    expect(moving[0]?.t).toBeGreaterThan(cutoff - MINUTE);

    expect(store.hwmHistory('c1', 'deleted', 0, T0)).toEqual([]);
    expect(store.commitHistory('c1', 'old', 'deleted', 0, T0)).toEqual([]);
    expect(store.stats().series).toBe(2);
    // A forgotten series that shows up again starts afresh.
    store.recordCycle('c1', now + 5_000, { partitions: [{ topic: 'deleted', partition: 0, hwm: 1 }] });
    expect(store.hwmHistory('c1', 'deleted', 0, T0)).toEqual([{ t: now + 5_000, offset: 1, lso: null }]);
  });

  it('forgets a deleted topic or group on request', () => {
    const store = open();
    store.recordCycle('c1', at(0), {
      partitions: [
        { topic: 'orders', partition: 0, hwm: 5 },
        { topic: 'payments', partition: 0, hwm: 5 },
      ],
      commits: [
        { group: 'billing', topic: 'orders', partition: 0, committed: 1 },
        { group: 'billing', topic: 'payments', partition: 0, committed: 1 },
        { group: 'audit', topic: 'payments', partition: 0, committed: 1 },
      ],
      logStarts: [{ topic: 'orders', partition: 0, logStart: 0 }],
    });
    expect(store.forget('c1', { topic: 'orders' })).toBe(3);
    expect(store.hwmHistory('c1', 'orders', 0, T0)).toEqual([]);
    expect(store.windowFor('c1', 'billing', T0).map((w) => w.topic)).toEqual(['payments']);
    expect(store.forget('c1', { group: 'billing' })).toBe(1);
    expect(store.forget('c1', { group: 'billing' })).toBe(0);
    expect(store.stats()).toMatchObject({ series: 2, rows: 2 });
  });
});
