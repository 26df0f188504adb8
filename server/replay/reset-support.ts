import type { GroupMemberRef, ResetOutcome, ResetRecord, ResetScope } from '../../lib/contract';

/*
 * The pure parts of an offset reset that need no Kafka: which partitions a scope means, how members and outcomes
 * read, and what an undo puts back. Kept apart from the service so they are unit-tested without a broker.
 */

/** A plan or undo that cannot be made, with what to do about it; the route answers with it as is. */
export class ResetError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export interface ScopeTopic {
  topic: string;
  exists: boolean;
  partitions: readonly number[];
}

/**
 * The topics a scope names. `[]` is the whole group: every topic it has committed offsets for, which is what
 * `kafka-consumer-groups.sh --all-topics` resets too.
 */
export function scopeTopics(scope: ResetScope, committed: readonly { topic: string; offset: number | null }[]): string[] {
  if (scope.length > 0) return [...new Set(scope.map((s) => s.topic))];
  return [...new Set(committed.filter((c) => c.offset !== null).map((c) => c.topic))].sort();
}

/**
 * The partitions a scope means, checked against the topics Kafka knows. Whole-group scope: the committed partitions
 * (as the Kafka tool does); a topic without a partition list: all its partitions. Unknown names are refused by name.
 */
export function expandScope(
  group: string,
  scope: ResetScope,
  committed: readonly { topic: string; partition: number; offset: number | null }[],
  topics: readonly ScopeTopic[],
): { topic: string; partition: number }[] {
  const byName = new Map(topics.map((t) => [t.topic, t]));
  if (scope.length === 0) {
    const result = committed.filter((c) => c.offset !== null && byName.get(c.topic)?.partitions.includes(c.partition)).map((c) => ({ topic: c.topic, partition: c.partition }));
    if (result.length === 0) {
      throw new ResetError(400, 'nothing_to_reset', `Group "${group}" has no committed offsets, so "the whole group" covers nothing.`, 'Choose the topics (and partitions) to reset instead.');
    }
    return sortPartitions(result);
  }
  const result: { topic: string; partition: number }[] = [];
  const seen = new Set<string>();
  for (const s of scope) {
    const t = byName.get(s.topic);
    if (!t || !t.exists) throw new ResetError(400, 'unknown_topic', `No topic "${s.topic}" on this cluster.`, 'Check the topic name (it is case-sensitive); the topics page lists them.');
    for (const p of s.partitions ?? t.partitions) {
      if (!t.partitions.includes(p)) {
        throw new ResetError(400, 'unknown_partition', `Topic "${s.topic}" has no partition ${p} (its partitions are 0 to ${t.partitions.length - 1}).`, 'Pick partitions the topic has, or leave the list empty for all of them.');
      }
      const key = `${s.topic}\u0000${p}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ topic: s.topic, partition: p });
    }
  }
  return sortPartitions(result);
}

function sortPartitions<T extends { topic: string; partition: number }>(list: T[]): T[] {
  return list.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/** "clientId on host (protocol)" for each member: what the user has to go and stop. */
export function describeMembers(members: readonly GroupMemberRef[]): string {
  const shown = members.slice(0, 10).map((m) => `${m.clientId || m.memberId} on ${m.host.replace(/^\//, '')} (${m.protocol === 'consumer' ? 'KIP-848' : 'classic'})`);
  return shown.join(', ') + (members.length > shown.length ? ` and ${members.length - shown.length} more` : '');
}

export function membersBlock(group: string, members: readonly GroupMemberRef[]): { reason: string; hint: string } {
  return {
    reason: `Group "${group}" has ${members.length} live member${members.length === 1 ? '' : 's'}: ${describeMembers(members)}. Kafka only changes the offsets of a group with no members.`,
    hint: 'Stop these consumers first (all instances of the service), wait until the group shows Empty, then preview again and confirm.',
  };
}

/** The reset as a whole: every partition read back as asked, none, or some. */
export function outcomeOf(partitions: readonly ResetOutcome[]): ResetRecord['outcome'] {
  const ok = partitions.filter((p) => p.error === null).length;
  if (ok === partitions.length && ok > 0) return 'applied';
  return ok === 0 ? 'failed' : 'partial';
}

/** One partition's result: Kafka's error, else a read-back that differs from the target, else null. */
export function partitionError(target: number, after: number | null, alterError: string | null): string | null {
  if (alterError) return alterError;
  if (after !== target) return after === null ? 'read back no committed offset' : `read back ${after}`;
  return null;
}

/** The rows of `kafka-consumer-groups.sh --from-file`: topic,partition,offset. */
export function offsetsCsv(partitions: readonly { topic: string; partition: number; target: number }[]): string {
  return partitions.map((p) => `${p.topic},${p.partition},${p.target}`).join('\n') + (partitions.length > 0 ? '\n' : '');
}

/**
 * What an undo puts back: each partition the reset changed, to the offset it had before. A partition that had no
 * committed offset cannot be put back to "none" by a commit, so it is left where the reset put it, and said so.
 */
export function undoOf(record: ResetRecord): { offsets: { topic: string; partition: number; offset: number }[]; scope: ResetScope; reasons: Map<string, string> } {
  const applied = record.partitions.filter((p) => p.error === null);
  const offsets = applied.filter((p) => p.previous !== null).map((p) => ({ topic: p.topic, partition: p.partition, offset: p.previous! }));
  const reasons = new Map<string, string>();
  for (const p of applied) {
    if (p.previous === null) {
      reasons.set(`${p.topic}\u0000${p.partition}`, `had no committed offset before reset ${record.id}; an offset commit cannot put "none" back, so it stays at ${p.after ?? p.target}`);
    }
  }
  const topics = new Map<string, number[]>();
  for (const p of applied) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p.partition]);
  const scope = [...topics.entries()].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
  return { offsets, scope, reasons };
}
