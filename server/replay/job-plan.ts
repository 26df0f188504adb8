import type { ReplayRequest, SampleRecord, SourceRange } from '../../lib/contract/replay';
import { estimateMatches, remaining } from '../../lib/replay/job-progress';
import { estimatedSeconds } from '../../lib/replay/rate-limiter';
import { UnknownTopicError, type KafkaMessagesClient, type TopicLayout } from '../kafka/messages-client';
import type { TopicRecord } from '../kafka/record-reader';
import { MessagesError } from '../messages/errors';
import type { MessagesService } from '../messages/messages-service';
import { applyFilter, type RecordFilter } from '../messages/scan';

/** The dry run reads at most this much of the range; past it, the count is an estimate from the part read. */
export const PLAN_SCAN_BUDGET = { records: 200_000, ms: 5_000, bytes: 256 * 1024 * 1024 };
const SAMPLE_SIZE = 5;
const SAMPLE_CHARS = 2_000;

export interface PlanDeps {
  messages: MessagesService;
  /** cleanup.policy of a topic, fresh from the cluster; null when it cannot be read. */
  compacted: (cluster: string, topic: string) => Promise<boolean | null>;
}

/** What the dry run found; the route adds planId, planHash, expiresAt, blocked and confirmName. */
export interface ReplayDryRun {
  request: ReplayRequest;
  ranges: SourceRange[];
  inRange: number;
  scanned: number;
  matched: number;
  complete: boolean;
  estimate: number;
  bytes: number;
  sample: SampleRecord[];
  estimatedSeconds: number | null;
  warnings: string[];
}

const refuse = (code: string, message: string, hint: string) => new MessagesError(400, code, message, hint);

/**
 * The guard rails a replay request must pass before anything is read (same topic, internal topics, bad filter).
 * Throws a MessagesError that says what to change.
 */
export function checkRequest(request: ReplayRequest, messages: MessagesService): RecordFilter | null {
  const { source, target } = request;
  if (source.cluster === target.cluster && source.topic === target.topic && !request.allowSameTopic) {
    throw refuse('same_topic', `Source and target are both "${source.topic}": the copies would be appended to the topic being replayed.`, 'Pick another target topic, or set allowSameTopic if replaying a topic into itself is what you want (the range end is fixed, so it does not loop for ever).');
  }
  for (const [what, topic] of [['source', source.topic], ['target', target.topic]] as const) {
    if (topic.startsWith('__')) throw refuse('internal_topic', `The ${what} "${topic}" is an internal topic (its name starts with "__").`, 'Kafka and its frameworks own internal topics; replay ordinary topics only.');
  }
  return messages.filter(request.filter);
}

/** The dry run: resolves the ranges, checks the target, counts and samples what would be written. Writes nothing. */
export async function planReplay(request: ReplayRequest, deps: PlanDeps): Promise<ReplayDryRun> {
  const filter = checkRequest(request, deps.messages);
  const source = deps.messages.client(request.source.cluster);
  const target = deps.messages.client(request.target.cluster);
  const srcLayout = await layoutOf(source, request.source.topic, 'source');
  const tgtLayout = await layoutOf(target, request.target.topic, 'target');
  const warnings: string[] = [];

  const known = new Set(srcLayout.partitions.map((p) => p.partition));
  const wanted = request.source.partitions ?? [...known];
  const unknown = wanted.filter((p) => !known.has(p));
  if (unknown.length > 0) throw refuse('unknown_partition', `Topic "${request.source.topic}" has no partition ${unknown[0]}.`, `Its partitions are 0 to ${known.size - 1}; null selects them all.`);
  if (request.partitioning === 'same') {
    const missing = wanted.filter((p) => p >= tgtLayout.partitions.length);
    if (missing.length > 0) {
      throw refuse('target_partitions', `Target "${request.target.topic}" has ${tgtLayout.partitions.length} partitions; source partition ${missing[0]} has no counterpart there.`, 'Partition by key instead, replay fewer partitions, or add partitions to the target.');
    }
  }
  const compacted = await deps.compacted(request.target.cluster, request.target.topic);
  if (compacted === true && !request.allowCompactedTarget) {
    throw refuse('compacted_target', `Target "${request.target.topic}" is compacted: replayed records replace the latest value of their keys.`, 'Set allowCompactedTarget if overwriting those keys is intended.');
  }
  if (compacted === true) warnings.push(`Target "${request.target.topic}" is compacted: the replayed records become the latest value of their keys.`);
  if (compacted === null) warnings.push(`The cleanup policy of "${request.target.topic}" could not be read; check it is not compacted.`);

  const ranges = await resolveRanges(request, source, srcLayout, wanted.sort((a, b) => a - b), warnings);
  const inRange = remaining(ranges, {});
  const scan = await dryRun(source, srcLayout, ranges, filter);
  if (scan.aborted > 0) {
    warnings.push(`${scan.complete ? '' : 'At least '}${scan.aborted.toLocaleString('en')} records of aborted transactions in the range are left out, as a read_committed consumer skips them.`);
  }
  const estimate = estimateMatches(scan.matched, scan.scanned, inRange, scan.complete);
  const bytes = scan.complete || scan.matched === 0 ? scan.bytes : Math.round((scan.bytes / scan.matched) * estimate);
  if (!scan.complete) warnings.push(`The preview read ${scan.scanned.toLocaleString('en')} of ${inRange.toLocaleString('en')} offsets; the count is an estimate from them.`);
  const toWrite = request.maxRecords === null ? estimate : Math.min(estimate, request.maxRecords);
  if (request.maxRecords !== null && estimate > request.maxRecords) warnings.push(`maxRecords stops the job after ${request.maxRecords.toLocaleString('en')} of about ${estimate.toLocaleString('en')} matching records.`);
  if (request.source.cluster !== request.target.cluster) warnings.push(`Records go from cluster "${request.source.cluster}" to cluster "${request.target.cluster}".`);
  if (request.partitioning === 'key' && !request.keep.key) warnings.push('Keys are dropped, so partitioning by key spreads records round-robin.');
  if (request.allowSameTopic && request.source.topic === request.target.topic && request.source.cluster === request.target.cluster) {
    warnings.push('The target is the source: copies are appended after the range, which is fixed now, so they are not replayed again.');
  }
  return {
    request,
    ranges,
    inRange,
    scanned: scan.scanned,
    matched: scan.matched,
    complete: scan.complete,
    estimate,
    bytes,
    sample: scan.sample,
    estimatedSeconds: estimatedSeconds(toWrite, request.rateLimit),
    warnings,
  };
}

