/**
 * The lag engine: pure functions from polled offsets to lag, time lag, rates, ETA and status. No I/O and no clock:
 * time is always a parameter. Unknown values are null, never NaN or ±Infinity.
 * Where each piece comes from in the design (docs: /work/shared/research/anchors-lag.md):
 * - computePartitionLag, sumLag, maxLag .......... §8.2 lag in offsets (HWM, log start, LSO, data loss, no commit)
 * - appendHwmPoint, normalizeHwmSeries ........... §8.1.5 history and §2.2 KLE's table compression
 * - estimateLagSeconds ........................... §8.3.1 time lag by interpolation (caught up, lower bound, unknown)
 * - exactLagSeconds .............................. §8.3.3 exact time lag from the record at the committed offset
 * - ratePerSecond, rateSeries, sumRates .......... §6 throughput from offset deltas
 * - etaToCatchUpSeconds .......................... §8.3.5 time until caught up
 * - evaluatePartitionStatus ...................... §8.4 rules 0–5 and the "complete" window
 * - evaluateGroupStatus, statusLevel ............. §8.4 group status and complete; §8.5 levels
 * - DEFAULT_STATUS_THRESHOLDS, resolveThresholds . §8.4 thresholds, per cluster and per group
 */
export { computePartitionLag, maxLag, sumLag, type PartitionLag, type PartitionOffsets } from './offsets-lag';
export {
  appendHwmPoint,
  DEFAULT_HWM_HISTORY_LIMITS,
  normalizeHwmSeries,
  type HwmAppendOutcome,
  type HwmAppendResult,
  type HwmHistoryLimits,
  type HwmPoint,
} from './hwm-history';
export { estimateLagSeconds, exactLagSeconds, type EstimateMethod, type ExactLagSeconds, type LagSecondsEstimate } from './time-lag';
export { MAX_RATE_BUCKETS, ratePerSecond, rateSeries, sumRates, type OffsetSample, type RatePoint } from './rates';
export { etaToCatchUpSeconds, MAX_ETA_SECONDS } from './eta';
export {
  evaluatePartitionStatus,
  PARTITION_STATUSES,
  type PartitionMembership,
  type PartitionStatus,
  type PartitionStatusInput,
  type PartitionStatusResult,
} from './status';
export type { StatusSample } from './window';
export { evaluateGroupStatus, STATUS_SEVERITY, statusLevel, type GroupStatusResult, type StatusLevel } from './group-status';
export { DEFAULT_STATUS_THRESHOLDS, resolveThresholds, type StatusThresholdOverrides, type StatusThresholds } from './thresholds';
