import type { GroupPartition, ResetPlanRequest, ResetScope, ResetSpecPayload } from '../contract';

/**
 * The reset page's form as plain data, and the request it stands for. Kept out of the component so the rules
 * (what "2 hours ago" means, which scope is "the whole group") are unit-tested and read in one place.
 */

export type ResetModeChoice = 'earliest' | 'latest' | 'time' | 'offset' | 'shift' | 'copy';
export type TimeChoice = 'at' | 'ago';
export type AgoUnit = 'minutes' | 'hours' | 'days';
export type ScopeChoice = 'group' | 'topics' | 'partitions';

export interface ResetFormState {
  mode: ResetModeChoice;
  /** time mode: an absolute local time (datetime-local value) or an amount before now. */
  time: TimeChoice;
  datetime: string;
  agoAmount: string;
  agoUnit: AgoUnit;
  offset: string;
  /** Signed: "-100" goes back 100 messages. */
  shift: string;
  copyGroup: string;
  scope: ScopeChoice;
  topics: string[];
  /** "topic:partition" keys (partitionKey). */
  partitions: string[];
}

export const INITIAL_RESET_FORM: ResetFormState = {
  mode: 'earliest',
  time: 'ago',
  datetime: '',
  agoAmount: '2',
  agoUnit: 'hours',
  offset: '',
  shift: '',
  copyGroup: '',
  scope: 'group',
  topics: [],
  partitions: [],
};

/** The quick choices of the time mode: the usual "rewind to before the incident" distances. */
export const AGO_PRESETS: readonly { amount: number; unit: AgoUnit; label: string }[] = [
  { amount: 15, unit: 'minutes', label: '15 min' },
  { amount: 1, unit: 'hours', label: '1 h' },
  { amount: 2, unit: 'hours', label: '2 h' },
  { amount: 6, unit: 'hours', label: '6 h' },
  { amount: 24, unit: 'hours', label: '24 h' },
];

const UNIT_MS: Record<AgoUnit, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

export const partitionKey = (topic: string, partition: number) => `${topic}:${partition}`;

/** "topic:3" → { topic, partition }; the topic may itself hold colons, the partition is after the last one. */
export function parsePartitionKey(key: string): { topic: string; partition: number } | null {
  const at = key.lastIndexOf(':');
  if (at <= 0) return null;
  const partition = Number(key.slice(at + 1));
  return Number.isInteger(partition) && partition >= 0 ? { topic: key.slice(0, at), partition } : null;
}

/** A whole non-negative (or, with `signed`, any) integer typed by a person; null for anything else. */
export function parseWholeNumber(text: string, signed = false): number | null {
  const t = text.trim().replace(/[_,\s]/g, '');
  if (!(signed ? /^[-+]?\d+$/ : /^\+?\d+$/).test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

/** "N units ago" as epoch ms at `now`; null when the amount is not a positive number. */
export function agoToTimestamp(amount: string, unit: AgoUnit, now: number): number | null {
  const n = Number(amount.trim());
  if (!Number.isFinite(n) || n <= 0) return null;
  return Math.round(now - n * UNIT_MS[unit]);
}

type Built<T> = { ok: true; value: T } | { ok: false; error: string };

export function buildResetSpec(s: ResetFormState, now: number, parseLocal: (v: string) => number | null): Built<ResetSpecPayload> {
  switch (s.mode) {
    case 'earliest':
    case 'latest':
      return { ok: true, value: { mode: s.mode } };
    case 'time': {
      const timestamp = s.time === 'at' ? parseLocal(s.datetime) : agoToTimestamp(s.agoAmount, s.agoUnit, now);
      if (timestamp === null) return { ok: false, error: s.time === 'at' ? 'Pick a date and time.' : 'Type how long ago, a number above 0.' };
      if (timestamp > now) return { ok: false, error: 'That time is in the future: the group would skip to the end. Choose "latest" if that is what you want.' };
      return { ok: true, value: { mode: 'timestamp', timestamp } };
    }
    case 'offset': {
      const offset = parseWholeNumber(s.offset);
      return offset === null ? { ok: false, error: 'Type an offset, a whole number ≥ 0.' } : { ok: true, value: { mode: 'offset', offset } };
    }
    case 'shift': {
      const by = parseWholeNumber(s.shift, true);
      if (by === null || by === 0) return { ok: false, error: 'Type how many messages to move: negative goes back (reprocess), positive forward (skip).' };
      return { ok: true, value: { mode: 'shift', by } };
    }
    case 'copy':
      return s.copyGroup.trim() ? { ok: true, value: { mode: 'copy', group: s.copyGroup.trim() } } : { ok: false, error: 'Pick the group to copy offsets from.' };
  }
}

/** The scope as the API wants it: [] is the whole group; chosen partitions are grouped by topic, sorted. */
export function buildResetScope(s: ResetFormState): Built<ResetScope> {
  if (s.scope === 'group') return { ok: true, value: [] };
  if (s.scope === 'topics') {
    if (s.topics.length === 0) return { ok: false, error: 'Tick at least one topic.' };
    return { ok: true, value: [...s.topics].sort().map((topic) => ({ topic, partitions: null })) };
  }
  const byTopic = new Map<string, number[]>();
  for (const key of s.partitions) {
    const p = parsePartitionKey(key);
    if (!p) continue;
    byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
  }
  if (byTopic.size === 0) return { ok: false, error: 'Tick at least one partition.' };
  return { ok: true, value: [...byTopic.keys()].sort().map((topic) => ({ topic, partitions: [...new Set(byTopic.get(topic))].sort((a, b) => a - b) })) };
}

export function buildResetRequest(s: ResetFormState, now: number, parseLocal: (v: string) => number | null): Built<ResetPlanRequest> {
  const spec = buildResetSpec(s, now, parseLocal);
  if (!spec.ok) return spec;
  const scope = buildResetScope(s);
  if (!scope.ok) return scope;
  return { ok: true, value: { spec: spec.value, scope: scope.value } };
}

/** The group's partitions as topic → partition numbers, for the scope pickers. */
export function partitionsByTopic(partitions: readonly Pick<GroupPartition, 'topic' | 'partition'>[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of partitions) out.set(p.topic, [...(out.get(p.topic) ?? []), p.partition]);
  for (const list of out.values()) list.sort((a, b) => a - b);
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** A spec in words, for the result and the history: "earliest", "2 h ago (03:00:00)", "shift −100". */
export function describeResetSpec(spec: ResetSpecPayload, formatTime: (ms: number) => string): string {
  switch (spec.mode) {
    case 'earliest':
      return 'to earliest';
    case 'latest':
      return 'to latest';
    case 'timestamp':
      return `to time ${formatTime(spec.timestamp)}`;
    case 'offset':
      return `to offset ${spec.offset.toLocaleString('en-US')}`;
    case 'shift':
      return `shift by ${spec.by > 0 ? '+' : '−'}${Math.abs(spec.by).toLocaleString('en-US')}`;
    case 'copy':
      return `copy from group ${spec.group}`;
    case 'offsets':
      return `explicit offsets (${spec.offsets.length} partition${spec.offsets.length === 1 ? '' : 's'})`;
  }
}

/** A scope in words: "whole group", "orders, payments", "orders [0, 2]". */
export function describeResetScope(scope: ResetScope): string {
  if (scope.length === 0) return 'whole group';
  return scope.map((s) => (s.partitions ? `${s.topic} [${s.partitions.join(', ')}]` : s.topic)).join(', ');
}
