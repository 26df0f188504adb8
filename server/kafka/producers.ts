import { describeProducersV0, describeTransactionsV0, listTransactionsV0, listTransactionsV1, listTransactionsV2 } from '@platformatic/kafka';
import { API_KEY_FIND_COORDINATOR, ApiKeys, FIND_COORDINATOR, pickVersion } from './api-versions';
import { kafkaErrorName } from './error-codes';
import { errorMessage, responseOf, type BrokerAccess, type BrokerEndpoint, type LeaderPartition } from './offsets';

/** Not in ApiKeys (capabilities.ts only lists what the capability check needs). */
const API_KEY_DESCRIBE_TRANSACTIONS = 65;
const API_KEY_LIST_TRANSACTIONS = 66;
/** FindCoordinator key type for transactional ids (GROUP is 0). */
const KEY_TYPE_TRANSACTION = 1;

const DESCRIBE_PRODUCERS = [describeProducersV0] as const;
/** v1 adds a duration filter, v2 a transactional-id pattern; Topolog uses neither, but newer is as cheap. */
const LIST_TRANSACTIONS = [listTransactionsV2, listTransactionsV1, listTransactionsV0] as const;
const DESCRIBE_TRANSACTIONS = [describeTransactionsV0] as const;

export interface ActiveProducer {
  /** int64 as a decimal string: producer ids outgrow Number's exact range on long-lived clusters. */
  producerId: string;
  producerEpoch: number;
  /** Sequence of the last batch the leader accepted from this producer; -1 unknown. */
  lastSequence: number;
  /**
   * Max timestamp of the last batch the leader appended for this producer (epoch ms; the producer's CreateTime, so
   * client clocks show through). Transaction markers count too: after a commit it is the marker's time, not the
   * last data write. null when unknown.
   */
  lastTimestamp: number | null;
  coordinatorEpoch: number;
  /** First offset of the producer's open transaction on this partition; null when none is open. */
  currentTxnStartOffset: number | null;
}

export interface PartitionProducers {
  topic: string;
  partition: number;
  producers: ActiveProducer[];
  /** Kafka error name (e.g. TOPIC_AUTHORIZATION_FAILED) or a transport failure; the producer list is then empty. */
  error: string | null;
}

/**
 * DescribeProducers (KIP-664, API 61): the idempotent/transactional producer sessions each partition leader still
 * holds state for (until producer.id.expiration.ms). Exactly one request per leader broker; a failing broker or
 * partition only fails its own partitions.
 */
export async function describeProducersByLeader(
  access: BrokerAccess,
  brokers: ReadonlyMap<number, BrokerEndpoint>,
  partitions: readonly LeaderPartition[],
): Promise<PartitionProducers[]> {
  const module = pickVersion(DESCRIBE_PRODUCERS, ApiKeys.DescribeProducers, access.apis);
  if (!module) throw new Error('the brokers do not support DescribeProducers (Kafka 2.8 or newer is needed)');
  const results: PartitionProducers[] = [];
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const p of partitions) {
    if (p.leader < 0 || !brokers.has(p.leader)) {
      results.push({ topic: p.topic, partition: p.partition, producers: [], error: 'LEADER_NOT_AVAILABLE' });
      continue;
    }
    let topics = byLeader.get(p.leader);
    if (!topics) byLeader.set(p.leader, (topics = new Map()));
    let list = topics.get(p.topic);
    if (!list) topics.set(p.topic, (list = []));
    list.push(p.partition);
  }

  await Promise.all(
    [...byLeader.entries()].map(async ([leader, topics]) => {
      const request = [...topics.entries()].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
      let response: describeProducersV0.DescribeProducersResponse | null = null;
      let failure: string | null = null;
      try {
        const connection = await access.connection(brokers.get(leader)!);
        response = await module.api.async(connection, request);
        access.stats.record('DescribeProducers', leader, 'ok');
      } catch (err) {
        // Partition-level errors (not leader, not authorized) still carry the parsed response: keep the good ones.
        response = responseOf(err);
        failure = response ? null : errorMessage(err);
        access.stats.record('DescribeProducers', leader, 'error');
      }
      const answered = new Set<string>();
      for (const t of response?.topics ?? []) {
        for (const p of t.partitions) {
          answered.add(`${t.name}\u0000${p.partitionIndex}`);
          results.push({
            topic: t.name,
            partition: p.partitionIndex,
            producers: p.errorCode === 0 ? p.activeProducers.map(toActiveProducer) : [],
            error: p.errorCode === 0 ? null : kafkaErrorName(p.errorCode),
          });
        }
      }
      // A partition the broker left out of its answer (or every partition, when the request failed) is still reported.
      for (const t of request) {
        for (const partition of t.partitionIndexes) {
          if (!answered.has(`${t.name}\u0000${partition}`)) results.push({ topic: t.name, partition, producers: [], error: failure ?? 'NO_RESPONSE' });
        }
      }
    }),
  );
  return results;
}

