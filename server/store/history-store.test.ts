import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { DB_FILE_NAME } from './open';
import { T0, at, useTempStores } from './test-support';
import { join } from 'node:path';

const { open, dataDir } = useTempStores();

function rowCount(dir: string): number {
  const db = new DatabaseSync(join(dir, DB_FILE_NAME), { readOnly: true });
  try {
    return Number(db.prepare('SELECT count(*) AS n FROM samples').get()?.n);
  } finally {
    db.close();
  }
}

describe('history store writes', () => {
  it('writes a row only when a value changes', () => {
    const store = open();
    const first = store.recordCycle('c1', at(0), { partitions: [{ topic: 'orders', partition: 0, hwm: 100 }] });
    const second = store.recordCycle('c1', at(1), { partitions: [{ topic: 'orders', partition: 0, hwm: 100 }] });
    expect(first).toEqual({ rowsWritten: 1, seriesCreated: 1, samplesIgnored: 0 });
    expect(second).toEqual({ rowsWritten: 0, seriesCreated: 0, samplesIgnored: 0 });
    expect(store.stats()).toMatchObject({ rows: 1, series: 1 });
    expect(rowCount(dataDir())).toBe(1);
  });

  it('shows where a flat run ends: the open run at the last observation, a finished one by a closing row', () => {
    const store = open();
    for (let i = 0; i <= 6; i += 1) store.recordCycle('c1', at(i), { partitions: [{ topic: 'orders', partition: 0, hwm: 100 }] });
    // Still flat: one row, and the reader adds the last observation so "still 100 at cycle 6" is visible.
    expect(store.hwmHistory('c1', 'orders', 0, T0)).toEqual([
      { t: at(0), offset: 100, lso: null },
      { t: at(6), offset: 100, lso: null },
    ]);
    const result = store.recordCycle('c1', at(7), { partitions: [{ topic: 'orders', partition: 0, hwm: 150 }] });
    expect(result.rowsWritten).toBe(2); // the closing row of the run and the change
    store.recordCycle('c1', at(8), { partitions: [{ topic: 'orders', partition: 0, hwm: 160 }] });
    expect(store.hwmHistory('c1', 'orders', 0, T0).map((p) => [p.t, p.offset])).toEqual([
      [at(0), 100],
      [at(6), 100],
      [at(7), 150],
      [at(8), 160],
    ]);
  });

  it('compares the LSO too, and keeps it on hwm points', () => {
    const store = open();
    store.recordCycle('c1', at(0), { partitions: [{ topic: 'tx', partition: 0, hwm: 10, lso: 8 }] });
    store.recordCycle('c1', at(1), { partitions: [{ topic: 'tx', partition: 0, hwm: 10, lso: 10 }] });
    expect(store.hwmHistory('c1', 'tx', 0, T0)).toEqual([
      { t: at(0), offset: 10, lso: 8 },
      { t: at(1), offset: 10, lso: 10 },
    ]);
  });

  it('pins the last observation of a series that stops being reported, and resumes it when it comes back', () => {
    const store = open();
    const both = (hwm: number) => [
      { topic: 'orders', partition: 0, hwm },
      { topic: 'orders', partition: 1, hwm },
    ];
    store.recordCycle('c1', at(0), { partitions: both(5) });
    store.recordCycle('c1', at(1), { partitions: both(5) });
    // Partition 1's leader is down for two cycles.
    store.recordCycle('c1', at(2), { partitions: [{ topic: 'orders', partition: 0, hwm: 5 }] });
    store.recordCycle('c1', at(3), { partitions: [{ topic: 'orders', partition: 0, hwm: 5 }] });
    expect(store.hwmHistory('c1', 'orders', 1, T0).at(-1)?.t).toBe(at(1));
    expect(store.hwmHistory('c1', 'orders', 0, T0).at(-1)?.t).toBe(at(3));
    store.recordCycle('c1', at(4), { partitions: both(9) });
    expect(store.hwmHistory('c1', 'orders', 1, T0).map((p) => [p.t, p.offset])).toEqual([
      [at(0), 5],
      [at(1), 5],
      [at(4), 9],
    ]);
  });

  it('leaves a kind alone when the cycle did not poll it', () => {
    const store = open();
    store.recordCycle('c1', at(0), { partitions: [{ topic: 'orders', partition: 0, hwm: 1 }], logStarts: [{ topic: 'orders', partition: 0, logStart: 0 }] });
    for (let i = 1; i <= 6; i += 1) store.recordCycle('c1', at(i), { partitions: [{ topic: 'orders', partition: 0, hwm: 1 }], commits: [] });
    store.recordCycle('c1', at(6) + 1, { logStarts: [{ topic: 'orders', partition: 0, logStart: 0 }] });
    expect(store.logStartHistory('c1', 'orders', 0, T0)).toEqual([
      { t: at(0), offset: 0 },
      { t: at(6) + 1, offset: 0 },
    ]);
    expect(store.hwmHistory('c1', 'orders', 0, T0).at(-1)?.t).toBe(at(6));
  });

  it('ignores a report that is not newer than the previous one, and duplicates within a cycle', () => {
    const store = open();
    store.recordCycle('c1', at(5), { partitions: [{ topic: 'orders', partition: 0, hwm: 50 }] });
    const stale = store.recordCycle('c1', at(4), { partitions: [{ topic: 'orders', partition: 0, hwm: 40 }] });
    expect(stale.samplesIgnored).toBe(1);
    const doubled = store.recordCycle('c1', at(6), {
      partitions: [
        { topic: 'orders', partition: 0, hwm: 60 },
        { topic: 'orders', partition: 0, hwm: 61 },
      ],
    });
    expect(doubled).toMatchObject({ rowsWritten: 1, samplesIgnored: 1 });
    expect(store.hwmHistory('c1', 'orders', 0, T0).map((p) => p.offset)).toEqual([50, 60]);
  });

  it('writes nothing from a cycle that fails, and still writes the change on the next one', () => {
    const store = open();
    store.recordCycle('c1', at(0), { partitions: [{ topic: 'orders', partition: 0, hwm: 10 }] });
    // The second sample names no topic: the series insert fails after the first sample was already handled.
    const broken = [
      { topic: 'orders', partition: 0, hwm: 20 },
      { topic: null as unknown as string, partition: 1, hwm: 5 },
    ];
    expect(() => store.recordCycle('c1', at(1), { partitions: broken })).toThrow();
    expect(store.hwmHistory('c1', 'orders', 0, T0)).toEqual([{ t: at(0), offset: 10, lso: null }]);
    // Had memory kept what the failed cycle saw, this change would look old and never be written.
    expect(store.recordCycle('c1', at(2), { partitions: [{ topic: 'orders', partition: 0, hwm: 20 }] })).toMatchObject({ rowsWritten: 1 });
    expect(store.hwmHistory('c1', 'orders', 0, T0).map((p) => [p.t, p.offset])).toEqual([
      [at(0), 10],
      [at(2), 20],
    ]);
  });

  it('ignores values that are not offsets, such as Kafka\'s -1 for "unknown"', () => {
    const store = open();
    const result = store.recordCycle('c1', at(0), {
      partitions: [{ topic: 'orders', partition: 0, hwm: 7, lso: -1 }],
      commits: [{ group: 'billing', topic: 'orders', partition: 0, committed: -1 }],
    });
    expect(result.samplesIgnored).toBe(1);
    expect(store.hwmHistory('c1', 'orders', 0, T0)).toEqual([{ t: at(0), offset: 7, lso: null }]);
    expect(store.commitHistory('c1', 'billing', 'orders', 0, T0)).toEqual([]);
    expect(store.stats().series).toBe(1);
  });

  it('keeps clusters apart', () => {
    const store = open();
    store.recordCycle('c1', at(0), { partitions: [{ topic: 'orders', partition: 0, hwm: 1 }] });
    store.recordCycle('c2', at(0), { partitions: [{ topic: 'orders', partition: 0, hwm: 2 }] });
    expect(store.hwmHistory('c1', 'orders', 0, T0)[0]?.offset).toBe(1);
    expect(store.hwmHistory('c2', 'orders', 0, T0)[0]?.offset).toBe(2);
    expect(store.hwmHistory('c3', 'orders', 0, T0)).toEqual([]);
  });
});

