/**
 * The dry-run of a consumer-group offset reset (issue 8), as pure arithmetic: for each partition, the committed
 * offset now, the offset it will be, whether the request had to be clamped into the log, and what that means for
 * the group (messages read again, messages skipped, lag afterwards). The server fills in what only Kafka knows
 * (watermarks, offsets by time, the other group's commits); nothing here talks to Kafka.
 */

export type ResetSpec =
  | { mode: 'earliest' }
  | { mode: 'latest' }
  /** The first offset at or after a time (epoch ms); "N minutes ago" is a time too. */
  | { mode: 'timestamp'; timestamp: number }
  | { mode: 'offset'; offset: number }
  /** Relative to the committed offset; negative goes back. */
  | { mode: 'shift'; by: number }
  /** Another group's committed offsets. */
  | { mode: 'copy'; group: string }
  /** Explicit offsets per partition: an undo puts back what a reset replaced. */
  | { mode: 'offsets'; offsets: readonly { topic: string; partition: number; offset: number }[] };

export interface ResetInput {
  topic: string;
  partition: number;
  /** The group's committed offset; null when it never committed this partition. */
  committed: number | null;
  /** Log start offset and high watermark. */
  low: number;
  high: number;
  /** timestamp mode: Kafka's offset for the time; null when no record is that recent (→ the end). */
  offsetForTime?: number | null;
  /** copy mode: the other group's committed offset here; null when it has none. */
  sourceCommitted?: number | null;
}

export interface PlannedPartition {
  topic: string;
  partition: number;
  current: number | null;
  /** What the mode asked for, before clamping into [low, high]. */
  requested: number;
  target: number;
  /** The request lay outside the log and was moved to its start or end. */
  clamped: 'to-log-start' | 'to-log-end' | null;
  /** Messages the group will read again (target before the commit); null without a commit. */
  reprocess: number | null;
  /** Messages the group will never read (target after the commit); null without a commit. */
  skip: number | null;
  /** high − target: what the group has to read after the reset. */
  lagAfter: number;
}

export interface LeftOut {
  topic: string;
  partition: number;
  reason: string;
}

export interface ResetPlan {
  partitions: PlannedPartition[];
  /** Partitions the mode cannot place (nothing to shift from, nothing to copy): left as they are. */
  leftOut: LeftOut[];
  totals: { reprocess: number; skip: number; lagAfter: number; changed: number };
}

/** An undo can list 100,000 partitions: index them once per list, not once per partition. */
const offsetIndexes = new WeakMap<readonly unknown[], Map<string, number>>();
function offsetsByPartition(offsets: readonly { topic: string; partition: number; offset: number }[]): Map<string, number> {
  let index = offsetIndexes.get(offsets);
  if (!index) {
    index = new Map(offsets.map((o) => [`${o.topic}\u0000${o.partition}`, o.offset]));
    offsetIndexes.set(offsets, index);
  }
  return index;
}

/** Where the mode points for one partition, or why it cannot say. */
function requestedOffset(spec: ResetSpec, p: ResetInput): number | string {
  switch (spec.mode) {
    case 'earliest':
      return p.low;
    case 'latest':
      return p.high;
    case 'timestamp':
      if (p.offsetForTime === undefined) return 'the offset for that time was not looked up';
      return p.offsetForTime ?? p.high;
    case 'offset':
      return spec.offset;
    case 'shift':
      return p.committed === null ? 'the group has no committed offset here to shift from' : p.committed + spec.by;
    case 'copy':
      return p.sourceCommitted === undefined || p.sourceCommitted === null ? `group "${spec.group}" has no committed offset here` : p.sourceCommitted;
    case 'offsets':
      return offsetsByPartition(spec.offsets).get(`${p.topic}\u0000${p.partition}`) ?? 'no offset was given for this partition';
  }
}

export function planReset(spec: ResetSpec, inputs: readonly ResetInput[]): ResetPlan {
  const partitions: PlannedPartition[] = [];
  const leftOut: LeftOut[] = [];
  for (const p of inputs) {
    const requested = requestedOffset(spec, p);
    if (typeof requested === 'string') {
      leftOut.push({ topic: p.topic, partition: p.partition, reason: requested });
      continue;
    }
    const target = Math.min(Math.max(requested, p.low), p.high);
    const clamped = requested < p.low ? 'to-log-start' : requested > p.high ? 'to-log-end' : null;
    // A commit below the log start reads from the log start anyway: count from where the group really is.
    const from = p.committed === null ? null : Math.min(Math.max(p.committed, p.low), p.high);
    partitions.push({
      topic: p.topic,
      partition: p.partition,
      current: p.committed,
      requested,
      target,
      clamped,
      reprocess: from === null ? null : Math.max(0, from - target),
      skip: from === null ? null : Math.max(0, target - from),
      lagAfter: p.high - target,
    });
  }
  partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return {
    partitions,
    leftOut,
    totals: {
      reprocess: partitions.reduce((s, p) => s + (p.reprocess ?? 0), 0),
      skip: partitions.reduce((s, p) => s + (p.skip ?? 0), 0),
      lagAfter: partitions.reduce((s, p) => s + p.lagAfter, 0),
      changed: partitions.filter((p) => p.current !== p.target).length,
    },
  };
}

/** The undo of an applied plan: back to each partition's offset before it (partitions without one are left out). */
export function undoSpecOffsets(plan: ResetPlan): { topic: string; partition: number; offset: number }[] {
  return plan.partitions.filter((p) => p.current !== null).map((p) => ({ topic: p.topic, partition: p.partition, offset: p.current! }));
}

/** A shell word, quoted only when it needs to be. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9._:,=/@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The same reset with Kafka's own tool, for people who want to check it or run it themselves. Copying another
 * group's offsets (or putting explicit ones back) has no flag: the tool takes them from a CSV file (`--from-file`) of topic,partition,offset rows.
 */
export function resetCommand(bootstrap: string, group: string, spec: ResetSpec, scope: readonly { topic: string; partitions: readonly number[] | null }[], execute = false): string {
  const how = (() => {
    switch (spec.mode) {
      case 'earliest':
        return ['--to-earliest'];
      case 'latest':
        return ['--to-latest'];
      case 'timestamp':
        // YYYY-MM-DDTHH:mm:SS.sss with a zone; without one the tool would read the machine's local time.
        return ['--to-datetime', new Date(spec.timestamp).toISOString()];
      case 'offset':
        return ['--to-offset', String(spec.offset)];
      case 'shift':
        return ['--shift-by', String(spec.by)];
      case 'copy':
      case 'offsets':
        return ['--from-file', `${group}-offsets.csv`];
    }
  })();
  const topics = scope.length === 0 ? ['--all-topics'] : scope.flatMap((s) => ['--topic', s.partitions ? `${s.topic}:${s.partitions.join(',')}` : s.topic]);
  const words = ['kafka-consumer-groups.sh', '--bootstrap-server', bootstrap, '--group', group, '--reset-offsets', ...how, ...topics, execute ? '--execute' : '--dry-run'];
  return words.map(shellWord).join(' ');
}
