import type { TopologyConfig } from '../config/schema';
import type { BrokerAccess, BrokerEndpoint } from '../kafka/offsets';
import { sampleRecordsBatch, type SampleRequest, type SampleResult } from '../kafka/record-sampler';
import { interpretHeaders, type HeaderOptions, type ProducerClaim } from '../../lib/topology/headers';
import { nodeId, type NodeRef } from '../../lib/topology/evidence';
import { isInternalTopicName } from '../../lib/topics';
import type { EdgeObservation } from '../store';
import type { ProducerSession } from './producer-sessions';
import { ownerRef } from './writer-ref';

export interface SamplablePartition {
  topic: string;
  partition: number;
  leader: number;
  leaderEpoch: number;
  hwm: number | null;
  logStart: number | null;
}

interface PartitionSampleState {
  sampledAt: number;
  hwmAtSample: number;
  /** Records without a producer id in the last sample, by writer node id ("" = no claim). */
  counts: Map<string, { writer: NodeRef | null; records: number }>;
}

export interface Attribution {
  writer: NodeRef;
  via: string;
  at: number;
}

type Budget = TopologyConfig['sampler'];

/**
 * Reads a few records where the evidence is missing or changed (research/lineage.md §5.3): a new producer session,
 * a partition never sampled, or one that keeps receiving data and was sampled longer than `resampleMs` ago. A
 * partition whose end offset did not move is never read again: no new data means no new writers. Group-less Fetch
 * requests only, one per leader, within a per-cycle budget of partitions and bytes. Headers are read, payloads never
 * kept.
 */
export class HeaderSampler {
  /** topic → partition → its last sample: shares are read per topic every cycle, so they must not scan everything. */
  readonly #state = new Map<string, Map<number, PartitionSampleState>>();
  readonly #triedPids = new Set<string>();
  readonly #eventTypes = new Map<string, Set<string>>();

