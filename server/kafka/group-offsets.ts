import { Admin, consumerGroupDescribeV0, describeGroupsV5, metadataV12, offsetCommitV8, offsetCommitV9 } from '@platformatic/kafka';
import type { GroupMemberRef } from '../../lib/contract';
import type { ClusterConfig } from '../config/schema';
import { pickVersion } from './api-versions';
import type { ApiVersionRange } from './capabilities';
import { bootstrapEndpoints, clientOptions } from './connection-options';
import { kafkaErrorName } from './error-codes';
import { errorMessage, fetchCommittedOffsets, findGroupCoordinators, listOffsetsByLeader, responseOf, type BrokerAccess, type BrokerEndpoint, type LeaderPartition } from './offsets';
import { offsetsForTimes } from './record-sampler';
import { RequestStats } from './request-stats';

/** Resets have their own client: recognisable in broker logs, and never queued behind the poller's requests. */
const RESETS_CLIENT_ID = 'topolog-resets';
const API_OFFSET_COMMIT = 8;
/** v9 lets an admin commit (member epoch -1) into an empty KIP-848 group; v8 for brokers before 3.7. */
const OFFSET_COMMIT = [offsetCommitV9, offsetCommitV8] as const;
const API_CONSUMER_GROUP_DESCRIBE = 69;
const GROUP_ID_NOT_FOUND = 69;

export interface GroupDescription {
  /** Kafka's state (Empty, Stable, ...); null when no group of that id exists. */
  state: string | null;
  type: 'classic' | 'consumer' | null;
  /** "consumer" for plain consumers; Connect and others have their own. null when unknown. */
  protocolType: string | null;
  members: GroupMemberRef[];
}

export interface TopicPartitions {
  topic: string;
  /** Partition numbers the topic has; empty when the topic does not exist. */
  partitions: LeaderPartition[];
  exists: boolean;
}

export interface Committed {
  topic: string;
  partition: number;
  offset: number | null;
}

export interface PartitionMarks {
  topic: string;
  partition: number;
  low: number | null;
  high: number | null;
  error: string | null;
}

export interface OffsetWrite {
  topic: string;
  partition: number;
  offset: number;
}

/** The per-partition result of an offset commit: null when Kafka took it, else its error name. */
export type AlterResult = Map<string, string | null>;

export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * The Kafka side of consumer-group offset resets for one cluster: describe a group (classic and KIP-848), read its
 * and another group's committed offsets, the log's bounds and offsets by time, and commit new offsets as an admin
 * (no membership). Kafka commits each partition on its own, so the answer is per partition.
 */
export class GroupOffsetsClient {
  readonly #cluster: ClusterConfig;
  readonly #admin: Admin;
  #apis: ApiVersionRange[] | null = null;
  readonly stats = new RequestStats();

  constructor(cluster: ClusterConfig) {
    this.#cluster = cluster;
    this.#admin = new Admin(clientOptions(cluster, RESETS_CLIENT_ID));
  }

  async #access(): Promise<BrokerAccess> {
    this.#apis ??= await this.#admin.listApis();
    return { connection: (b) => this.#admin.connections.get({ host: b.host, port: b.port }), apis: this.#apis, stats: this.stats };
  }

