import { describe, expect, it } from 'vitest';
import { clusterConfigSchema } from './config/schema';
import { ClusterWatcher } from './poller/cluster-watcher';
import { TEST_BROKERS, eventually } from './test/kafka-fixtures';

// A bug in one consumer of the poller's updates (the hub, alerts, sparklines) must not freeze the cluster's figures.
describe('a failing update listener', () => {
  it('is logged, and the poller and the other listeners keep going', async () => {
    const lines: string[] = [];
    const watcher = new ClusterWatcher(clusterConfigSchema.parse({ id: 'local', brokers: TEST_BROKERS }), { pollIntervalMs: 1000, slowPollIntervalMs: 2000, log: (line) => lines.push(line) });
    let updates = 0;
    watcher.on('update', () => {
      throw new Error('listener bug');
    });
    watcher.on('update', () => {
      updates += 1;
    });
    watcher.start();
    try {
      await eventually(() => (updates >= 3 ? true : undefined), { what: 'three updates despite the throwing listener', timeoutMs: 20_000 });
      expect(watcher.overview.cluster.state).toBe('ok');
      expect(lines.some((l) => l.includes('an update listener failed') && l.includes('listener bug'))).toBe(true);
    } finally {
      await watcher.stop();
    }
  });
});