async function layoutOf(client: KafkaMessagesClient, topic: string, what: 'source' | 'target'): Promise<TopicLayout> {
  try {
    return await client.layout(topic);
  } catch (err) {
    if (err instanceof UnknownTopicError) {
      throw new MessagesError(404, 'unknown_topic', `The ${what} topic "${topic}" does not exist.`, what === 'target' ? 'Create the target topic first (Topolog does not create topics), or pick an existing one.' : 'Topic names are case-sensitive; GET /api/clusters/:cluster/topics lists them.');
    }
    throw err;
  }
}

/**
 * Per partition [from, to): offsets as asked or times turned into offsets, clamped to the log (and said so). A
 * replay copies what a read_committed consumer of the source sees, so the log end is the last stable offset: the
 * records of a transaction still open are not decided yet (they may be aborted) and stay out of the range.
 */
async function resolveRanges(request: ReplayRequest, client: KafkaMessagesClient, layout: TopicLayout, partitions: number[], warnings: string[]): Promise<SourceRange[]> {
  const leaders = layout.partitions.filter((p) => partitions.includes(p.partition));
  const { marks, errors } = await client.watermarks(layout, leaders, { stable: true });
  if (errors.size > 0) {
    const [p, e] = [...errors.entries()][0]!;
    throw new MessagesError(503, 'kafka_read_failed', `Partition ${p} of "${layout.topic}" did not answer (${e}).`, 'A leader may be moving; preview again in a few seconds.');
  }
  const range = request.source.range;
  let fromTime: Map<number, number | null> | null = null;
  let toTime: Map<number, number | null> | null = null;
  if (range.by === 'time') {
    if (range.from !== null && range.to !== null && range.to < range.from) throw refuse('bad_range', 'The range ends before it starts.', 'Swap the times.');
    if (range.from !== null) fromTime = await client.offsetsAt(layout, leaders, range.from);
    if (range.to !== null) toTime = await client.offsetsAt(layout, leaders, range.to);
  }
  const clamped: string[] = [];
  let heldBack = 0;
  const held: number[] = [];
  const ranges = partitions.map((partition): SourceRange => {
    const { low, high, stable = high } = marks.get(partition)!;
    let from: number;
    let to: number;
    if (range.by === 'offsets') {
      const askedFrom = range.from?.[String(partition)];
      const askedTo = range.to?.[String(partition)];
      from = askedFrom ?? low;
      to = askedTo ?? high;
      if (from < low || from > high || to > high) clamped.push(`partition ${partition}`);
    } else {
      // No offset at or after the time: that end is the log end.
      from = fromTime ? (fromTime.get(partition) ?? high) : low;
      to = toTime ? (toTime.get(partition) ?? high) : high;
    }
    from = Math.min(Math.max(from, low), high);
    to = Math.min(Math.max(to, from), high);
    // An open transaction holds the end back: nothing at or past the last stable offset is decided yet.
    if (to > stable) {
      heldBack += to - Math.max(from, stable);
      held.push(partition);
      from = Math.min(from, stable);
      to = stable;
    }
    return { partition, from, to };
  });
  if (clamped.length > 0) warnings.push(`Offsets outside the log were clamped to it (${clamped.slice(0, 5).join(', ')}${clamped.length > 5 ? ', …' : ''}).`);
  if (heldBack > 0) {
    warnings.push(
      `${heldBack.toLocaleString('en')} offsets of open transactions at the end are not included (partition${held.length > 1 ? 's' : ''} ${held.slice(0, 5).join(', ')}${held.length > 5 ? ', …' : ''}): a read_committed consumer cannot see them until their transactions commit or abort. Preview again later to include them.`,
    );
  }
  if (ranges.every((r) => r.to <= r.from)) warnings.push('The range holds no records: the job would write nothing.');
  return ranges;
}