describe('history store reads', () => {
  it('starts a read with the newest row at or before fromMs, so the value at fromMs is known', () => {
    const store = open();
    for (let i = 0; i < 10; i += 1) {
      store.recordCycle('c1', at(i), { commits: [{ group: 'billing', topic: 'orders', partition: 0, committed: i < 5 ? 10 : 20 + i }] });
    }
    expect(store.commitHistory('c1', 'billing', 'orders', 0, at(7) + 1)).toEqual([
      { t: at(7), offset: 27 },
      { t: at(8), offset: 28 },
      { t: at(9), offset: 29 },
    ]);
  });

  it('stops a read at toMs, so a past moment does not read everything up to now', () => {
    const store = open();
    for (let i = 0; i < 10; i += 1) {
      store.recordCycle('c1', at(i), {
        partitions: [{ topic: 'orders', partition: 0, hwm: 100 + i }],
        commits: [{ group: 'billing', topic: 'orders', partition: 0, committed: 50 + i }],
      });
    }
    expect(store.hwmHistory('c1', 'orders', 0, at(2), at(4)).map((p) => p.t)).toEqual([at(2), at(3), at(4)]);
    expect(store.hwmHistory('c1', 'orders', 0, at(2)).at(-1)?.t).toBe(at(9));
    const [window] = store.windowFor('c1', 'billing', at(2), undefined, at(4));
    expect(window?.samples.at(-1)?.t).toBe(at(4));
  });

  it('builds the status window as the poller saw it, at changes or on a grid', () => {
    const store = open();
    for (let i = 0; i < 12; i += 1) {
      store.recordCycle('c1', at(i), {
        partitions: [{ topic: 'orders', partition: 0, hwm: 100 + 10 * Math.max(0, i - 6) }],
        commits: [{ group: 'billing', topic: 'orders', partition: 0, committed: 100 }],
        ...(i % 6 === 0 ? { logStarts: [{ topic: 'orders', partition: 0, logStart: 40 }] } : {}),
      });
    }
    const [window] = store.windowFor('c1', 'billing', at(2));
    expect(window?.coveredFromT).toBe(at(2));
    expect(window?.samples.map((s) => [s.t, s.committed, s.highWatermark, s.logStartOffset])).toEqual([
      [at(2), 100, 100, 40],
      [at(6), 100, 100, 40], // the HWM's flat-run end, and a log start report
      [at(7), 100, 110, 40],
      [at(8), 100, 120, 40],
      [at(9), 100, 130, 40],
      [at(10), 100, 140, 40],
      [at(11), 100, 150, 40],
    ]);
    const [gridded] = store.windowFor('c1', 'billing', at(2), 5_000);
    expect(gridded?.samples.map((s) => s.t)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(at));
    expect(gridded?.samples[2]).toMatchObject({ committed: 100, highWatermark: 100 });
  });

  it('loads a whole cluster at start-up, keyed topic/partition and group/topic/partition', () => {
    const store = open();
    for (let i = 0; i < 4; i += 1) {
      store.recordCycle('c1', at(i), {
        partitions: [
          { topic: 'orders', partition: 0, hwm: 10 * i },
          { topic: 'idle', partition: 3, hwm: 7 },
        ],
        commits: [{ group: 'team/a', topic: 'orders', partition: 0, committed: 5 * i }],
        logStarts: [{ topic: 'orders', partition: 0, logStart: 0 }],
      });
    }
    store.recordCycle('c2', at(4), { partitions: [{ topic: 'other', partition: 0, hwm: 1 }] });
    const recent = store.loadRecent('c1', at(2));
    expect([...recent.hwm.keys()].sort()).toEqual(['idle/3', 'orders/0']);
    expect(recent.hwm.get('orders/0')?.map((p) => p.t)).toEqual([at(2), at(3)]);
    expect(recent.hwm.get('idle/3')).toEqual([
      { t: at(0), offset: 7, lso: null },
      { t: at(3), offset: 7, lso: null },
    ]);
    expect(recent.commits.get('team/a/orders/0')?.map((p) => p.offset)).toEqual([10, 15]);
    expect(recent.logStart.get('orders/0')).toEqual([
      { t: at(0), offset: 0 },
      { t: at(3), offset: 0 },
    ]);
  });
});

