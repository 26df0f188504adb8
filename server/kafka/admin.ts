import { Admin, ConfigResourceTypes, FindCoordinatorKeyTypes, consumerGroupDescribeV0, metadataV12 } from '@platformatic/kafka';
import type { BrokerInfo, GroupMember, GroupSummary, GroupType, TopicSummary } from '../../lib/contract';
import { isInternalTopicName } from '../../lib/topics';
import type { ClusterConfig } from '../config/schema';
import { capabilitiesFrom, type ApiVersionRange, type ClusterCapabilities } from './capabilities';
import { bootstrapEndpoints, clientOptions } from './connection-options';
import type { BrokerAccess, BrokerEndpoint, LeaderPartition } from './offsets';
import { RequestStats } from './request-stats';

/** Topolog's own client id: recognisable in broker logs and hidden from the map. */
export const TOPOLOG_CLIENT_ID = 'topolog-admin';

export interface PartitionMetadata extends LeaderPartition {
  replicas: number[];
  isr: number[];
}

export interface ClusterMetadata {
  clusterId: string | null;
  controllerId: number | null;
  brokers: BrokerInfo[];
  topics: TopicSummary[];
  /** Every partition with its leader: the fast loop sends one ListOffsets per leader from this. */
  partitions: PartitionMetadata[];
}

export interface TopicConfig {
  /** cleanup.policy includes "compact": offsets have gaps, so lag in messages is an upper bound. */
  compacted: boolean;
  retentionMs: number | null;
  /** CreateTime or LogAppendTime. */
  timestampType: string | null;
  /** "delete", "compact" or "compact,delete", as the broker reports it. */
  cleanupPolicy: string | null;
  /** With acks=all, writes fail when fewer replicas than this are in sync: the topic's real durability floor. */
  minInsyncReplicas: number | null;
  /** -1 (unlimited) reads as null. */
  retentionBytes: number | null;
  maxMessageBytes: number | null;
}

/**
 * The admin side of the Kafka port for one cluster. Everything that talks to Kafka lives in server/kafka;
 * callers get plain domain objects. Topolog never joins or creates consumer groups here.
 */
export class KafkaAdminAdapter {
  readonly #cluster: ClusterConfig;
  #admin: Admin;
  #capabilities: ClusterCapabilities | null = null;
  #apis: ApiVersionRange[] = [];
  #knownBrokers: { host: string; port: number }[] = [];
  readonly stats = new RequestStats();

  constructor(cluster: ClusterConfig) {
    this.#cluster = cluster;
    this.#admin = this.#createAdmin();
  }

