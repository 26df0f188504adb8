import { randomUUID } from 'node:crypto';
import type { ExecuteRequest, PlannedPartitionPayload, ResetOutcome, ResetPlanRequest, ResetPlanResponse, ResetRecord, ResetScope, ResetSpecPayload } from '../../lib/contract';
import { planReset, resetCommand, type ResetInput } from '../../lib/replay/reset-plan';
import { WriteRefused, type WriteGuard, type WriteResult } from '../audit/write-guard';
import type { AuditIntent, ReplayStore } from '../store';
import type { ClusterConfig } from '../config/schema';
import { GroupOffsetsClient, partitionKey, type GroupDescription } from '../kafka/group-offsets';
import { errorMessage } from '../kafka/offsets';
import { PlanCache } from './plan-cache';
import { ResetError, expandScope, membersBlock, offsetsCsv, outcomeOf, partitionError, scopeTopics, undoOf } from './reset-support';

/** What execute needs from a preview; the hash covers spec, scope and targets (what the user agreed to). */
interface CachedPlan {
  cluster: string;
  group: string;
  spec: ResetSpecPayload;
  scope: ResetScope;
  partitions: PlannedPartitionPayload[];
  undoOf: string | null;
  confirmName: string | null;
}

/**
 * Consumer-group offset resets (issue 8): preview (plan), execute exactly the previewed targets, keep the offsets
 * replaced so the reset can be undone. Every execute goes through the WriteGuard, so it is audited and refused on
 * a read-only cluster.
 */
export class ResetService {
  readonly #configs = new Map<string, ClusterConfig>();
  readonly #clients = new Map<string, GroupOffsetsClient>();
  readonly #plans = new PlanCache<CachedPlan>();
  readonly #writes: WriteGuard;
  readonly #store: ReplayStore;

  constructor(clusters: readonly ClusterConfig[], deps: { writes: WriteGuard; replay: ReplayStore }) {
    for (const c of clusters) this.#configs.set(c.id, c);
    this.#writes = deps.writes;
    this.#store = deps.replay;
  }