/** Reads the ranges forward with the filter, within PLAN_SCAN_BUDGET, read_committed (as the job copies them). */
async function dryRun(client: KafkaMessagesClient, layout: TopicLayout, ranges: SourceRange[], filter: RecordFilter | null) {
  const started = Date.now();
  const pos = new Map(ranges.map((r) => [r.partition, r.from]));
  const sample: SampleRecord[] = [];
  let scanned = 0;
  let matched = 0;
  let bytes = 0;
  let readBytes = 0;
  let stalls = 0;
  let aborted = 0;
  const open = () => ranges.filter((r) => pos.get(r.partition)! < r.to);
  while (open().length > 0) {
    if (scanned >= PLAN_SCAN_BUDGET.records || readBytes >= PLAN_SCAN_BUDGET.bytes || Date.now() - started >= PLAN_SCAN_BUDGET.ms) break;
    const lanes = open();
    const reads = await client.read(layout, lanes.map((r) => ({ partition: r.partition, fromOffset: pos.get(r.partition)!, maxBytes: 1024 * 1024 })), 8 * 1024 * 1024, 0, { isolation: 'committed' });
    const records: TopicRecord[] = [];
    let moved = false;
    lanes.forEach((r, i) => {
      const read = reads[i]!;
      const from = pos.get(r.partition)!;
      if (read.error === 'OFFSET_OUT_OF_RANGE' && read.logStartOffset !== null && read.logStartOffset > from) {
        pos.set(r.partition, Math.min(r.to, read.logStartOffset));
        moved = true;
        return;
      }
      if (read.error) throw new MessagesError(503, 'kafka_read_failed', `Kafka answered ${read.error} for partition ${r.partition}.`, 'A leader may be moving; preview again in a few seconds.');
      readBytes += read.bytesRead;
      for (const rec of read.records) if (rec.offset >= from && rec.offset < r.to) records.push(rec);
      for (const offset of read.abortedOffsets ?? []) if (offset >= from && offset < r.to) aborted++;
      let next = Math.min(r.to, Math.max(from, read.nextOffset));
      if (next === from && read.records.length === 0 && read.highWatermark !== null && read.highWatermark <= from) next = r.to;
      if (next > from) moved = true;
      pos.set(r.partition, next);
    });
    stalls = moved ? 0 : stalls + 1;
    if (stalls > 20) throw new MessagesError(503, 'kafka_read_failed', 'The source stopped answering with data before the end of the range.', 'Preview again in a few seconds.');
    scanned += records.length;
    const keep = await applyFilter(filter, records);
    records.forEach((rec, i) => {
      if (keep && !keep.matches[i]) return;
      matched++;
      bytes += (rec.key?.length ?? 0) + (rec.value?.length ?? 0);
      if (sample.length < SAMPLE_SIZE) sample.push(toSample(rec));
    });
  }
  return { scanned, matched, bytes, sample, aborted, complete: open().length === 0 };
}

function toSample(r: TopicRecord): SampleRecord {
  return {
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: preview(r.key),
    value: preview(r.value),
    headers: r.headers.slice(0, 50).map(([key, value]) => ({ key, value: preview(value) })),
  };
}

/** Text preview of a payload: UTF-8 cut to SAMPLE_CHARS, or "<N bytes binary>" when it is not text. */
function preview(bytes: Buffer | null): string | null {
  if (bytes === null) return null;
  const head = bytes.subarray(0, SAMPLE_CHARS * 4);
  const text = head.toString('utf8');
  // Replacement characters or control bytes: not text a person can read.
  // (A cut may split the last character: the final few are not judged then.)
  const judged = head.length < bytes.length ? text.slice(0, -4) : text;
  if (/\uFFFD|[\u0000-\u0008\u000E-\u001F]/.test(judged)) return `<${bytes.length} bytes binary>`;
  return text.length > SAMPLE_CHARS || head.length < bytes.length ? `${text.slice(0, SAMPLE_CHARS)}…` : text;
}