function toActiveProducer(p: describeProducersV0.DescribeProducersResponsePartitionProducer): ActiveProducer {
  return {
    producerId: p.producerId.toString(),
    producerEpoch: p.producerEpoch,
    lastSequence: p.lastSequence,
    lastTimestamp: p.lastTimestamp >= 0n ? Number(p.lastTimestamp) : null,
    coordinatorEpoch: p.coordinatorEpoch,
    currentTxnStartOffset: p.currentTxnStartOffset >= 0n ? Number(p.currentTxnStartOffset) : null,
  };
}

export interface TransactionListing {
  transactionalId: string;
  producerId: string;
  /** As the broker names it: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, ... */
  state: string;
}

/**
 * ListTransactions (KIP-664) sent to EVERY broker: each one only lists the transactional ids whose
 * __transaction_state partition it leads, so no single broker knows them all. A failing broker is reported in
 * `failedBrokers` (its transactions are then missing), never thrown.
 */
export async function listTransactions(
  access: BrokerAccess,
  brokers: ReadonlyMap<number, BrokerEndpoint>,
): Promise<{ transactions: TransactionListing[]; failedBrokers: Map<number, string> }> {
  const module = pickVersion(LIST_TRANSACTIONS, API_KEY_LIST_TRANSACTIONS, access.apis);
  if (!module) throw new Error('the brokers do not support ListTransactions (Kafka 3.0 or newer is needed)');
  const byId = new Map<string, TransactionListing>();
  const failedBrokers = new Map<number, string>();
  await Promise.all(
    [...brokers.values()].map(async (broker) => {
      try {
        const connection = await access.connection(broker);
        // No state, producer-id, duration or pattern filter: every transactional id this broker coordinates.
        const response = await module.api.async(connection, [], [], -1n, null);
        access.stats.record('ListTransactions', broker.nodeId, 'ok');
        for (const t of response.transactionStates) {
          byId.set(t.transactionalId, { transactionalId: t.transactionalId, producerId: t.producerId.toString(), state: t.transactionState });
        }
      } catch (err) {
        access.stats.record('ListTransactions', broker.nodeId, 'error');
        // A top-level error code (e.g. COORDINATOR_LOAD_IN_PROGRESS) arrives as a ResponseError with the response.
        const response = responseOf(err) as { errorCode?: number } | null;
        failedBrokers.set(broker.nodeId, response?.errorCode ? kafkaErrorName(response.errorCode) : errorMessage(err));
      }
    }),
  );
  return { transactions: [...byId.values()].sort((a, b) => a.transactionalId.localeCompare(b.transactionalId)), failedBrokers };
}

export interface TransactionDescription {
  transactionalId: string;
  state: string;
  producerId: string;
  producerEpoch: number;
  timeoutMs: number;
  /**
   * When the open transaction started (epoch ms). After a commit or abort the broker keeps the last one's start
   * (CompleteCommit/CompleteAbort); null only before the first transaction (Empty).
   */
  startTimeMs: number | null;
  /** Partitions the open transaction has added; empty once it is complete (PrepareCommit may still list them). */
  topicPartitions: { topic: string; partitions: number[] }[];
  /** Kafka error name (e.g. TRANSACTIONAL_ID_NOT_FOUND, COORDINATOR_NOT_AVAILABLE) or a transport failure. */
  error: string | null;
}

/**
 * The coordinators of all ids in one batched FindCoordinator (key type TRANSACTION, v4, KIP-699) via `via`, then
 * one DescribeTransactions per coordinator. Every requested id gets an answer; failures are per id, not thrown.
 */
