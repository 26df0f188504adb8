import { maxKnown, offsetOrNull, sumKnown } from './known';

/** What the poller knows about one (group, partition). Offsets are plain numbers; callers convert bigint. */
export interface PartitionOffsets {
  /** The group's committed offset; null (or Kafka's -1) when the group never committed this partition. */
  committed: number | null;
  /** High watermark (ListOffsets LATEST, read_uncommitted); null while the leader is unreachable. */
  highWatermark: number | null;
  /** Log start offset; null until the slow loop has fetched it. */
  logStartOffset: number | null;
  /** Last stable offset; only fetched for transactional topics, null otherwise. */
  lastStableOffset: number | null;
  /** The topic's cleanup.policy includes compact, so offsets overcount records. */
  compacted?: boolean;
}

export interface PartitionLag {
  /** max(0, H − max(C, S)): messages the group still has to read. Null without a commit or an HWM. */
  lag: number | null;
  /** max(0, LSO − max(C, S)): what a read_committed consumer can actually read. Null when the LSO is unknown. */
  lagCommitted: number | null;
  /** max(0, S − C): messages retention deleted before the group read them. Null when C or S is unknown. */
  messagesLost: number | null;
  dataLoss: boolean;
  noCommit: boolean;
  /** Compacted topics have gaps, so the lag counts offsets, not records: at most this many. */
  lagIsUpperBound: boolean;
}

/**
 * Lag in offsets for one (group, partition), per design §8.2. Lag is measured from the log start when retention
 * has overtaken the consumer (redpanda #30624: otherwise deleted messages show up as phantom lag), and clamped at 0
 * because the committed offset is fetched after the HWM and can pass it (KLE #138, braedon #21).
 */
export function computePartitionLag(offsets: PartitionOffsets): PartitionLag {
  const committed = offsetOrNull(offsets.committed);
  if (committed === null) {
    return { lag: null, lagCommitted: null, messagesLost: null, dataLoss: false, noCommit: true, lagIsUpperBound: false };
  }
  const highWatermark = offsetOrNull(offsets.highWatermark);
  const logStart = offsetOrNull(offsets.logStartOffset);
  const lastStable = offsetOrNull(offsets.lastStableOffset);
  const readFrom = logStart === null ? committed : Math.max(committed, logStart);
  const lag = highWatermark === null ? null : Math.max(0, highWatermark - readFrom);
  const messagesLost = logStart === null ? null : Math.max(0, logStart - committed);
  return {
    lag,
    lagCommitted: lastStable === null ? null : Math.max(0, lastStable - readFrom),
    messagesLost,
    dataLoss: messagesLost !== null && messagesLost > 0,
    noCommit: false,
    lagIsUpperBound: offsets.compacted === true && lag !== null && lag > 0,
  };
}

/** Group or group-topic total: partitions without a known lag (no commit, no HWM) are left out, not counted as 0. */
export function sumLag(lags: Iterable<number | null | undefined>): number | null {
  return sumKnown(lags);
}

/** Worst partition lag (offsets or seconds), ignoring unknowns; null when nothing is known. */
export function maxLag(lags: Iterable<number | null | undefined>): number | null {
  return maxKnown(lags);
}