describe('history store staging', () => {
  it('reads the same whether rows are still staged or already moved to samples', () => {
    const store = open();
    const partitions = 40; // ids spread over several staging ranges, so series move at different cycles
    for (let i = 0; i < 30; i += 1) {
      store.recordCycle('c1', at(i), { partitions: Array.from({ length: partitions }, (_, p) => ({ topic: 'orders', partition: p, hwm: i * (p + 1) })) });
    }
    const expected = (p: number, from: number) => Array.from({ length: 30 - from }, (_, k) => ({ t: at(from + k), offset: (from + k) * (p + 1), lso: null }));
    const recent = store.loadRecent('c1', at(20));
    for (let p = 0; p < partitions; p += 1) {
      expect(store.hwmHistory('c1', 'orders', p, T0)).toEqual(expected(p, 0));
      expect(store.hwmHistory('c1', 'orders', p, at(25))).toEqual(expected(p, 25));
      expect(recent.hwm.get(`orders/${p}`)).toEqual(expected(p, 20));
    }
  });
});

describe('history store restarts', () => {
  it('reads the same after close and reopen, and carries on writing only changes', () => {
    const dir = dataDir();
    const store = open();
    const cycle = (i: number, hwm: number) =>
      store.recordCycle('c1', at(i), {
        partitions: [{ topic: 'orders', partition: 0, hwm, lso: hwm - 1 }],
        commits: [{ group: 'billing', topic: 'orders', partition: 0, committed: hwm - 3 }],
        logStarts: [{ topic: 'orders', partition: 0, logStart: 2 }],
      });
    [10, 10, 10, 20, 30, 30].forEach((hwm, i) => cycle(i, hwm));
    // Partition gone from the last report, so its own last_seen_t is stored.
    store.recordCycle('c1', at(6), { partitions: [], commits: [] });
    const before = {
      hwm: store.hwmHistory('c1', 'orders', 0, T0),
      commits: store.commitHistory('c1', 'billing', 'orders', 0, T0),
      logStart: store.logStartHistory('c1', 'orders', 0, T0),
      window: store.windowFor('c1', 'billing', T0),
      recent: store.loadRecent('c1', T0),
      chart: store.groupHistory('c1', 'billing', T0, at(6), 10_000),
      stats: store.stats(),
    };
    store.close();

    const reopened = open({ dataDir: dir });
    expect({
      hwm: reopened.hwmHistory('c1', 'orders', 0, T0),
      commits: reopened.commitHistory('c1', 'billing', 'orders', 0, T0),
      logStart: reopened.logStartHistory('c1', 'orders', 0, T0),
      window: reopened.windowFor('c1', 'billing', T0),
      recent: reopened.loadRecent('c1', T0),
      chart: reopened.groupHistory('c1', 'billing', T0, at(6), 10_000),
      stats: { ...reopened.stats(), fileBytes: before.stats.fileBytes },
    }).toEqual(before);
    expect(before.hwm.at(-1)?.t).toBe(at(5));

    // The last values came back from disk: an unchanged value writes nothing, a change closes the run first.
    expect(reopened.recordCycle('c1', at(7), { partitions: [{ topic: 'orders', partition: 0, hwm: 30, lso: 29 }] }).rowsWritten).toBe(0);
    expect(reopened.recordCycle('c1', at(8), { partitions: [{ topic: 'orders', partition: 0, hwm: 31, lso: 30 }] }).rowsWritten).toBe(2);
  });
});
