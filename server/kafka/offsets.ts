import type { Connection } from '@platformatic/kafka';
import { API_KEY_FIND_COORDINATOR, ApiKeys, FIND_COORDINATOR, LIST_OFFSETS, OFFSET_FETCH, pickVersion } from './api-versions';
import type { ApiVersionRange } from './capabilities';
import { kafkaErrorName } from './error-codes';
import type { RequestStats } from './request-stats';

export interface BrokerEndpoint {
  nodeId: number;
  host: string;
  port: number;
}

/** How the offset readers reach a broker: one pooled connection per broker, shared with the admin client. */
export interface BrokerAccess {
  connection(broker: BrokerEndpoint): Promise<Connection>;
  apis: readonly ApiVersionRange[];
  stats: RequestStats;
}

export interface LeaderPartition {
  topic: string;
  partition: number;
  leader: number;
  leaderEpoch: number;
}

export type OffsetSpec = 'latest' | 'earliest';
export const ISOLATION = { readUncommitted: 0, readCommitted: 1 } as const;

/** One partition's answer; `offset` null with `error` set when the broker could not answer for it. */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: number | null;
  /** When the leader's response arrived: time lag uses this, not the cycle start. */
  observedAt: number;
  error: string | null;
}

const SPEC_TIMESTAMP: Record<OffsetSpec, bigint> = { latest: -1n, earliest: -2n };

/**
 * ListOffsets for many partitions: exactly one request per leader broker. A broker that fails only fails its own
 * partitions (they keep their last value upstream, marked stale); partition-level errors do the same.
 */
export async function listOffsetsByLeader(
  access: BrokerAccess,
  brokers: ReadonlyMap<number, BrokerEndpoint>,
  partitions: readonly LeaderPartition[],
  spec: OffsetSpec,
  isolation: number = ISOLATION.readUncommitted,
): Promise<PartitionOffset[]> {
  const module = pickVersion(LIST_OFFSETS, ApiKeys.ListOffsets, access.apis);
  if (!module) throw new Error('the brokers support no ListOffsets version Topolog speaks (Kafka 3.0 or newer is needed)');
  const byLeader = new Map<number, Map<string, { partitionIndex: number; currentLeaderEpoch: number; timestamp: bigint }[]>>();
  const results: PartitionOffset[] = [];
  for (const p of partitions) {
    if (p.leader < 0 || !brokers.has(p.leader)) {
      results.push({ topic: p.topic, partition: p.partition, offset: null, observedAt: Date.now(), error: 'LEADER_NOT_AVAILABLE' });
      continue;
    }
    let topics = byLeader.get(p.leader);
    if (!topics) byLeader.set(p.leader, (topics = new Map()));
    let list = topics.get(p.topic);
    if (!list) topics.set(p.topic, (list = []));
    list.push({ partitionIndex: p.partition, currentLeaderEpoch: p.leaderEpoch, timestamp: SPEC_TIMESTAMP[spec] });
  }

  await Promise.all(
    [...byLeader.entries()].map(async ([leader, topics]) => {
      const request = [...topics.entries()].map(([name, parts]) => ({ name, partitions: parts }));
      let response: { topics: { name: string; partitions: { partitionIndex: number; errorCode: number; offset: bigint }[] }[] } | null = null;
      let failure: string | null = null;
      try {
        const connection = await access.connection(brokers.get(leader)!);
        response = await module.api.async(connection, -1, isolation, request);
        access.stats.record('ListOffsets', leader, 'ok');
      } catch (err) {
        // A partition-level error still carries the parsed response: keep the good partitions.
        response = responseOf(err);
        failure = response ? null : errorMessage(err);
        access.stats.record('ListOffsets', leader, 'error');
      }
      const observedAt = Date.now();
      if (!response) {
        for (const t of request) for (const p of t.partitions) results.push({ topic: t.name, partition: p.partitionIndex, offset: null, observedAt, error: failure });
        return;
      }
      for (const t of response.topics) {
        for (const p of t.partitions) {
          const ok = p.errorCode === 0 && p.offset >= 0n;
          results.push({ topic: t.name, partition: p.partitionIndex, offset: ok ? Number(p.offset) : null, observedAt, error: ok ? null : kafkaErrorName(p.errorCode) });
        }
      }
    }),
  );
  return results;
}

export interface CommittedOffset {
  group: string;
  topic: string;
  partition: number;
  /** null: the group has no committed offset for this partition. */
  offset: number | null;
  observedAt: number;
}