  #client(cluster: string): GroupOffsetsClient {
    let client = this.#clients.get(cluster);
    if (!client) {
      const config = this.#configs.get(cluster);
      if (!config) throw new ResetError(404, 'unknown_cluster', `No cluster "${cluster}" is configured.`, `Configured clusters: ${[...this.#configs.keys()].join(', ')}.`);
      this.#clients.set(cluster, (client = new GroupOffsetsClient(config)));
    }
    return client;
  }

  /** The dry run: reads Kafka, writes nothing, and caches the plan for execute. */
  async plan(cluster: string, group: string, request: ResetPlanRequest, undoOfId: string | null = null, leftOutReasons = new Map<string, string>()): Promise<ResetPlanResponse> {
    const client = this.#client(cluster);
    const { spec, scope } = request;
    const [description, committed] = await kafka('read the group', () => Promise.all([client.describe(group), client.committed(group)]));
    const names = scopeTopics(scope, committed);
    const layout = await kafka('read the topics', () => client.layout(names));
    const wanted = expandScope(
      group,
      scope,
      committed,
      layout.topics.map((t) => ({ topic: t.topic, exists: t.exists, partitions: t.partitions.map((p) => p.partition) })),
    );
    const leaders = new Map(layout.topics.flatMap((t) => t.partitions.map((p) => [partitionKey(p.topic, p.partition), p] as const)));
    const partitions = wanted.map((w) => leaders.get(partitionKey(w.topic, w.partition))!);

    const marks = await kafka('read the log bounds', () => client.watermarks(layout.brokers, partitions));
    const broken = marks.find((m) => m.low === null || m.high === null);
    if (broken) throw new ResetError(503, 'partition_unavailable', `Kafka could not give the log bounds of ${broken.topic}/${broken.partition}: ${broken.error}.`, 'The partition may have no leader right now; try again in a moment.');
    const byTime = spec.mode === 'timestamp' ? await kafka('look up offsets by time', () => client.offsetsAt(layout.brokers, partitions, spec.timestamp)) : null;
    const source = spec.mode === 'copy' ? await kafka(`read the offsets of group "${spec.group}"`, () => client.committed(spec.group)) : null;
    const committedAt = new Map(committed.map((c) => [partitionKey(c.topic, c.partition), c.offset]));
    const sourceAt = new Map((source ?? []).map((c) => [partitionKey(c.topic, c.partition), c.offset]));
    const markAt = new Map(marks.map((m) => [partitionKey(m.topic, m.partition), m]));

    const inputs: ResetInput[] = wanted.map(({ topic, partition }) => {
      const key = partitionKey(topic, partition);
      const m = markAt.get(key)!;
      return {
        topic,
        partition,
        committed: committedAt.get(key) ?? null,
        low: m.low!,
        high: m.high!,
        ...(byTime ? { offsetForTime: byTime.get(key) ?? null } : {}),
        ...(source ? { sourceCommitted: sourceAt.get(key) ?? null } : {}),
      };
    });
    const planned = planReset(spec, inputs);
    const withMarks = planned.partitions.map((p) => ({ ...p, low: markAt.get(partitionKey(p.topic, p.partition))!.low!, high: markAt.get(partitionKey(p.topic, p.partition))!.high! }));
    const leftOut = planned.leftOut.map((l) => ({ ...l, reason: leftOutReasons.get(partitionKey(l.topic, l.partition)) ?? l.reason }));

    const blocked = this.#writes.readOnly(cluster)
      ? { reason: `Cluster "${cluster}" is read-only: Topolog does not write to it.`, hint: 'Set readOnly: false for this cluster in the Topolog config to allow resets.' }
      : description.members.length > 0
        ? membersBlock(group, description.members)
        : withMarks.length === 0
          ? { reason: 'No partition can be placed by this reset.', hint: 'See the partitions left out and why; choose another mode or scope.' }
          : null;
    const confirmName = scope.length === 0 || planned.totals.skip > 0 ? group : null;
    const config = this.#configs.get(cluster)!;
    const base: Omit<ResetPlanResponse, 'planId' | 'planHash' | 'expiresAt'> = {
      cluster,
      group,
      spec,
      scope,
      groupState: description.state,
      members: description.members,
      blocked,
      partitions: withMarks,
      leftOut,
      totals: planned.totals,
      command: {
        dryRun: resetCommand(config.brokers.join(','), group, spec, scope, false),
        execute: resetCommand(config.brokers.join(','), group, spec, scope, true),
        csv: spec.mode === 'copy' || spec.mode === 'offsets' ? offsetsCsv(withMarks) : null,
      },
      warnings: warningsFor(group, description, withMarks, leftOut.length, committed.length),
      confirmName,
    };
    const targets = withMarks.map((p) => ({ topic: p.topic, partition: p.partition, target: p.target }));
    const ids = this.#plans.add({ cluster, group, spec, scope, partitions: withMarks, undoOf: undoOfId, confirmName }, { cluster, group, spec, scope, targets, undoOf: undoOfId });
    return { ...ids, ...base };
  }

  /** A plan that puts back the offsets a stored reset replaced (mode `offsets`); executed like any other plan. */
  async undoPlan(cluster: string, group: string, resetId: string): Promise<ResetPlanResponse> {
    const record = this.#store.reset(resetId);
    if (!record || record.cluster !== cluster || record.group !== group) {
      throw new ResetError(404, 'reset_not_found', `No reset "${resetId}" of group "${group}" on cluster "${cluster}".`, `GET /api/clusters/${cluster}/groups/${group}/resets lists this group's resets.`);
    }
    if (record.undoneBy) throw new ResetError(409, 'already_undone', `Reset ${resetId} was already undone by reset ${record.undoneBy}.`, 'Undo that reset instead, or preview a new reset.');
    const undo = undoOf(record);
    if (!record.undoable || undo.offsets.length === 0) {
      throw new ResetError(409, 'not_undoable', `Reset ${resetId} changed no partition that had an offset before, so there is nothing to put back.`, 'Preview a new reset with the offsets you want.');
    }
    return this.plan(cluster, group, { spec: { mode: 'offsets', offsets: undo.offsets }, scope: undo.scope }, resetId, undo.reasons);
  }

  /**
   * Runs a previewed plan once: typed confirmation, members check right before, exactly the previewed targets, read
   * back. Refusals of any kind (unknown plan, read-only, confirmation, members) are in the audit log.
   */
  async execute(cluster: string, group: string, body: ExecuteRequest, actor: string): Promise<ResetRecord> {
    const known = this.#plans.get(body.planId);
    const intentOf = (plan: CachedPlan | null): AuditIntent => ({
      actor,
      cluster,
      action: plan?.undoOf ? 'undo' : 'reset',
      target: `group:${group}`,
      params: plan
        ? { planId: body.planId, spec: plan.spec, scope: plan.scope, targets: plan.partitions.map((p) => ({ topic: p.topic, partition: p.partition, target: p.target })), undoOf: plan.undoOf }
        : { planId: body.planId },
    });
    try {
      if (known && (known.cluster !== cluster || known.group !== group)) {
        throw new WriteRefused(409, 'plan_mismatch', `This preview is for group "${known.group}" on cluster "${known.cluster}".`, 'Execute it on the group it was made for, or preview this group.');
      }
      return await this.#plans.executeOnce(body.planId, body.planHash, (plan) => this.#writes.run(intentOf(plan), (auditId) => this.#apply(plan, body.confirm, auditId)));
    } catch (err) {
      // Refused before the guard ran (unknown, expired or altered plan): audited here, so every refusal is logged.
      throw this.#writes.auditEarlyRefusal(err, intentOf(known));
    }
  }

  async #apply(plan: CachedPlan, confirm: string | undefined, auditId: number): Promise<WriteResult<ResetRecord>> {
    const { cluster, group } = plan;
    if (plan.confirmName !== null && confirm !== plan.confirmName) {
      throw new WriteRefused(400, 'confirmation_mismatch', `To run this reset, type the group name "${plan.confirmName}" exactly.`, 'It covers the whole group or skips messages, so it needs the typed group name as confirmation.');
    }
    const client = this.#client(cluster);
    // Members may have joined since the preview: Kafka would reject their partitions, and they would overwrite ours.
    const description = await kafka('describe the group', () => client.describe(group));
    if (description.members.length > 0) {
      const block = membersBlock(group, description.members);
      throw new WriteRefused(409, 'group_has_members', `${block.reason} Nothing was changed.`, block.hint, null, { members: description.members });
    }
    const layout = await kafka('read the topics', () => client.layout([...new Set(plan.partitions.map((p) => p.topic))]));
    const leaders = layout.topics.flatMap((t) => t.partitions);
    const planned = plan.partitions.filter((p) => leaders.some((l) => l.topic === p.topic && l.partition === p.partition));
    const marks = new Map((await kafka('read the log bounds', () => client.watermarks(layout.brokers, leaders))).map((m) => [partitionKey(m.topic, m.partition), m]));
    // Exactly the previewed targets; only a log start that moved past a target (retention ran) moves it up to the log.
    const reclamped: { topic: string; partition: number; planned: number; target: number }[] = [];
    const writes = planned.map((p) => {
      const low = marks.get(partitionKey(p.topic, p.partition))?.low ?? null;
      if (low !== null && low > p.target) {
        reclamped.push({ topic: p.topic, partition: p.partition, planned: p.target, target: low });
        return { topic: p.topic, partition: p.partition, offset: low };
      }
      return { topic: p.topic, partition: p.partition, offset: p.target };
    });
    const before = new Map((await kafka('read the committed offsets', () => client.committed(group))).map((c) => [partitionKey(c.topic, c.partition), c.offset]));
    const altered = await client.alterOffsets(group, writes);
    // The commit's own answer per partition is authoritative; reading back verifies it. If only the read-back fails,
    // the reset is still recorded (with the offsets it replaced), so it can be undone.
    let after: Map<string, number | null> | null = null;
    let readBackError: string | null = null;
    try {
      after = new Map((await client.committed(group)).map((c) => [partitionKey(c.topic, c.partition), c.offset]));
    } catch (err) {
      readBackError = errorMessage(err);
    }

    const partitions: ResetOutcome[] = writes.map((w) => {
      const key = partitionKey(w.topic, w.partition);
      const alterError = altered.get(key) ?? null;
      if (after === null) return { topic: w.topic, partition: w.partition, target: w.offset, previous: before.get(key) ?? null, after: null, error: alterError };
      const read = after.get(key) ?? null;
      return { topic: w.topic, partition: w.partition, target: w.offset, previous: before.get(key) ?? null, after: read, error: partitionError(w.offset, read, alterError) };
    });
    // A partition deleted since the preview was not touched: reported as such rather than silently dropped.
    for (const p of plan.partitions) {
      if (!planned.includes(p)) partitions.push({ topic: p.topic, partition: p.partition, target: p.target, previous: p.current, after: null, error: 'the partition no longer exists' });
    }
    const outcome = outcomeOf(partitions);
    const record: ResetRecord = {
      id: randomUUID(),
      cluster,
      group,
      at: Date.now(),
      spec: plan.spec,
      scope: plan.scope,
      outcome,
      partitions,
      auditId,
      undoOf: plan.undoOf,
      undoneBy: null,
      undoable: false,
    };
    // A failed undo changed nothing: storing it would mark the original undone, so only the audit log keeps it.
    const stored = outcome === 'failed' && plan.undoOf ? record : (this.#store.addReset(record), this.#store.reset(record.id) ?? record);
    const failures = partitions.filter((p) => p.error !== null).map((p) => ({ topic: p.topic, partition: p.partition, error: p.error }));
    return {
      outcome: outcome === 'applied' ? 'ok' : outcome,
      result: { resetId: record.id, outcome, changed: partitions.length - failures.length, failures, reclamped, ...(readBackError ? { readBackError } : {}) },
      value: stored,
    };
  }

  resets(cluster: string, group: string): ResetRecord[] {
    return this.#store.resets(cluster, group);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
    this.#clients.clear();
  }
}

