import type { ReplayRequest } from '../../lib/contract';

/** A whole-topic replay that keeps partition, key, headers and timestamp; tests and benchmarks override the rest. */
export function replayRequest(cluster: string, source: string, target: string, extra: Partial<ReplayRequest> = {}): ReplayRequest {
  return {
    source: { cluster, topic: source, partitions: null, range: { by: 'offsets', from: null, to: null } },
    filter: null,
    target: { cluster, topic: target },
    partitioning: 'same',
    keep: { key: true, headers: true, timestamp: true },
    rateLimit: null,
    maxRecords: null,
    allowSameTopic: false,
    allowCompactedTarget: false,
    ...extra,
  };
}
