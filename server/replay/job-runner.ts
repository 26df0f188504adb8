import { PROVENANCE_HEADERS, type ReplayRequest, type SourceRange } from '../../lib/contract/replay';
import { advanceMarks, formatSource, positionsAfterBatches, rangesDone, type OffsetMap } from '../../lib/replay/job-progress';
import { batchSizeFor, RateMeter, TokenBucket } from '../../lib/replay/rate-limiter';
import type { ClusterConfig } from '../config/schema';
import type { KafkaMessagesClient, TopicLayout } from '../kafka/messages-client';
import type { TopicRecord } from '../kafka/record-reader';
import { findReplayed, type Replayed } from '../kafka/replay-recovery';
import { partitionForKey, ReplayBatchWriter, type ReplayRecord } from '../kafka/replay-batch-writer';
import { applyFilter, type RecordFilter } from '../messages/scan';
import { JobError, type JobProgress } from './job-types';

const FETCH_PARTITION_BYTES = 4 * 1024 * 1024;
const FETCH_LEADER_BYTES = 16 * 1024 * 1024;
/**
 * Record bytes per target partition in one send: the whole send for a partition becomes ONE record batch, and the
 * broker refuses batches above message.max.bytes (1 MiB by default).
 */
const PARTITION_SEND_BYTES = 900 * 1024;
const SEND_BYTES = 8 * 1024 * 1024;
/** Sends awaiting their acknowledgement: the writer encodes the next while earlier answers travel back (Kafka allows 5 per connection for an idempotent producer). */
const SEND_WINDOW = 4;
/** Reads that move nothing, in a row, before the run gives up (about 30 s with the growing pause in between). */
const MAX_STALLS = 40;

export interface RunnerOptions {
  jobId: string;
  request: ReplayRequest;
  ranges: readonly SourceRange[];
  source: KafkaMessagesClient;
  target: KafkaMessagesClient;
  targetCluster: ClusterConfig;
  filter: RecordFilter | null;
  /** The checkpoint so far; the runner mutates a copy and hands each new one to `checkpoint`. */
  progress: JobProgress;
  /** Persists a checkpoint (synchronously: it is on disk when this returns). */
  checkpoint: (progress: JobProgress) => void;
  /**
   * After an unclean stop, the recovery scan waits until this time (epoch ms). A produce request the dead run sent
   * can still become visible after it failed: with acks=all the leader keeps the records while followers catch up
   * (up to the request timeout, then replica.lag.time.max.ms). Scanning before that would miss them and send them
   * again. Null or absent: scan at once.
   */
  settleUntil?: number | null;
  log?: (line: string) => void;
}

export type StopReason = 'pause' | 'cancel' | 'shutdown';

/** How a run ended without an error: everything done (or maxRecords reached), or stopped on request. */
export type RunOutcome = { kind: 'completed' } | { kind: 'stopped'; reason: StopReason };

interface Item {
  record: TopicRecord;
  /** Already in the target (found by recovery): counted, not sent again. */
  skip: boolean;
  out: ReplayRecord | null;
  bytes: number;
}

interface Batch {
  items: Item[];
  /** Checkpoint positions once this batch and every one before it are acknowledged. */
  after: OffsetMap;
  /** Source records read that this batch's positions pass (matched or not). */
  scanned: number;
}

interface Chunk {
  batches: Batch[];
}

/**
 * Runs one replay job until it is done, stopped or fails. Exactly-once as any consumer of the target sees it:
 * - the checkpoint (source positions, counters, target marks) is saved only after Kafka acknowledged every record
 *   it counts, in sending order, so it is always a contiguous acknowledged prefix;
 * - every record carries the job id and its source coordinates, so after an unclean stop the records the dead run
 *   wrote past the checkpoint are found in the target (from the marks on) and skipped instead of sent again.
 * Reading the next chunk (and filtering it) overlaps sending the current one.
 */