function warningsFor(group: string, d: GroupDescription, partitions: readonly PlannedPartitionPayload[], leftOut: number, committed: number): string[] {
  const warnings: string[] = [];
  if (d.state === null) {
    warnings.push(`Group "${group}" does not exist yet: the reset will create it with these offsets.`);
  } else if (d.members.length === 0 && committed > 0) {
    // Kafka cannot see these consumers as members, so nothing stops the reset; their next commit would undo it.
    warnings.push(
      'No member is connected. Consumers that use assign() instead of subscribe() and stopped Kafka Streams apps do not show as members: stop them before executing (they would overwrite these offsets with their next commit). For a Kafka Streams app use kafka-streams-application-reset instead.',
    );
  }
  const clamped = partitions.filter((p) => p.clamped !== null);
  if (clamped.length > 0) {
    warnings.push(`${clamped.length} partition${clamped.length === 1 ? '' : 's'} asked for an offset outside the log and ${clamped.length === 1 ? 'was' : 'were'} clamped to it: ${clamped.slice(0, 5).map((p) => `${p.topic}/${p.partition} ${p.requested} → ${p.target} (${p.clamped === 'to-log-start' ? 'log start' : 'log end'})`).join(', ')}${clamped.length > 5 ? ', …' : ''}.`);
  }
  if (leftOut > 0) warnings.push(`${leftOut} partition${leftOut === 1 ? ' is' : 's are'} left as ${leftOut === 1 ? 'it is' : 'they are'}: see the partitions left out.`);
  if (partitions.length > 0 && partitions.every((p) => p.current === p.target)) warnings.push('Every partition is already at its target: executing changes nothing.');
  return warnings;
}

/** Runs a Kafka read; a failure becomes a 503 that says what could not be done and that it is worth retrying. */
async function kafka<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ResetError || err instanceof WriteRefused) throw err;
    throw new ResetError(503, 'kafka_unavailable', `Kafka did not answer when Topolog tried to ${what}: ${errorMessage(err)}.`, 'Check that the cluster is reachable (GET /api/health) and try again.');
  }
}
