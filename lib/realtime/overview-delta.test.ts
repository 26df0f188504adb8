import { describe, expect, it } from 'vitest';
import type { ClusterInfo, GroupSummary, OverviewData, TopicSummary } from '../contract';
import { overviewDeltaSchema } from '../contract';
import { applyOverviewDelta, diffOverview } from './overview-delta';

const cluster: ClusterInfo = {
  id: 'local', name: 'local', bootstrap: ['127.0.0.1:9092'], state: 'ok', since: 1000, error: null, retryAt: null,
  clusterId: 'abc', controllerId: 1, brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
  version: '4.x', readOnly: false, pollIntervalMs: 5000, observedAt: 2000,
};
const topic = (name: string, partitions = 3): TopicSummary => ({
  name, partitions, replicationFactor: 1, internal: false, underReplicatedPartitions: 0, offlinePartitions: 0, produceRate: null,
});
const group = (id: string, state = 'Stable'): GroupSummary => ({
  id, type: 'classic', protocolType: 'consumer', state, members: [], topics: ['orders'], status: null,
  lagSum: null, lagMax: null, lagSecondsMax: null, etaSeconds: null,
});

describe('overview deltas', () => {
  const before: OverviewData = { cluster, topics: [topic('orders'), topic('payments')], groups: [group('payment-service')] };

  it('is null when nothing changed, so no message is sent', () => {
    expect(diffOverview(before, structuredClone(before))).toBeNull();
  });

  it('carries a new topic, a changed group and the new observation time, and the client rebuilds the state', () => {
    const after: OverviewData = {
      cluster: { ...cluster, observedAt: 7000 },
      topics: [topic('orders'), topic('payments'), topic('user.registered')],
      groups: [group('payment-service', 'Empty')],
    };
    const changes = diffOverview(before, after);
    expect(changes).not.toBeNull();
    expect(changes!.topics.upsert.map((t) => t.name)).toEqual(['user.registered']);
    expect(changes!.groups.upsert.map((g) => g.state)).toEqual(['Empty']);
    expect(changes!.cluster?.observedAt).toBe(7000);
    // The wire format is valid against the shared schema.
    expect(overviewDeltaSchema.safeParse({ room: 'overview:local', seq: 1, observedAt: 7000, ...changes }).success).toBe(true);
    expect(applyOverviewDelta(before, changes!)).toEqual(after);
  });

  it('removes deleted topics', () => {
    const after: OverviewData = { ...before, topics: [topic('orders')] };
    const changes = diffOverview(before, after)!;
    expect(changes.topics.remove).toEqual(['payments']);
    expect(changes.cluster).toBeUndefined();
    expect(applyOverviewDelta(before, changes).topics.map((t) => t.name)).toEqual(['orders']);
  });
});
