import { PROVENANCE_HEADERS } from '../../lib/contract/replay';
import { parseSource, type OffsetMap } from '../../lib/replay/job-progress';
import type { KafkaMessagesClient, TopicLayout } from './messages-client';

/** Per source partition, the source offsets a replay job already has in the target. */
export type Replayed = Map<number, Set<number>>;

const PARTITION_BYTES = 4 * 1024 * 1024;
const LEADER_BYTES = 16 * 1024 * 1024;

/** The target could not be read to the end: the job must not resend anything (it could duplicate). */
export class RecoveryReadError extends Error {}

/**
 * After an unclean stop, what did the job write that its checkpoint does not count? Reads every target partition
 * from the job's mark (below it every record of the job is counted) to the current end, read_uncommitted (what the
 * most permissive consumer sees), and collects the source (partition, offset) of each record carrying this job's id.
 * Read-only: a crash here leaves the checkpoint as it was, so recovery simply runs again.
 */
export async function findReplayed(
  target: KafkaMessagesClient,
  layout: TopicLayout,
  marks: OffsetMap,
  job: { id: string; sourceCluster: string; sourceTopic: string },
): Promise<{ replayed: Replayed; read: number }> {
  const replayed: Replayed = new Map();
  const { marks: watermarks, errors } = await target.watermarks(layout, layout.partitions);
  if (errors.size > 0) {
    const [p, e] = [...errors.entries()][0]!;
    throw new RecoveryReadError(`Target partition ${p} could not be read (${e}).`);
  }
  // Per partition: next offset to read, and the end as of now. The runner waited the settle time first, so the dead
  // run's last writes are visible by then (see JobRunner settleUntil).
  const lanes = [...watermarks.values()]
    .map((w) => ({ partition: w.partition, next: Math.max(w.low, marks[String(w.partition)] ?? 0), end: w.high }))
    .filter((l) => l.next < l.end);
  let read = 0;
  let stalls = 0;
  while (lanes.some((l) => l.next < l.end)) {
    const open = lanes.filter((l) => l.next < l.end);
    const reads = await target.read(layout, open.map((l) => ({ partition: l.partition, fromOffset: l.next, maxBytes: PARTITION_BYTES })), LEADER_BYTES);
    let progressed = false;
    open.forEach((lane, i) => {
      const r = reads[i]!;
      if (r.error === 'OFFSET_OUT_OF_RANGE' && r.logStartOffset !== null && r.logStartOffset > lane.next) {
        // Retention removed the start: nothing of ours can be below the log start any more.
        lane.next = r.logStartOffset;
        progressed = true;
        return;
      }
      if (r.error) throw new RecoveryReadError(`Kafka answered ${r.error} for target partition ${lane.partition}.`);
      for (const rec of r.records) {
        if (rec.offset >= lane.end) break;
        read++;
        let mine = false;
        let source: string | null = null;
        for (const [k, v] of rec.headers) {
          if (k === PROVENANCE_HEADERS.job) mine = v !== null && v.toString('utf8') === job.id;
          else if (k === PROVENANCE_HEADERS.source) source = v === null ? null : v.toString('utf8');
        }
        if (!mine || source === null) continue;
        const s = parseSource(source);
        if (!s || s.cluster !== job.sourceCluster || s.topic !== job.sourceTopic) continue;
        let set = replayed.get(s.partition);
        if (!set) replayed.set(s.partition, (set = new Set()));
        set.add(s.offset);
      }
      if (r.nextOffset > lane.next) {
        lane.next = r.nextOffset;
        progressed = true;
      }
    });
    // A fetch that moves nowhere below the end several times running: the leader is gone or the log is damaged.
    stalls = progressed ? 0 : stalls + 1;
    if (stalls > 20) throw new RecoveryReadError('The target topic stopped answering with data before its end.');
  }
  return { replayed, read };
}
