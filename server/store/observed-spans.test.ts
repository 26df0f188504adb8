import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, POLL_MS, T0, useTempStores } from './test-support';

describe('observed spans', () => {
  const stores = useTempStores();

  it('extends one span per unbroken run of polls and starts a new one after a break, across a reopen', () => {
    let store = stores.open();
    const maxGap = 3 * POLL_MS + 5000;
    for (let t = T0; t <= T0 + 10 * MINUTE; t += POLL_MS) store.observed.mark('c1', t, maxGap);
    store.observed.mark('c2', T0, maxGap);
    store.close();
    // Topolog restarted 26 minutes later on the same data dir.
    store = stores.open();
    for (let t = T0 + 36 * MINUTE; t <= T0 + 40 * MINUTE; t += POLL_MS) store.observed.mark('c1', t, maxGap);
    expect(store.observed.between('c1', T0, T0 + HOUR)).toEqual([
      { from: T0, to: T0 + 10 * MINUTE },
      { from: T0 + 36 * MINUTE, to: T0 + 40 * MINUTE },
    ]);
    expect(store.observed.between('c1', T0 + 20 * MINUTE, T0 + 30 * MINUTE)).toEqual([]);
    expect(store.observed.between('c2', T0, T0 + HOUR)).toEqual([{ from: T0, to: T0 }]);
  });

  it('a poll that is late but within the allowed gap keeps the span', () => {
    const store = stores.open();
    store.observed.mark('c1', T0, 20_000);
    store.observed.mark('c1', T0 + 19_000, 20_000);
    store.observed.mark('c1', T0 + 10_000, 20_000); // out of order: ignored
    expect(store.observed.between('c1', T0, T0 + MINUTE)).toEqual([{ from: T0, to: T0 + 19_000 }]);
  });

  it('compaction drops spans that ended before the retention', () => {
    const store = stores.open({ retentionMs: 24 * HOUR });
    store.observed.mark('c1', T0, 20_000);
    store.observed.mark('c1', T0 + 2 * 24 * HOUR, 20_000);
    store.compact(T0 + 2 * 24 * HOUR + MINUTE);
    expect(store.observed.between('c1', 0, T0 + 3 * 24 * HOUR)).toEqual([{ from: T0 + 2 * 24 * HOUR, to: T0 + 2 * 24 * HOUR }]);
  });
});