  #createAdmin(): Admin {
    return new Admin(clientOptions(this.#cluster, TOPOLOG_CLIENT_ID));
  }

  /** Drops every connection and starts afresh; used after a failure so a dead socket is never reused. */
  async reset(): Promise<void> {
    const old = this.#admin;
    this.#admin = this.#createAdmin();
    this.#capabilities = null;
    await old.close().catch(() => undefined);
  }

  async capabilities(): Promise<ClusterCapabilities> {
    if (!this.#capabilities) {
      this.#apis = await this.#admin.listApis();
      this.stats.record('ApiVersions', 'bootstrap', 'ok');
      this.#capabilities = capabilitiesFrom(this.#apis);
    }
    return this.#capabilities;
  }

  /** Direct access to each broker's pooled connection, for the offset readers in ./offsets. */
  brokerAccess(): BrokerAccess {
    return {
      connection: (broker: BrokerEndpoint) => this.#admin.connections.get({ host: broker.host, port: broker.port }),
      apis: this.#apis,
      stats: this.stats,
    };
  }

  /** Bootstrap brokers first, then every broker seen in metadata: any live one can answer Metadata. */
  #metadataCandidates(): { host: string; port: number }[] {
    return [...bootstrapEndpoints(this.#cluster), ...this.#knownBrokers];
  }

  /**
   * Brokers, controller, every topic (internal ones included, flagged by the broker) and every partition's leader,
   * in one Metadata request. A topic deleted meanwhile just drops out instead of failing the whole read.
   */
  async readMetadata(): Promise<ClusterMetadata> {
    const connection = await this.#admin.connections.getFirstAvailable(this.#metadataCandidates());
    let response;
    try {
      response = await metadataV12.api.async(connection, null, false, false);
      this.stats.record('Metadata', 'any', 'ok');
    } catch (err) {
      this.stats.record('Metadata', 'any', 'error');
      throw err;
    }
    const brokers = response.brokers
      .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null }))
      .sort((a, b) => a.nodeId - b.nodeId);
    this.#knownBrokers = brokers.map(({ host, port }) => ({ host, port }));
    const topics: TopicSummary[] = [];
    const partitions: PartitionMetadata[] = [];
    for (const topic of response.topics) {
      if (!topic.name || topic.errorCode !== 0) continue;
      for (const p of topic.partitions) {
        partitions.push({ topic: topic.name, partition: p.partitionIndex, leader: p.leaderId, leaderEpoch: p.leaderEpoch, replicas: p.replicaNodes, isr: p.isrNodes });
      }
      topics.push({
        name: topic.name,
        partitions: topic.partitions.length,
        replicationFactor: Math.max(0, ...topic.partitions.map((p) => p.replicaNodes.length)),
        internal: topic.isInternal || isInternalTopicName(topic.name),
        underReplicatedPartitions: topic.partitions.filter((p) => p.isrNodes.length < p.replicaNodes.length).length,
        offlinePartitions: topic.partitions.filter((p) => p.leaderId < 0).length,
        produceRate: null,
      });
    }
    return {
      clusterId: response.clusterId || null,
      controllerId: response.controllerId >= 0 ? response.controllerId : null,
      brokers,
      topics: topics.sort((a, b) => a.name.localeCompare(b.name)),
      partitions,
    };
  }

  /** The topic settings that change how lag reads (compaction, retention, timestamp type) and the topic page's key configs. One request. */
  async topicConfigs(topics: readonly string[]): Promise<Map<string, TopicConfig>> {
    const result = new Map<string, TopicConfig>();
    if (topics.length === 0) return result;
    const described = await this.#admin.describeConfigs({
      resources: topics.map((name) => ({
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: name,
        configurationKeys: ['cleanup.policy', 'retention.ms', 'message.timestamp.type', 'min.insync.replicas', 'retention.bytes', 'max.message.bytes'],
      })),
    });
    this.stats.record('DescribeConfigs', 'any', 'ok');
    for (const resource of described) {
      const value = (key: string) => resource.configs.find((c) => c.name === key)?.value ?? null;
      // Kafka writes -1 for "unlimited": unknown or unlimited both read as null, never a negative number.
      const nonNegative = (key: string) => {
        const raw = value(key);
        const n = raw === null ? Number.NaN : Number(raw);
        return Number.isFinite(n) && n >= 0 ? n : null;
      };
      result.set(resource.resourceName, {
        compacted: (value('cleanup.policy') ?? '').includes('compact'),
        retentionMs: nonNegative('retention.ms'),
        timestampType: value('message.timestamp.type'),
        cleanupPolicy: value('cleanup.policy'),
        minInsyncReplicas: nonNegative('min.insync.replicas'),
        retentionBytes: nonNegative('retention.bytes'),
        maxMessageBytes: nonNegative('max.message.bytes'),
      });
    }
    return result;
  }

  /**
   * Every group of every type with its members, their assigned partitions and the topics it reads. Classic groups
   * come from DescribeGroups, KIP-848 "consumer" groups from ConsumerGroupDescribe (DescribeGroups reports them as
   * Dead with no members).
   */
  async listGroups(): Promise<GroupSummary[]> {
    const caps = await this.capabilities();
    // An empty type filter asks ListGroups v5 for every type; older brokers only know classic groups.
    const listed = await this.#admin.listGroups(caps.listGroupTypes ? { types: [] } : {});
    this.stats.record('ListGroups', 'all', 'ok');
    if (listed.size === 0) return [];

    const base = new Map<string, { type: GroupType; protocolType: string; state: string }>();
    for (const group of listed.values()) {
      base.set(group.id, { type: toGroupType(group.groupType), protocolType: group.protocolType, state: group.state });
    }
    const ids = [...base.keys()];
    // Only consumer-protocol classic groups carry member metadata we can decode (Connect workers do not).
    const classicConsumers = ids.filter((id) => base.get(id)?.type === 'classic' && base.get(id)?.protocolType === 'consumer');
    const kip848 = ids.filter((id) => base.get(id)?.type === 'consumer');

    const [classicMembers, kip848Groups] = await Promise.all([
      this.#describeClassic(classicConsumers),
      caps.consumerGroupDescribe ? this.#describeKip848(kip848) : Promise.resolve(new Map<string, { state: string; members: GroupMember[] }>()),
    ]);

    return ids
      .map((id): GroupSummary => {
        const info = base.get(id)!;
        const kip = kip848Groups.get(id);
        const members = kip?.members ?? classicMembers.get(id) ?? [];
        // Topics with committed offsets are added by the lag engine, which reads them every fast cycle.
        const topics = new Set<string>(members.flatMap((m) => m.topics));
        return {
          id,
          type: info.type,
          protocolType: info.protocolType,
          state: kip?.state ?? info.state,
          members,
          topics: [...topics].sort(),
          status: null,
          lagSum: null,
          lagMax: null,
          lagSecondsMax: null,
          etaSeconds: null,
        };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async #describeClassic(ids: string[]): Promise<Map<string, GroupMember[]>> {
    const result = new Map<string, GroupMember[]>();
    if (ids.length === 0) return result;
    const described = await this.#admin.describeGroups({ groups: ids });
    this.stats.record('DescribeGroups', 'coordinators', 'ok');
    for (const group of described.values()) {
      result.set(
        group.id,
        [...group.members.values()].map((member) => {
          const assignments = [...(member.assignments?.values() ?? [])].map((a) => ({ topic: a.topic, partitions: [...a.partitions].sort((x, y) => x - y) }));
          return {
            memberId: member.id,
            clientId: member.clientId,
            host: member.clientHost,
            topics: [...new Set([...assignments.map((a) => a.topic), ...(member.metadata?.topics ?? [])])].sort(),
            assignments,
          };
        }),
      );
    }
    return result;
  }

  async #describeKip848(ids: string[]): Promise<Map<string, { state: string; members: GroupMember[] }>> {
    const result = new Map<string, { state: string; members: GroupMember[] }>();
    if (ids.length === 0) return result;
    const coordinators = await this.#admin.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: ids });
    const byNode = new Map<number, { broker: BrokerEndpoint; groups: string[] }>();
    for (const c of coordinators) {
      const entry = byNode.get(c.nodeId) ?? { broker: { nodeId: c.nodeId, host: c.host, port: c.port }, groups: [] };
      entry.groups.push(c.key);
      byNode.set(c.nodeId, entry);
    }
    await Promise.all(
      [...byNode.values()].map(async ({ broker, groups }) => {
        const connection = await this.#admin.connections.get({ host: broker.host, port: broker.port });
        const response = await consumerGroupDescribeV0.api.async(connection, groups, false);
        this.stats.record('ConsumerGroupDescribe', broker.nodeId, 'ok');
        for (const group of response.groups) {
          if (group.errorCode !== 0) continue;
          result.set(group.groupId, {
            state: group.groupState,
            members: group.members.map((m) => {
              const assignments = m.assignment.topicPartitions.map((t) => ({ topic: t.topicName, partitions: [...t.partitions].sort((x, y) => x - y) }));
              return {
                memberId: m.memberId,
                clientId: m.clientId,
                host: m.clientHost,
                topics: [...new Set([...m.subscribedTopicNames, ...assignments.map((a) => a.topic)])].sort(),
                assignments,
              };
            }),
          });
        }
      }),
    );
    return result;
  }

  async close(): Promise<void> {
    await this.#admin.close().catch(() => undefined);
  }
}

function toGroupType(raw: string | undefined): GroupType {
  switch (raw?.toLowerCase()) {
    case 'classic':
    case undefined:
    case '':
      return 'classic';
    case 'consumer':
    case 'share':
    case 'streams':
      return raw.toLowerCase() as GroupType;
    default:
      return 'unknown';
  }
}
