import { describe, expect, it } from 'vitest';
import { listStaleness } from './staleness';

describe('listStaleness', () => {
  const now = 1_000_000;
  it('is fresh within three poll intervals of a good poll', () => {
    expect(listStaleness({ state: 'ok', observedAt: now - 5_000, pollIntervalMs: 2_000 }, now)).toEqual({ stale: false, notice: null });
  });
  it('is stale when the cluster is not answering, with the age of the figures', () => {
    expect(listStaleness({ state: 'unreachable', observedAt: now - 120_000, pollIntervalMs: 2_000 }, now).notice).toBe('Figures from 2 min ago: the cluster is not answering.');
  });
  it('is stale when polls stopped completing even though the state still says ok', () => {
    expect(listStaleness({ state: 'ok', observedAt: now - 7_000, pollIntervalMs: 2_000 }, now)).toMatchObject({ stale: true });
  });
  it('has no figures before the first poll', () => {
    expect(listStaleness({ state: 'connecting', observedAt: null, pollIntervalMs: 2_000 }, now).stale).toBe(true);
  });
});
