import type { DeadLetterInfo, ReplayRequest } from '../contract';
import { parseWholeNumber } from './reset-form';

/**
 * The replay page's form as plain data, the request it stands for, and the DLQ redrive preset. Out of the
 * component so the defaults a redrive picks (target, filter, partitioning) are tested, not rediscovered.
 */

export type RangeChoice = 'all' | 'offsets' | 'time';

export interface ReplayFormState {
  sourceTopic: string;
  /** Comma-separated partition numbers; empty is every partition. */
  partitions: string;
  range: RangeChoice;
  /** offsets: the same from / to applied to each chosen partition; empty ends are the log's. */
  fromOffset: string;
  toOffset: string;
  /** time: datetime-local values; empty ends are the log's. */
  fromTime: string;
  toTime: string;
  filter: string;
  targetTopic: string;
  partitioning: 'same' | 'key';
  keepKey: boolean;
  keepHeaders: boolean;
  keepTimestamp: boolean;
  rateLimit: string;
  maxRecords: string;
  allowSameTopic: boolean;
  allowCompactedTarget: boolean;
}

export const INITIAL_REPLAY_FORM: ReplayFormState = {
  sourceTopic: '',
  partitions: '',
  range: 'all',
  fromOffset: '',
  toOffset: '',
  fromTime: '',
  toTime: '',
  filter: '',
  targetTopic: '',
  partitioning: 'same',
  keepKey: true,
  keepHeaders: true,
  keepTimestamp: false,
  rateLimit: '',
  maxRecords: '',
  allowSameTopic: false,
  allowCompactedTarget: false,
};

/** A CEL string literal: JSON's escaping is valid CEL for any text. */
export const celString = (text: string) => JSON.stringify(text);

/**
 * The redrive preset for a dead-letter topic: back into the most frequent original topic, keyed like the
 * original producer did (partition by key), keeping key and headers so consumers see what they first missed.
 * With several originals, only the records that came from the chosen one (by the origin header).
 */
export function redrivePreset(info: DeadLetterInfo): Partial<ReplayFormState> & { label: string } {
  const original = info.originals[0]?.topic ?? '';
  const filter = info.originHeader && info.originals.length > 1 && original ? `${celString(info.originHeader)} in headers && headers[${celString(info.originHeader)}] == ${celString(original)}` : '';
  return {
    sourceTopic: info.topic,
    targetTopic: original,
    filter,
    partitioning: 'key',
    keepKey: true,
    keepHeaders: true,
    keepTimestamp: false,
    label: original ? `Redrive ${info.topic} → ${original}` : `Redrive ${info.topic}`,
  };
}

/** "0, 2,3" → [0, 2, 3]; "" → null (every partition); anything else → an error in words. */
export function parsePartitionList(text: string): { ok: true; value: number[] | null } | { ok: false; error: string } {
  const t = text.trim();
  if (!t) return { ok: true, value: null };
  const parts = t.split(/[\s,]+/).filter(Boolean);
  const out: number[] = [];
  for (const p of parts) {
    const n = parseWholeNumber(p);
    if (n === null) return { ok: false, error: `"${p}" is not a partition number.` };
    out.push(n);
  }
  return { ok: true, value: [...new Set(out)].sort((a, b) => a - b) };
}

type Built<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The request for a cluster. `partitionCount` spreads one from/to offset over every partition when none are
 * chosen (the API wants offsets per partition).
 */
export function buildReplayRequest(s: ReplayFormState, cluster: string, partitionCount: number | null, parseLocal: (v: string) => number | null): Built<ReplayRequest> {
  const source = s.sourceTopic.trim();
  const target = s.targetTopic.trim();
  if (!source) return { ok: false, error: 'Pick the source topic.' };
  if (!target) return { ok: false, error: 'Pick the target topic.' };
  const partitions = parsePartitionList(s.partitions);
  if (!partitions.ok) return partitions;
  let range: ReplayRequest['source']['range'];
  if (s.range === 'all') range = { by: 'offsets', from: null, to: null };
  else if (s.range === 'time') {
    const from = s.fromTime ? parseLocal(s.fromTime) : null;
    const to = s.toTime ? parseLocal(s.toTime) : null;
    if (s.fromTime && from === null) return { ok: false, error: 'The "from" time is not a valid date and time.' };
    if (s.toTime && to === null) return { ok: false, error: 'The "to" time is not a valid date and time.' };
    if (from !== null && to !== null && to <= from) return { ok: false, error: 'The "to" time must be after the "from" time.' };
    range = { by: 'time', from, to };
  } else {
    const from = s.fromOffset.trim() ? parseWholeNumber(s.fromOffset) : null;
    const to = s.toOffset.trim() ? parseWholeNumber(s.toOffset) : null;
    if (s.fromOffset.trim() && from === null) return { ok: false, error: 'The "from" offset must be a whole number ≥ 0.' };
    if (s.toOffset.trim() && to === null) return { ok: false, error: 'The "to" offset must be a whole number ≥ 0.' };
    if (from !== null && to !== null && to <= from) return { ok: false, error: 'The "to" offset (exclusive) must be above the "from" offset.' };
    const list = partitions.value ?? (partitionCount !== null ? Array.from({ length: partitionCount }, (_, i) => i) : null);
    if (list === null && (from !== null || to !== null)) return { ok: false, error: 'The topic’s partitions are not known yet; wait a moment or list the partitions.' };
    const perPartition = (n: number | null) => (n === null || list === null ? null : Object.fromEntries(list.map((p) => [String(p), n])));
    range = { by: 'offsets', from: perPartition(from), to: perPartition(to) };
  }
  const optionalInt = (text: string, what: string, min: number): Built<number | null> => {
    if (!text.trim()) return { ok: true, value: null };
    const n = parseWholeNumber(text);
    return n === null || n < min ? { ok: false, error: `${what} must be a whole number ≥ ${min}, or empty for none.` } : { ok: true, value: n };
  };
  const rateLimit = optionalInt(s.rateLimit, 'The rate limit', 1);
  if (!rateLimit.ok) return rateLimit;
  const maxRecords = optionalInt(s.maxRecords, 'Max records', 1);
  if (!maxRecords.ok) return maxRecords;
  return {
    ok: true,
    value: {
      source: { cluster, topic: source, partitions: partitions.value, range },
      filter: s.filter.trim() || null,
      target: { cluster, topic: target },
      partitioning: s.partitioning,
      keep: { key: s.keepKey, headers: s.keepHeaders, timestamp: s.keepTimestamp },
      rateLimit: rateLimit.value,
      maxRecords: maxRecords.value,
      allowSameTopic: s.allowSameTopic,
      allowCompactedTarget: s.allowCompactedTarget,
    },
  };
}