export interface CommittedOffsetsResult {
  commits: CommittedOffset[];
  /** Groups whose offsets could not be read this cycle (coordinator moved, broker down, ...), with the reason. */
  failedGroups: Map<string, string>;
}

/**
 * Committed offsets of many groups: OffsetFetch v8 with many groups per request (KIP-709), one request per
 * coordinator, split into chunks so no response grows far beyond ~1 MB. Brokers older than 3.0 get one request per
 * group (the protocol allows no better).
 */
export async function fetchCommittedOffsets(
  access: BrokerAccess,
  brokers: ReadonlyMap<number, BrokerEndpoint>,
  groupsByCoordinator: ReadonlyMap<number, readonly string[]>,
  estimatedPartitions: (group: string) => number,
  maxEntriesPerRequest = 20_000,
): Promise<CommittedOffsetsResult> {
  const module = pickVersion(OFFSET_FETCH, ApiKeys.OffsetFetch, access.apis);
  if (!module) throw new Error('the brokers support no OffsetFetch version Topolog speaks');
  const multiGroup = module.api.version >= 8;
  const commits: CommittedOffset[] = [];
  const failedGroups = new Map<string, string>();

  const requests: { coordinator: number; groups: string[] }[] = [];
  for (const [coordinator, groups] of groupsByCoordinator) {
    for (const chunk of chunkGroups(groups, multiGroup ? maxEntriesPerRequest : 0, estimatedPartitions)) requests.push({ coordinator, groups: chunk });
  }

  await Promise.all(
    requests.map(async ({ coordinator, groups }) => {
      const broker = brokers.get(coordinator);
      try {
        if (!broker) throw new Error(`coordinator ${coordinator} is not a known broker`);
        const connection = await access.connection(broker);
        let response;
        try {
          response = await module.api.async(connection, groups.map((groupId) => ({ groupId, memberId: null, memberEpoch: -1, topics: null })), false);
        } catch (err) {
          response = responseOf(err) as typeof response | null;
          if (!response) throw err;
        }
        access.stats.record('OffsetFetch', coordinator, 'ok');
        const observedAt = Date.now();
        for (const group of response.groups) {
          if (group.errorCode !== 0) {
            failedGroups.set(group.groupId, kafkaErrorName(group.errorCode));
            continue;
          }
          for (const topic of group.topics) {
            for (const p of topic.partitions) {
              if (p.errorCode !== 0) continue;
              commits.push({ group: group.groupId, topic: topic.name, partition: p.partitionIndex, offset: p.committedOffset >= 0n ? Number(p.committedOffset) : null, observedAt });
            }
          }
        }
      } catch (err) {
        access.stats.record('OffsetFetch', coordinator, 'error');
        for (const g of groups) failedGroups.set(g, errorMessage(err));
      }
    }),
  );
  return { commits, failedGroups };
}

/** Splits groups so each request's estimated partition entries stay under the limit (0: one group per request). */
export function chunkGroups(groups: readonly string[], maxEntries: number, estimate: (group: string) => number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let entries = 0;
  for (const group of groups) {
    const size = Math.max(1, estimate(group));
    if (current.length > 0 && (maxEntries <= 0 || entries + size > maxEntries)) {
      chunks.push(current);
      current = [];
      entries = 0;
    }
    current.push(group);
    entries += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The coordinator of each group, in one batched FindCoordinator v4 request (KIP-699). */
export async function findGroupCoordinators(access: BrokerAccess, via: BrokerEndpoint, groups: readonly string[]): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (groups.length === 0) return result;
  const module = pickVersion(FIND_COORDINATOR, API_KEY_FIND_COORDINATOR, access.apis);
  if (!module) throw new Error('the brokers do not support batched FindCoordinator (Kafka 2.8 or newer is needed)');
  const connection = await access.connection(via);
  let response;
  try {
    response = await module.api.async(connection, 0, [...groups]);
    access.stats.record('FindCoordinator', via.nodeId, 'ok');
  } catch (err) {
    access.stats.record('FindCoordinator', via.nodeId, 'error');
    response = responseOf(err) as typeof response | null;
    if (!response) throw err;
  }
  for (const c of response.coordinators) if (c.errorCode === 0) result.set(c.key, c.nodeId);
  return result;
}

/** A Kafka error that still carries the parsed response (partition-level errors): the good entries are kept. */
export function responseOf(err: unknown): any {
  const response = (err as { response?: unknown } | null)?.response;
  return response && typeof response === 'object' ? response : null;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