export class JobRunner {
  readonly #o: RunnerOptions;
  readonly #progress: JobProgress;
  readonly #stop = new AbortController();
  #stopReason: StopReason | null = null;
  readonly #meter = new RateMeter();
  #roundRobin = 0;
  /** Whether this run has handed any record to the writer (after that, a failure leaves an unknown outcome). */
  #sentAny = false;
  /** Reads in a row that did not move any partition. */
  #stalls = 0;
  readonly #jobIdBytes: Buffer;

  constructor(options: RunnerOptions) {
    this.#o = options;
    this.#progress = structuredClone(options.progress);
    this.#jobIdBytes = Buffer.from(options.jobId);
  }

  get progress(): JobProgress {
    return this.#progress;
  }

  /** Records per second over the last seconds; null when not measured yet. */
  get rate(): number | null {
    return this.#meter.rate();
  }

  /** Stop after the sends in flight are acknowledged; the checkpoint then covers them. */
  stop(reason: StopReason): void {
    this.#stopReason ??= reason;
    this.#stop.abort();
  }

  async run(): Promise<RunOutcome> {
    const { request, source, target } = this.#o;
    const progress = this.#progress;
    const srcLayout = await source.layout(request.source.topic);
    const tgtLayout = await target.layout(request.target.topic);
    const targetPartitions = tgtLayout.partitions.length;
    if (request.partitioning === 'same') {
      const missing = this.#o.ranges.filter((r) => r.partition >= targetPartitions);
      if (missing.length > 0) {
        throw new JobError(`Target "${request.target.topic}" has ${targetPartitions} partitions; source partition ${missing[0]!.partition} has no counterpart.`, 'Add partitions to the target, or replay with partitioning "key".');
      }
    }
    if (progress.marks === null) {
      // Before anything is sent: the target's ends. Everything of this job will land at or past them.
      const { marks, errors } = await target.watermarks(tgtLayout, tgtLayout.partitions);
      if (errors.size > 0) throw new JobError(`The target's partitions could not be read (${[...errors.values()][0]}).`, 'Check the target cluster is up, then resume the job.', true);
      progress.marks = Object.fromEntries([...marks.values()].map((w) => [String(w.partition), w.high]));
      this.#o.checkpoint(progress);
    }
    let skip: Replayed = new Map();
    if (!progress.clean) {
      const wait = (this.#o.settleUntil ?? 0) - Date.now();
      if (wait > 0) {
        this.#o.log?.(`replay job ${this.#o.jobId}: waiting ${Math.ceil(wait / 1000)} s for the previous run's last writes to settle before checking the target`);
        await sleep(wait, this.#stop.signal);
        if (this.#stop.signal.aborted) return { kind: 'stopped', reason: this.#stopReason ?? 'shutdown' };
      }
      // The last run stopped without saying what it had sent: find it in the target before sending anything.
      const found = await findReplayed(target, tgtLayout, progress.marks, { id: this.#o.jobId, sourceCluster: request.source.cluster, sourceTopic: request.source.topic });
      skip = found.replayed;
      progress.recoveries++;
      const n = [...skip.values()].reduce((a, s) => a + s.size, 0);
      this.#o.log?.(`replay job ${this.#o.jobId}: recovery read ${found.read} target records from the marks, ${n} already written by the previous run`);
    }
    const wasClean = progress.clean;
    progress.clean = false;
    progress.error = null;
    this.#o.checkpoint(progress);
    try {
      return await this.#copy(srcLayout, targetPartitions, skip);
    } catch (err) {
      // Failed before sending anything (e.g. no producer id yet): the target holds nothing new to look for.
      if (!this.#sentAny) progress.clean = wasClean;
      throw err;
    }
  }

  async #copy(srcLayout: TopicLayout, targetPartitions: number, skip: Replayed): Promise<RunOutcome> {
    const { request } = this.#o;
    const progress = this.#progress;
    const bucket = request.rateLimit === null ? null : new TokenBucket(request.rateLimit, Date.now());
    const batchSize = batchSizeFor(request.rateLimit);
    // Marks wait while recovered records sit ahead of the checkpoint: moving them past those records would hide
    // them from the next recovery.
    let liveMarks: OffsetMap = { ...progress.marks };
    const readPos = new Map(this.#o.ranges.map((r) => [r.partition, progress.positions[String(r.partition)] ?? r.from]));
    // Fresh leaders for the writer: the layout read at the start may predate a long recovery scan.
    const producer = await ReplayBatchWriter.open(this.#o.targetCluster, await this.#o.target.layout(request.target.topic));
    const inflight: { batch: Batch; acks: Promise<Awaited<ReturnType<ReplayBatchWriter['send']>>> | null }[] = [];
    this.#meter.add(Date.now(), progress.written);

    // Set when a send's acknowledgement failed: later batches must not be counted, or the checkpoint would pass
    // the failed batch's records (a gap).
    let ackFailed = false;
    const complete = async (): Promise<void> => {
      const { batch, acks } = inflight.shift()!;
      let acked: Awaited<NonNullable<typeof acks>> = [];
      try {
        acked = acks ? await acks : [];
      } catch (err) {
        ackFailed = true;
        throw err;
      }
      // Recovered records count as written: the dead run wrote them, the checkpoint had not counted them yet.
      for (const it of batch.items) {
        progress.written++;
        progress.bytes += it.bytes;
      }
      progress.scanned += batch.scanned;
      Object.assign(progress.positions, batch.after);
      liveMarks = advanceMarks(liveMarks, acked);
      for (const [p, set] of skip) {
        const pos = progress.positions[String(p)] ?? 0;
        for (const o of set) if (o < pos) set.delete(o);
        if (set.size === 0) skip.delete(p);
      }
      if (skip.size === 0) progress.marks = liveMarks;
      this.#o.checkpoint(progress);
      this.#meter.add(Date.now(), progress.written);
    };

    const inFlightRecords = () => inflight.reduce((a, f) => a + f.batch.items.length, 0);
    const capReached = () => request.maxRecords !== null && progress.written + inFlightRecords() >= request.maxRecords;
    let prefetch: Promise<Chunk | null> | null = null;
    try {
      prefetch = this.#readChunk(srcLayout, readPos, targetPartitions, skip, batchSize);
      prefetch.catch(() => undefined);
      while (!this.#stop.signal.aborted) {
        const chunk = await prefetch;
        prefetch = null;
        if (chunk === null) break;
        if (!capReached()) {
          prefetch = this.#readChunk(srcLayout, readPos, targetPartitions, skip, batchSize);
          // Read errors surface when awaited; until then they must not count as unhandled.
          prefetch.catch(() => undefined);
        }
        for (let b = 0; b < chunk.batches.length && !this.#stop.signal.aborted; b++) {
          let batch = chunk.batches[b]!;
          if (request.maxRecords !== null) {
            const room = request.maxRecords - progress.written - inFlightRecords();
            if (room <= 0) break;
            if (batch.items.length > room) batch = truncate(batch, room);
          }
          const toSend = batch.items.filter((it) => !it.skip).map((it) => it.out!);
          if (bucket && toSend.length > 0) {
            const wait = bucket.take(toSend.length, Date.now());
            if (wait > 0) await sleep(wait, this.#stop.signal);
            if (this.#stop.signal.aborted) break;
          }
          const acks = toSend.length > 0 ? producer.send(request.target.topic, toSend) : null;
          if (acks) {
            this.#sentAny = true;
            progress.lastSendAt = Date.now();
          }
          acks?.catch(() => undefined);
          inflight.push({ batch, acks });
          while (inflight.length >= SEND_WINDOW) await complete();
        }
        if (capReached()) break;
      }
      while (inflight.length > 0) await complete();
    } catch (err) {
      // Count what was acknowledged before the failure, in order; the rest is for the next run's recovery.
      prefetch?.catch(() => undefined);
      try {
        while (inflight.length > 0 && !ackFailed) await complete();
      } catch {
        /* the first failure is the one reported */
      }
      // Every send acknowledged (the failure was a read, the filter, a stall): nothing of unknown outcome is left.
      if (!ackFailed && inflight.length === 0) progress.clean = skip.size === 0;
      throw err;
    } finally {
      await producer.close();
    }
    const done = rangesDone(this.#o.ranges, progress.positions) || (request.maxRecords !== null && progress.written >= request.maxRecords);
    // Clean only when no record found by recovery is still ahead of the checkpoint: the skip set lives in memory,
    // so a later run must scan again to find those records.
    progress.clean = skip.size === 0;
    if (done) return { kind: 'completed' };
    return { kind: 'stopped', reason: this.#stopReason ?? 'shutdown' };
  }

  /**
   * Reads the next records of every unfinished partition (as a read_committed consumer: aborted transactions are
   * left out), filters them and cuts them into send batches; null when done.
   */
  async #readChunk(layout: TopicLayout, readPos: Map<number, number>, targetPartitions: number, skip: Replayed, batchSize: number): Promise<Chunk | null> {
    const open = this.#o.ranges.filter((r) => (readPos.get(r.partition) ?? r.from) < r.to);
    if (open.length === 0) return null;
    const reads = await this.#o.source.read(layout, open.map((r) => ({ partition: r.partition, fromOffset: readPos.get(r.partition)!, maxBytes: FETCH_PARTITION_BYTES })), FETCH_LEADER_BYTES, 0, { isolation: 'committed' });
    const chunkStart = new Map<number, number>();
    const chunkEnd = new Map<number, number>();
    const inRange: TopicRecord[] = [];
    open.forEach((range, i) => {
      const read = reads[i]!;
      const from = readPos.get(range.partition)!;
      chunkStart.set(range.partition, from);
      if (read.error === 'OFFSET_OUT_OF_RANGE' && read.logStartOffset !== null && read.logStartOffset > from) {
        // Retention deleted records of the range before the job got to them: they are gone; go on from the log start.
        this.#o.log?.(`replay job ${this.#o.jobId}: partition ${range.partition} offsets ${from}–${read.logStartOffset - 1} were deleted by retention before they were copied`);
        chunkEnd.set(range.partition, Math.min(range.to, read.logStartOffset));
        return;
      }
      if (read.error) throw new JobError(`Kafka answered ${read.error} reading source partition ${range.partition}.`, 'A leader may be moving or the broker is down; the job retries by itself.', true);
      // Skipping a batch Topolog cannot decode (a codec it lacks, a pre-0.11 message set) would leave a silent gap.
      if (read.undecoded) throw new JobError(`Source partition ${range.partition}: ${read.undecoded}; the job cannot copy it.`, 'Replay around it (a range by offsets that leaves the batch out), or copy that part with another tool.');
      for (const r of read.records) if (r.offset >= from && r.offset < range.to) inRange.push(r);
      let end = Math.min(range.to, Math.max(from, read.nextOffset));
      // Nothing more stored below the range end: done only when retention removed it. A high watermark at or below
      // `from` otherwise means a new leader still catching up (ranges end at or below the LSO): a stall, not the end.
      if (end === from && read.records.length === 0 && read.logStartOffset !== null && read.logStartOffset >= range.to) end = range.to;
      chunkEnd.set(range.partition, end);
    });
    for (const [p, end] of chunkEnd) readPos.set(p, end);
    // A source that answers without moving (no records, same offset, range not done) must not spin the event loop.
    if (open.every((r) => chunkEnd.get(r.partition) === chunkStart.get(r.partition))) {
      if (++this.#stalls > MAX_STALLS) throw new JobError(`The source stopped advancing before the end of the range (partition ${open[0]!.partition} at offset ${chunkStart.get(open[0]!.partition)}).`, 'The job retries by itself; if it keeps stopping here, check the source partition (GET …/messages at that offset).', true);
      await sleep(Math.min(1_000, 50 * this.#stalls), this.#stop.signal);
    } else {
      this.#stalls = 0;
    }
    const keep = await applyFilter(this.#o.filter, inRange);
    const items: Item[] = [];
    // One replay time per chunk: the header says when the job copied it, to the millisecond that matters.
    const now = Date.now();
    const at = Buffer.from(String(now));
    inRange.forEach((record, i) => {
      if (keep && !keep.matches[i]) return;
      const bytes = (record.key?.length ?? 0) + (record.value?.length ?? 0);
      if (skip.get(record.partition)?.has(record.offset)) items.push({ record, skip: true, out: null, bytes });
      else items.push({ record, skip: false, out: this.#toTarget(record, targetPartitions, now, at), bytes });
    });
    return { batches: this.#cut(items, inRange, chunkStart, chunkEnd, batchSize) };
  }

  /** Cuts matched records into sends (count, bytes per target partition, bytes in all) and works out each one's checkpoint. */
  #cut(items: Item[], read: TopicRecord[], chunkStart: Map<number, number>, chunkEnd: Map<number, number>, batchSize: number): Batch[] {
    const groups: Item[][] = [];
    let current: Item[] = [];
    let total = 0;
    let perPartition = new Map<number, number>();
    for (const it of items) {
      const size = it.out ? it.bytes + it.out.headers.reduce((a, [k, v]) => a + k.length + (v?.length ?? 0), 0) + 32 : 0;
      const p = it.out?.partition ?? -1;
      const full = current.length >= batchSize || total + size > SEND_BYTES || (perPartition.get(p) ?? 0) + size > PARTITION_SEND_BYTES;
      if (full && current.length > 0) {
        groups.push(current);
        current = [];
        total = 0;
        perPartition = new Map();
      }
      current.push(it);
      total += size;
      perPartition.set(p, (perPartition.get(p) ?? 0) + size);
    }
    if (current.length > 0 || groups.length === 0) groups.push(current);
    const after = positionsAfterBatches(groups.map((g) => g.map((it) => it.record)), chunkEnd);
    // Records read (matched or not) whose offsets each batch's positions pass.
    const scanned = groups.map(() => 0);
    const byPartition = new Map<number, number[]>();
    for (const r of read) {
      let list = byPartition.get(r.partition);
      if (!list) byPartition.set(r.partition, (list = []));
      list.push(r.offset);
    }
    for (const [p, offsets] of byPartition) {
      let i = 0;
      let prev = chunkStart.get(p) ?? 0;
      for (let b = 0; b < groups.length; b++) {
        const to = after[b]![String(p)] ?? prev;
        while (i < offsets.length && offsets[i]! < to) {
          scanned[b]!++;
          i++;
        }
        prev = to;
      }
    }
    return groups.map((g, b) => ({ items: g, after: after[b]!, scanned: scanned[b]! }));
  }

  /** The record as written to the target: provenance headers, and the source's key, headers and time as asked. */
  #toTarget(record: TopicRecord, targetPartitions: number, now: number, at: Buffer): ReplayRecord {
    const { request } = this.#o;
    const headers: [string, Buffer | null][] = [];
    if (request.keep.headers) {
      // The source's own provenance (a replay of a replay) is replaced, never doubled.
      for (const [k, v] of record.headers) if (!k.startsWith('topolog-replay-')) headers.push([k, v]);
    }
    headers.push(
      [PROVENANCE_HEADERS.job, this.#jobIdBytes],
      [PROVENANCE_HEADERS.source, Buffer.from(formatSource(request.source.cluster, request.source.topic, record.partition, record.offset))],
      [PROVENANCE_HEADERS.sourceTimestamp, Buffer.from(String(record.timestamp))],
      [PROVENANCE_HEADERS.at, at],
    );
    const key = request.keep.key ? record.key : null;
    const partition = request.partitioning === 'same' ? record.partition : partitionForKey(key, targetPartitions, this.#roundRobin++);
    return { partition, key, value: record.value, headers, timestamp: request.keep.timestamp ? record.timestamp : now };
  }
}

function truncate(batch: Batch, room: number): Batch {
  const items = batch.items.slice(0, room);
  // The first record left out is where this partition's checkpoint stops.
  const after = { ...batch.after };
  for (const it of batch.items.slice(room)) {
    const key = String(it.record.partition);
    after[key] = Math.min(after[key] ?? it.record.offset, it.record.offset);
  }
  return { items, after, scanned: batch.scanned };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