  plan(partitions: readonly SamplablePartition[], freshSessions: readonly ProducerSession[], attributed: ReadonlySet<string>, now: number, budget: Budget): SamplablePartition[] {
    const byKey = new Map(partitions.map((p) => [`${p.topic}/${p.partition}`, p]));
    const ranked: { p: SamplablePartition; priority: number; age: number; pid?: string }[] = [];
    const taken = new Set<string>();
    for (const s of freshSessions) {
      const key = `${s.topic}/${s.partition}`;
      if (attributed.has(s.producerId) || this.#triedPids.has(`${key}/${s.producerId}`) || taken.has(key)) continue;
      const p = byKey.get(key);
      if (!p) continue;
      taken.add(key);
      ranked.push({ p, priority: 0, age: Number.POSITIVE_INFINITY, pid: `${key}/${s.producerId}` });
    }
    for (const p of partitions) {
      const key = `${p.topic}/${p.partition}`;
      // Kafka's own topics are written by the brokers and Kafka's clients: no service to find there.
      if (taken.has(key) || p.hwm === null || p.hwm <= (p.logStart ?? 0) || isInternalTopicName(p.topic)) continue;
      const state = this.#state.get(p.topic)?.get(p.partition);
      if (!state) ranked.push({ p, priority: 1, age: Number.POSITIVE_INFINITY });
      else if (p.hwm > state.hwmAtSample && now - state.sampledAt >= budget.resampleMs) ranked.push({ p, priority: 2, age: now - state.sampledAt });
    }
    ranked.sort((a, b) => a.priority - b.priority || b.age - a.age);
    const limit = Math.min(budget.maxPartitionsPerCycle, Math.max(1, Math.floor(budget.maxBytesPerCycle / budget.maxBytesPerPartition)));
    const chosen = ranked.slice(0, limit);
    // Only a session whose batch is really read now counts as tried; one cut by the budget keeps its priority.
    for (const r of chosen) if (r.pid) this.#triedPids.add(r.pid);
    return chosen.map((r) => r.p);
  }

  async read(access: BrokerAccess, brokers: ReadonlyMap<number, BrokerEndpoint>, plan: readonly SamplablePartition[], budget: Budget): Promise<{ results: (SampleResult & { at: number; hwm: number })[]; errors: string[] }> {
    const byLeader = new Map<number, SamplablePartition[]>();
    for (const p of plan) byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p]);
    const results: (SampleResult & { at: number; hwm: number })[] = [];
    const errors: string[] = [];
    await Promise.all(
      [...byLeader].map(async ([leader, parts]) => {
        const broker = brokers.get(leader);
        if (!broker) return;
        const reqs: SampleRequest[] = parts.map((p) => ({
          topic: p.topic,
          partition: p.partition,
          leaderEpoch: p.leaderEpoch,
          fromOffset: Math.max(p.logStart ?? 0, (p.hwm ?? 0) - budget.recordsPerPartition),
          maxBytes: budget.maxBytesPerPartition,
        }));
        try {
          const answered = await sampleRecordsBatch(access, broker, reqs, Math.min(budget.maxBytesPerCycle, reqs.length * budget.maxBytesPerPartition));
          const at = Date.now();
          for (const r of answered) {
            if (r.error) errors.push(`${r.topic}/${r.partition}: ${r.error}`);
            const hwm = parts.find((p) => p.topic === r.topic && p.partition === r.partition)?.hwm ?? 0;
            results.push({ ...r, at, hwm });
          }
        } catch (err) {
          errors.push(`broker ${leader}: ${(err as Error).message}`);
        }
      }),
    );
    return { results, errors };
  }

  /**
   * Turns sampled headers into evidence. The strongest claim of each record names its writer; a dead-letter claim
   * names the failing group, resolved to the service its members run in. Batches with a producer id attribute
   * that session, so its sequence-measured rate lands on the named writer.
   */
  interpret(
    results: readonly (SampleResult & { at: number; hwm: number })[],
    now: number,
    options: HeaderOptions,
    groupOwners: ReadonlyMap<string, NodeRef[]>,
  ): { edges: EdgeObservation[]; attributions: Map<string, Attribution> } {
    const edges = new Map<string, EdgeObservation>();
    const attributions = new Map<string, Attribution>();
    for (const result of results) {
      if (result.error && result.batches.length === 0) continue;
      const topicRef: NodeRef = { kind: 'topic', name: result.topic };
      const counts = new Map<string, { writer: NodeRef | null; records: number }>();
      for (const batch of result.batches) {
        for (const record of batch.records) {
          const facts = interpretHeaders(record.headers, record.structuredCloudEvent, options);
          // Producer clocks can run ahead; the evidence never claims to be from the future.
          const seenAt = Math.min(now, record.timestamp > 0 ? record.timestamp : now);
          if (facts.eventType) this.#noteEventType(result.topic, facts.eventType);
          const claim = facts.claims[0];
          const writer = claim ? writerOf(claim, facts.deadLetter?.originalGroup ?? null, groupOwners) : null;
          if (batch.producerId === null) {
            const id = writer ? nodeId(writer) : '';
            const count = counts.get(id);
            if (count) count.records += 1;
            else counts.set(id, { writer, records: 1 });
          }
          if (!claim || !writer) continue;
          if (batch.producerId !== null) {
            const known = attributions.get(batch.producerId);
            if (!known || known.at < seenAt) attributions.set(batch.producerId, { writer, via: claim.via, at: seenAt });
          }
          const key = `${claim.via}:${claim.headerKey}`;
          const id = `produces|${nodeId(writer)}|${result.topic}|${key}`;
          const previous = edges.get(id);
          if (!previous || previous.seenAt < seenAt) {
            edges.set(id, {
              span: {
                edgeKind: 'produces',
                from: writer,
                to: topicRef,
                source: 'observed.header',
                key,
                weight: claim.weight,
                detail: {
                  header: claim.headerKey,
                  value: claim.raw.slice(0, 200),
                  eventType: facts.eventType,
                  typeId: facts.typeId,
                  cloudEvents: facts.cloudEvents,
                  ...(claim.inherited ? { inherited: true } : {}),
                },
              },
              seenAt,
            });
          }
          if (facts.deadLetter?.originalTopic) {
            const dlId = `deadLetters|${facts.deadLetter.originalTopic}|${result.topic}`;
            if (!edges.has(dlId) || edges.get(dlId)!.seenAt < seenAt) {
              edges.set(dlId, {
                span: {
                  edgeKind: 'deadLetters',
                  from: { kind: 'topic', name: facts.deadLetter.originalTopic },
                  to: topicRef,
                  source: 'observed.header',
                  key: `${facts.deadLetter.framework}-dead-letter`,
                  weight: 0.8,
                  detail: { framework: facts.deadLetter.framework, originalGroup: facts.deadLetter.originalGroup, connector: facts.deadLetter.connector, exception: facts.deadLetter.exception },
                },
                seenAt,
              });
            }
          }
        }
      }
      let byPartition = this.#state.get(result.topic);
      if (!byPartition) this.#state.set(result.topic, (byPartition = new Map()));
      byPartition.set(result.partition, { sampledAt: result.at, hwmAtSample: result.hwm, counts });
    }
    return { edges: [...edges.values()], attributions };
  }

  /**
   * Each writer's share of a topic's records written without a producer id (those are not measured by sequence),
   * over the partitions sampled within `windowMs`. Partitions weigh by the records sampled from them.
   */
  sharesOf(topic: string, now: number, windowMs: number): { writer: NodeRef | null; share: number }[] {
    const totals = new Map<string, { writer: NodeRef | null; records: number }>();
    let all = 0;
    for (const state of this.#state.get(topic)?.values() ?? []) {
      if (now - state.sampledAt > windowMs) continue;
      for (const [id, c] of state.counts) {
        const total = totals.get(id);
        if (total) total.records += c.records;
        else totals.set(id, { ...c });
        all += c.records;
      }
    }
    if (all === 0) return [];
    return [...totals.values()].map((t) => ({ writer: t.writer, share: t.records / all }));
  }

  eventTypes(topic: string): string[] {
    return [...(this.#eventTypes.get(topic) ?? [])].sort();
  }

  #noteEventType(topic: string, type: string): void {
    let set = this.#eventTypes.get(topic);
    if (!set) this.#eventTypes.set(topic, (set = new Set()));
    // Bounded: a topic with a type per record would otherwise grow without end.
    if (set.size < 20) set.add(type.slice(0, 200));
  }

  retain(partitions: ReadonlySet<string>): void {
    for (const [topic, byPartition] of this.#state) {
      for (const partition of byPartition.keys()) if (!partitions.has(`${topic}/${partition}`)) byPartition.delete(partition);
      if (byPartition.size === 0) {
        this.#state.delete(topic);
        this.#eventTypes.delete(topic);
      }
    }
    for (const key of this.#triedPids) if (!partitions.has(key.slice(0, key.lastIndexOf('/')))) this.#triedPids.delete(key);
  }
}

function writerOf(claim: ProducerClaim, originalGroup: string | null, groupOwners: ReadonlyMap<string, NodeRef[]>): NodeRef {
  if (claim.via === 'spring_dlt' && originalGroup) {
    // The dead-letter record was written by the consumer that failed: the service its group's members run in.
    const owners = groupOwners.get(originalGroup);
    if (owners && owners.length > 0) return owners[0]!;
  }
  return ownerRef(claim.kind, claim.service).ref;
}
