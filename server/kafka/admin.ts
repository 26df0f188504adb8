import { Admin, FindCoordinatorKeyTypes, consumerGroupDescribeV0, metadataV12 } from '@platformatic/kafka';
import type { BrokerInfo, GroupMember, GroupSummary, GroupType, TopicSummary } from '../../lib/contract';
import { isInternalTopicName } from '../../lib/topics';
import type { ClusterConfig } from '../config/schema';
import { capabilitiesFrom, type ClusterCapabilities } from './capabilities';
import { tlsOptions } from './connection-options';

/** Topolog's own client id: recognisable in broker logs and hidden from the map. */
export const TOPOLOG_CLIENT_ID = 'topolog-admin';

export interface ClusterMetadata {
  clusterId: string | null;
  controllerId: number | null;
  brokers: BrokerInfo[];
  topics: TopicSummary[];
}

/**
 * The admin side of the Kafka port for one cluster. Everything that talks to Kafka lives in server/kafka;
 * callers get plain domain objects. Topolog never joins or creates consumer groups here.
 */
export class KafkaAdminAdapter {
  readonly #cluster: ClusterConfig;
  #admin: Admin;
  #capabilities: ClusterCapabilities | null = null;

  constructor(cluster: ClusterConfig) {
    this.#cluster = cluster;
    this.#admin = this.#createAdmin();
  }

  #createAdmin(): Admin {
    const sasl = this.#cluster.sasl;
    return new Admin({
      clientId: TOPOLOG_CLIENT_ID,
      bootstrapBrokers: this.#cluster.brokers,
      // Fail fast: the poller owns retries and backoff, so the client must not hide an outage for long.
      connectTimeout: 5_000,
      requestTimeout: 15_000,
      retries: 0,
      tls: tlsOptions(this.#cluster),
      sasl: sasl ? { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } : undefined,
    });
  }

  /** Drops every connection and starts afresh; used after a failure so a dead socket is never reused. */
  async reset(): Promise<void> {
    const old = this.#admin;
    this.#admin = this.#createAdmin();
    this.#capabilities = null;
    await old.close().catch(() => undefined);
  }

  async capabilities(): Promise<ClusterCapabilities> {
    this.#capabilities ??= capabilitiesFrom(await this.#admin.listApis());
    return this.#capabilities;
  }

  /**
   * Brokers, controller and every topic (internal ones included, flagged by the broker) in one Metadata
   * request. A topic deleted meanwhile just drops out, instead of failing the whole read.
   */
  async readMetadata(): Promise<ClusterMetadata> {
    const connections = await this.#admin.connectToBrokers(null);
    const connection = connections.values().next().value;
    if (!connection) throw new Error('no broker connection available');
    const response = await metadataV12.api.async(connection, null, false, false);
    const brokers = response.brokers
      .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null }))
      .sort((a, b) => a.nodeId - b.nodeId);
    const topics: TopicSummary[] = [];
    for (const topic of response.topics) {
      if (!topic.name || topic.errorCode !== 0) continue;
      const partitions = topic.partitions;
      topics.push({
        name: topic.name,
        partitions: partitions.length,
        replicationFactor: Math.max(0, ...partitions.map((p) => p.replicaNodes.length)),
        internal: topic.isInternal || isInternalTopicName(topic.name),
        underReplicatedPartitions: partitions.filter((p) => p.isrNodes.length < p.replicaNodes.length).length,
        offlinePartitions: partitions.filter((p) => p.leaderId < 0).length,
        produceRate: null,
      });
    }
    return {
      clusterId: response.clusterId || null,
      controllerId: response.controllerId >= 0 ? response.controllerId : null,
      brokers,
      topics: topics.sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  /**
   * Every group of every type with its members and the topics it reads. Classic groups come from DescribeGroups,
   * KIP-848 "consumer" groups from ConsumerGroupDescribe (DescribeGroups reports them as Dead with no members).
   */
  async listGroups(): Promise<GroupSummary[]> {
    const caps = await this.capabilities();
    // An empty type filter asks ListGroups v5 for every type; older brokers only know classic groups.
    const listed = await this.#admin.listGroups(caps.listGroupTypes ? { types: [] } : {});
    if (listed.size === 0) return [];

    const base = new Map<string, { type: GroupType; protocolType: string; state: string }>();
    for (const group of listed.values()) {
      base.set(group.id, { type: toGroupType(group.groupType), protocolType: group.protocolType, state: group.state });
    }
    const ids = [...base.keys()];
    // Only consumer-protocol classic groups carry member metadata we can decode (Connect workers do not).
    const classicConsumers = ids.filter((id) => base.get(id)?.type === 'classic' && base.get(id)?.protocolType === 'consumer');
    const kip848 = ids.filter((id) => base.get(id)?.type === 'consumer');

    const [classicMembers, kip848Groups, committedTopics] = await Promise.all([
      this.#describeClassic(classicConsumers),
      caps.consumerGroupDescribe ? this.#describeKip848(kip848) : Promise.resolve(new Map<string, { state: string; members: GroupMember[] }>()),
      this.#committedTopics(ids),
    ]);

    return ids
      .map((id): GroupSummary => {
        const info = base.get(id)!;
        const kip = kip848Groups.get(id);
        const members = kip?.members ?? classicMembers.get(id) ?? [];
        const topics = new Set<string>([...members.flatMap((m) => m.topics), ...(committedTopics.get(id) ?? [])]);
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
    for (const group of described.values()) {
      result.set(
        group.id,
        [...group.members.values()].map((member) => ({
          memberId: member.id,
          clientId: member.clientId,
          host: member.clientHost,
          topics: [...new Set([...(member.assignments?.keys() ?? []), ...(member.metadata?.topics ?? [])])].sort(),
        })),
      );
    }
    return result;
  }

  async #describeKip848(ids: string[]): Promise<Map<string, { state: string; members: GroupMember[] }>> {
    const result = new Map<string, { state: string; members: GroupMember[] }>();
    if (ids.length === 0) return result;
    const coordinators = await this.#admin.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: ids });
    const byNode = new Map<number, string[]>();
    for (const c of coordinators) byNode.set(c.nodeId, [...(byNode.get(c.nodeId) ?? []), c.key]);
    const connections = await this.#admin.connectToBrokers([...byNode.keys()]);
    await Promise.all(
      [...byNode.entries()].map(async ([nodeId, groupIds]) => {
        const connection = connections.get(nodeId);
        if (!connection) return;
        const response = await consumerGroupDescribeV0.api.async(connection, groupIds, false);
        for (const group of response.groups) {
          if (group.errorCode !== 0) continue;
          result.set(group.groupId, {
            state: group.groupState,
            members: group.members.map((m) => ({
              memberId: m.memberId,
              clientId: m.clientId,
              host: m.clientHost,
              topics: [...new Set([...m.subscribedTopicNames, ...m.assignment.topicPartitions.map((t) => t.topicName)])].sort(),
            })),
          });
        }
      }),
    );
    return result;
  }

  /** Topics each group has committed offsets for: a stopped group still shows what it reads. */
  async #committedTopics(ids: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (ids.length === 0) return result;
    const offsets = await this.#admin.listConsumerGroupOffsets({ groups: ids });
    for (const group of offsets) {
      result.set(group.groupId, group.topics.filter((t) => t.partitions.some((p) => p.committedOffset >= 0n)).map((t) => t.name));
    }
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
