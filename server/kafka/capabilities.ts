/** What a cluster's brokers can do, read from ApiVersions; the rest of the bridge asks this, never a version number. */
export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface ClusterCapabilities {
  /** A coarse version label for people ("4.x", "2.8–3.x", "< 2.8"); null when unknown. */
  versionLabel: string | null;
  /** ListGroups v5: filter and report group types (classic / consumer / share / streams). */
  listGroupTypes: boolean;
  /** ConsumerGroupDescribe (KIP-848): members and assignments of "consumer" protocol groups. */
  consumerGroupDescribe: boolean;
  /** OffsetFetch v8+: committed offsets of many groups in one request (KIP-709). */
  multiGroupOffsetFetch: boolean;
  /** DescribeProducers (KIP-664): active producer sessions per partition. */
  describeProducers: boolean;
}

export const ApiKeys = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  OffsetFetch: 9,
  ListGroups: 16,
  InitProducerId: 22,
  DescribeCluster: 60,
  DescribeProducers: 61,
  ConsumerGroupDescribe: 69,
} as const;

export function capabilitiesFrom(apis: readonly ApiVersionRange[]): ClusterCapabilities {
  const byKey = new Map(apis.map((api) => [api.apiKey, api]));
  const max = (key: number) => byKey.get(key)?.maxVersion ?? -1;
  return {
    versionLabel: inferVersionLabel(byKey),
    listGroupTypes: max(ApiKeys.ListGroups) >= 5,
    consumerGroupDescribe: byKey.has(ApiKeys.ConsumerGroupDescribe),
    multiGroupOffsetFetch: max(ApiKeys.OffsetFetch) >= 8,
    describeProducers: byKey.has(ApiKeys.DescribeProducers),
  };
}

/**
 * Kafka 4.0 removed Fetch v0-v3 (KIP-896; Produce v0 is still advertised, KAFKA-18659); DescribeCluster
 * arrived in 2.8. Good enough for a label.
 */
function inferVersionLabel(byKey: Map<number, ApiVersionRange>): string | null {
  const fetch = byKey.get(ApiKeys.Fetch);
  if (!fetch) return null;
  if (fetch.minVersion >= 4) return '4.x';
  if (byKey.has(ApiKeys.DescribeCluster)) return '2.8–3.x';
  return '< 2.8';
}
