import type { AlertStore } from './alert-store';
import type { EvidenceLog } from './evidence-log';
import type { StatusLog } from './status-log';
import type { ObservedSpans } from './observed-spans';
import type { AuditLog } from './audit-log';
import type { ReplayStore } from './replay-store';
/** What a series holds: a partition's high watermark (with the LSO), its log start offset, or a group's commit. */
export type SeriesKind = 'hwm' | 'log_start' | 'commit';

export interface PartitionOffsets {
  topic: string;
  partition: number;
  hwm: number;
  /** Last stable offset, for transactional topics; omit or null when not read. */
  lso?: number | null;
}

export interface CommittedOffset {
  group: string;
  topic: string;
  partition: number;
  committed: number;
}

export interface LogStartOffset {
  topic: string;
  partition: number;
  logStart: number;
}

/**
 * One poll's observations. A list that is present is the complete set for its kind at that instant: a series of
 * that kind missing from it is taken as no longer reported (its flat run ends at its previous observation).
 * A list that is absent was not polled, e.g. `logStarts` outside the slow loop.
 */
export interface CycleSamples {
  partitions?: readonly PartitionOffsets[];
  commits?: readonly CommittedOffset[];
  logStarts?: readonly LogStartOffset[];
}

export interface RecordResult {
  /** Sample rows inserted, closing rows of flat runs included. */
  rowsWritten: number;
  seriesCreated: number;
  /** Samples ignored because they were not newer than the series' previous observation. */
  samplesIgnored: number;
}

export interface OffsetPoint {
  t: number;
  offset: number;
}

export interface HwmPoint extends OffsetPoint {
  lso: number | null;
}

/**
 * Offsets of one group-partition as observed at `t`, held since the previous sample (step function). Field names
 * follow the status rules' StatusSample (lib/lag/window.ts) so a window converts without renaming.
 */
export interface WindowSample {
  t: number;
  committed: number;
  highWatermark: number | null;
  lastStableOffset: number | null;
  logStartOffset: number | null;
}

export interface PartitionWindow {
  topic: string;
  partition: number;
  /**
   * Oldest first: one at every change of the commit, HWM/LSO or log start, plus one every `gridMs` when asked for.
   * The first is at `fromMs` when the commit was already known then; the last at the newest observation.
   */
  samples: WindowSample[];
  /** Earliest time the commit series has data for (at most `fromMs`): how much of the window is covered. */
  coveredFromT: number;
}

export interface RecentHistory {
  /** Keyed `topic/partition`. */
  hwm: Map<string, HwmPoint[]>;
  /** Keyed `topic/partition`. */
  logStart: Map<string, OffsetPoint[]>;
  /** Keyed `group/topic/partition`; a group id may contain '/', so split from the right. */
  commits: Map<string, OffsetPoint[]>;
}

export interface GroupHistoryPoint {
  t: number;
  /** Sum over the group's partitions of max(0, hwm - max(committed, logStart)); null when nothing is known. */
  lag: number | null;
  /** Messages per second written to the group's partitions over the step ending at `t`. */
  produceRate: number | null;
  /** Messages per second committed by the group over the step ending at `t`. */
  consumeRate: number | null;
}

export interface TopicHistoryPoint {
  t: number;
  produceRate: number | null;
}

export interface CompactResult {
  rowsThinned: number;
  rowsExpired: number;
  seriesForgotten: number;
  /** False when the call stopped at its time budget with work left; call again later. */
  done: boolean;
}

export interface StoreStats {
  /** The database file plus its WAL and shared-memory files. */
  fileBytes: number;
  rows: number;
  series: number;
}

export interface HistoryStore {
  readonly path: string;
  /** The topology evidence log, in the same database. */
  readonly evidence: EvidenceLog;
  /** Alert rules made in the UI, alert instances and their notifications, in the same database. */
  readonly alerts: AlertStore;
  /** Group status changes, for the group page's status timeline. */
  readonly statusLog: StatusLog;
  /** When Topolog was polling each cluster, so charts leave outages blank. */
  readonly observed: ObservedSpans;
  /** Every write action, before it runs (issue 8). */
  readonly audit: AuditLog;
  /** Offset resets (for undo) and re-produce jobs (issue 8). */
  readonly replay: ReplayStore;
  recordCycle(cluster: string, observedAt: number, samples: CycleSamples): RecordResult;
  hwmHistory(cluster: string, topic: string, partition: number, fromMs: number, toMs?: number): HwmPoint[];
  commitHistory(cluster: string, group: string, topic: string, partition: number, fromMs: number): OffsetPoint[];
  logStartHistory(cluster: string, topic: string, partition: number, fromMs: number): OffsetPoint[];
  /**
   * The status window of every partition the group has committed on. Stored rows are changes only, so a flat
   * window is just its two ends; pass `gridMs` to get a sample every `gridMs` as well, as a poller would have
   * seen them (exact: a poll that stored nothing saw the previous value).
   */
  windowFor(cluster: string, group: string, fromMs: number, gridMs?: number, toMs?: number): PartitionWindow[];
  /**
   * Every series of a cluster since `sinceMs`, for the start-up load. `commitsSinceMs` (default `sinceMs`) lets the
   * commits start later: the status window needs 10 minutes of them where time lag needs an hour of HWMs.
   */
  loadRecent(cluster: string, sinceMs: number, options?: { commitsSinceMs?: number }): RecentHistory;
  /** Chart of a group: lag and rates every `stepMs`, computed from the stored hwm, commit and log start series. */
  groupHistory(cluster: string, group: string, fromMs: number, toMs: number, stepMs: number): GroupHistoryPoint[];
  /** Chart of a topic: its produce rate every `stepMs`. */
  topicHistory(cluster: string, topic: string, fromMs: number, toMs: number, stepMs: number): TopicHistoryPoint[];
  /**
   * Thins, expires and forgets for about `budgetMs` (default 50), then returns; call it after every cycle. It also
   * checkpoints the WAL every 30 s, so every sixth call or so takes longer than the budget.
   */
  compact(nowMs?: number, budgetMs?: number): CompactResult;
  /** Drops every series of a deleted topic (its partitions and the groups' commits on it), or of a deleted group. */
  forget(cluster: string, what: { topic: string } | { group: string }): number;
  stats(): StoreStats;
  close(): void;
}

export interface HistoryStoreOptions {
  dataDir: string;
  /** Rows older than this are deleted, except the newest one at or before the cutoff per series. */
  retentionMs?: number;
  /** Rows younger than this keep every change. */
  fullResolutionMs?: number;
  /** Older rows are thinned to about one per this bucket per series. */
  downsampleBucketMs?: number;
  /** Clock for `compact()` without an argument; injectable for tests and the benchmark. */
  now?: () => number;
}