export async function describeTransactions(
  access: BrokerAccess,
  via: BrokerEndpoint,
  brokers: ReadonlyMap<number, BrokerEndpoint>,
  transactionalIds: readonly string[],
): Promise<TransactionDescription[]> {
  if (transactionalIds.length === 0) return [];
  const describe = pickVersion(DESCRIBE_TRANSACTIONS, API_KEY_DESCRIBE_TRANSACTIONS, access.apis);
  if (!describe) throw new Error('the brokers do not support DescribeTransactions (Kafka 3.0 or newer is needed)');
  const find = pickVersion(FIND_COORDINATOR, API_KEY_FIND_COORDINATOR, access.apis);
  if (!find) throw new Error('the brokers do not support batched FindCoordinator (Kafka 2.8 or newer is needed)');
  const ids = [...new Set(transactionalIds)];
  const results: TransactionDescription[] = [];

  let coordinators;
  try {
    const connection = await access.connection(via);
    try {
      coordinators = (await find.api.async(connection, KEY_TYPE_TRANSACTION, ids)).coordinators;
      access.stats.record('FindCoordinator', via.nodeId, 'ok');
    } catch (err) {
      access.stats.record('FindCoordinator', via.nodeId, 'error');
      // Per-key errors (no coordinator yet) come with the parsed response: the other keys are still good.
      const response = responseOf(err) as { coordinators: typeof coordinators } | null;
      if (!response) throw err;
      coordinators = response.coordinators;
    }
  } catch (err) {
    return ids.map((id) => failed(id, errorMessage(err)));
  }

  const byCoordinator = new Map<number, { broker: BrokerEndpoint; ids: string[] }>();
  const located = new Set<string>();
  for (const c of coordinators ?? []) {
    if (c.errorCode !== 0) {
      results.push(failed(c.key, kafkaErrorName(c.errorCode)));
      located.add(c.key);
      continue;
    }
    // The response names the coordinator's endpoint too: a broker newer than our metadata is still reachable.
    const broker = brokers.get(c.nodeId) ?? { nodeId: c.nodeId, host: c.host, port: c.port };
    let entry = byCoordinator.get(c.nodeId);
    if (!entry) byCoordinator.set(c.nodeId, (entry = { broker, ids: [] }));
    entry.ids.push(c.key);
    located.add(c.key);
  }
  for (const id of ids) if (!located.has(id)) results.push(failed(id, 'NO_RESPONSE'));

  await Promise.all(
    [...byCoordinator.entries()].map(async ([nodeId, { broker, ids: group }]) => {
      let response: describeTransactionsV0.DescribeTransactionsResponse | null = null;
      let failure: string | null = null;
      try {
        const connection = await access.connection(broker);
        response = await describe.api.async(connection, group);
        access.stats.record('DescribeTransactions', nodeId, 'ok');
      } catch (err) {
        // Per-id errors (TRANSACTIONAL_ID_NOT_FOUND, NOT_COORDINATOR) keep the rest of the parsed response.
        response = responseOf(err);
        failure = response ? null : errorMessage(err);
        access.stats.record('DescribeTransactions', nodeId, 'error');
      }
      const answered = new Set<string>();
      for (const t of response?.transactionStates ?? []) {
        answered.add(t.transactionalId);
        if (t.errorCode !== 0) {
          results.push(failed(t.transactionalId, kafkaErrorName(t.errorCode)));
          continue;
        }
        results.push({
          transactionalId: t.transactionalId,
          state: t.transactionState,
          producerId: t.producerId.toString(),
          producerEpoch: t.producerEpoch,
          timeoutMs: t.transactionTimeoutMs,
          startTimeMs: t.transactionStartTimeMs >= 0n ? Number(t.transactionStartTimeMs) : null,
          topicPartitions: t.topics.map((tp) => ({ topic: tp.topic, partitions: [...tp.partitions].sort((a, b) => a - b) })),
          error: null,
        });
      }
      for (const id of group) if (!answered.has(id)) results.push(failed(id, failure ?? 'NO_RESPONSE'));
    }),
  );
  return results;
}

function failed(transactionalId: string, error: string): TransactionDescription {
  return { transactionalId, state: 'Unknown', producerId: '-1', producerEpoch: -1, timeoutMs: 0, startTimeMs: null, topicPartitions: [], error };
}