  /** Fresh brokers and leaders for some topics (null: every topic); topics Kafka does not know come back with exists false. */
  async layout(topics: readonly string[] | null): Promise<{ brokers: Map<number, BrokerEndpoint>; topics: TopicPartitions[] }> {
    const connection = await this.#admin.connections.getFirstAvailable(bootstrapEndpoints(this.#cluster));
    let response;
    try {
      response = await metadataV12.api.async(connection, topics ? [...topics] : null, false, false);
    } catch (err) {
      // Unknown topics come back as topic-level errors with the rest of the response intact.
      response = responseOf(err) as typeof response | null;
      if (!response) throw err;
    }
    const brokers = new Map(response.brokers.map((b) => [b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port }]));
    const found = new Map<string, TopicPartitions>();
    for (const t of response.topics) {
      if (!t.name) continue;
      const exists = t.errorCode === 0;
      const partitions = exists ? t.partitions.map((p) => ({ topic: t.name!, partition: p.partitionIndex, leader: p.leaderId, leaderEpoch: p.leaderEpoch })).sort((a, b) => a.partition - b.partition) : [];
      found.set(t.name, { topic: t.name, partitions, exists });
    }
    const names = topics ?? [...found.keys()];
    return { brokers, topics: names.map((name) => found.get(name) ?? { topic: name, partitions: [], exists: false }) };
  }

  async #coordinator(group: string): Promise<{ access: BrokerAccess; brokers: Map<number, BrokerEndpoint>; coordinator: BrokerEndpoint }> {
    const access = await this.#access();
    const { brokers } = await this.layout([]);
    const [first] = bootstrapEndpoints(this.#cluster);
    const via = [...brokers.values()][0] ?? { nodeId: -1, host: first!.host, port: first!.port };
    const coordinators = await findGroupCoordinators(access, via, [group]);
    const nodeId = coordinators.get(group);
    const coordinator = nodeId === undefined ? undefined : brokers.get(nodeId);
    if (!coordinator) throw new Error(`Kafka named no coordinator for group "${group}" (the group coordinator may be loading; try again)`);
    return { access, brokers, coordinator };
  }

  /**
   * State and members, asking both protocols: DescribeGroups sees classic groups (and reports a KIP-848 group as
   * missing or Dead), ConsumerGroupDescribe sees KIP-848 groups. A reset must see members of either kind.
   */
  async describe(group: string): Promise<GroupDescription> {
    const { access, coordinator } = await this.#coordinator(group);
    const connection = await access.connection(coordinator);
    const classic = await describeGroupsV5.api.async(connection, [group], false).catch((err: unknown) => {
      const response = responseOf(err) as Awaited<ReturnType<typeof describeGroupsV5.api.async>> | null;
      if (!response) throw err;
      return response;
    });
    const c = classic.groups.find((g) => g.groupId === group);
    if (c && c.errorCode === 0 && c.groupState !== 'Dead') {
      return {
        state: c.groupState,
        type: 'classic',
        protocolType: c.protocolType || null,
        members: c.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.clientHost, protocol: 'classic' as const })),
      };
    }
    if (access.apis.some((a) => a.apiKey === API_CONSUMER_GROUP_DESCRIBE)) {
      const kip = await consumerGroupDescribeV0.api.async(connection, [group], false).catch((err: unknown) => {
        const response = responseOf(err) as Awaited<ReturnType<typeof consumerGroupDescribeV0.api.async>> | null;
        if (!response) throw err;
        return response;
      });
      const k = kip.groups.find((g) => g.groupId === group);
      if (k && k.errorCode === 0 && k.groupState !== 'Dead') {
        return {
          state: k.groupState,
          type: 'consumer',
          protocolType: 'consumer',
          members: k.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.clientHost, protocol: 'consumer' as const })),
        };
      }
      if (k && k.errorCode !== 0 && k.errorCode !== GROUP_ID_NOT_FOUND) throw new Error(`Kafka could not describe group "${group}": ${kafkaErrorName(k.errorCode)}`);
    }
    if (c && c.errorCode !== 0 && c.errorCode !== GROUP_ID_NOT_FOUND) throw new Error(`Kafka could not describe group "${group}": ${kafkaErrorName(c.errorCode)}`);
    return { state: null, type: null, protocolType: null, members: [] };
  }

  /** Every committed offset of a group (an unknown group has none). */
  async committed(group: string): Promise<Committed[]> {
    const { access, brokers, coordinator } = await this.#coordinator(group);
    const { commits, failedGroups } = await fetchCommittedOffsets(access, brokers, new Map([[coordinator.nodeId, [group]]]), () => 1);
    const failure = failedGroups.get(group);
    if (failure) throw new Error(`Kafka could not read the committed offsets of group "${group}": ${failure}`);
    return commits.map((c) => ({ topic: c.topic, partition: c.partition, offset: c.offset }));
  }

  /** Log start offset and high watermark of each partition. */
  async watermarks(brokers: ReadonlyMap<number, BrokerEndpoint>, partitions: readonly LeaderPartition[]): Promise<PartitionMarks[]> {
    const access = await this.#access();
    const [lows, highs] = await Promise.all([listOffsetsByLeader(access, brokers, partitions, 'earliest'), listOffsetsByLeader(access, brokers, partitions, 'latest')]);
    const high = new Map(highs.map((h) => [partitionKey(h.topic, h.partition), h]));
    return lows.map((l) => {
      const h = high.get(partitionKey(l.topic, l.partition));
      return { topic: l.topic, partition: l.partition, low: l.offset, high: h?.offset ?? null, error: l.error ?? h?.error ?? (h ? null : 'NO_RESPONSE') };
    });
  }

  /** Per partition, the first offset at or after `timestamp` (null: no record that recent). Throws on a partition error. */
  async offsetsAt(brokers: ReadonlyMap<number, BrokerEndpoint>, partitions: readonly LeaderPartition[], timestamp: number): Promise<Map<string, number | null>> {
    const access = await this.#access();
    const found = await offsetsForTimes(access, brokers, partitions.map((p) => ({ ...p, timestamp })));
    const result = new Map<string, number | null>();
    for (const f of found) {
      if (f.error) throw new Error(`Kafka could not look up the offset by time for ${f.topic}/${f.partition}: ${f.error}`);
      result.set(partitionKey(f.topic, f.partition), f.offset);
    }
    return result;
  }

  /**
   * Commits offsets as an admin (generation/member epoch -1, no member id): Kafka accepts that only while the group
   * has no members. Not transactional: each partition succeeds or fails on its own, and the answer says which.
   */
  async alterOffsets(group: string, offsets: readonly OffsetWrite[]): Promise<AlterResult> {
    const result: AlterResult = new Map();
    if (offsets.length === 0) return result;
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; committedMetadata: null }[]>();
    for (const o of offsets) {
      const list = byTopic.get(o.topic) ?? [];
      list.push({ partitionIndex: o.partition, committedOffset: BigInt(o.offset), committedLeaderEpoch: -1, committedMetadata: null });
      byTopic.set(o.topic, list);
    }
    let failure: string | null = null;
    try {
      const { access, coordinator } = await this.#coordinator(group);
      const module = pickVersion(OFFSET_COMMIT, API_OFFSET_COMMIT, access.apis);
      if (!module) throw new Error('the brokers support no OffsetCommit version Topolog speaks (Kafka 2.3 or newer is needed)');
      const connection = await access.connection(coordinator);
      let response;
      try {
        response = await module.api.async(connection, group, -1, '', null, [...byTopic.entries()].map(([name, partitions]) => ({ name, partitions })));
        this.stats.record('OffsetCommit', coordinator.nodeId, 'ok');
      } catch (err) {
        // Partition-level errors (GROUP_NOT_EMPTY, UNKNOWN_MEMBER_ID, ...) arrive as an error carrying the response.
        this.stats.record('OffsetCommit', coordinator.nodeId, 'error');
        response = responseOf(err) as typeof response | null;
        if (!response) throw err;
      }
      for (const t of response.topics) for (const p of t.partitions) result.set(partitionKey(t.name, p.partitionIndex), p.errorCode === 0 ? null : kafkaErrorName(p.errorCode));
    } catch (err) {
      failure = errorMessage(err);
    }
    // A partition the broker did not answer for was not committed: say so rather than leave it out.
    for (const o of offsets) if (!result.has(partitionKey(o.topic, o.partition))) result.set(partitionKey(o.topic, o.partition), failure ?? 'NO_RESPONSE');
    return result;
  }

  async close(): Promise<void> {
    await this.#admin.close().catch(() => undefined);
  }
}
