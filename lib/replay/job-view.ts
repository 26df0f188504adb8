import type { ReplayJob, ReplayJobAction, ReplayJobState } from '../contract';

/**
 * How a replay job looks to a person (pure): how far it is, which buttons it offers, its tone. The job page and
 * the jobs list read the same rules. (The runner's checkpoint arithmetic is job-progress.ts.)
 */

/** States that will not change on their own. */
export const FINISHED_STATES: readonly ReplayJobState[] = ['completed', 'cancelled'];
export const isFinished = (state: ReplayJobState) => FINISHED_STATES.includes(state);

/**
 * Share of the source range covered, 0..1: offsets below each partition's position are done (written or filtered
 * out), so this moves even when a filter drops most records. null when the range is empty or unknown.
 */
export function jobProgress(job: Pick<ReplayJob, 'ranges' | 'positions' | 'state'>): number | null {
  if (job.state === 'completed') return 1;
  let total = 0;
  let done = 0;
  for (const r of job.ranges) {
    const size = Math.max(0, r.to - r.from);
    total += size;
    const pos = job.positions[String(r.partition)];
    done += pos === undefined ? 0 : Math.min(size, Math.max(0, pos - r.from));
  }
  return total > 0 ? done / total : null;
}

/** The buttons a job offers in each state; pausing/cancelling are on their way and take nothing new. */
export function allowedActions(state: ReplayJobState): ReplayJobAction[] {
  switch (state) {
    case 'running':
      return ['pause', 'cancel'];
    case 'paused':
    case 'failed':
      return ['resume', 'cancel'];
    default:
      return [];
  }
}

/** A tone for the state badge: green done, amber stopped on purpose or on the way to stop, red failed. */
export function jobStateTone(state: ReplayJobState): 'ok' | 'warn' | 'danger' | 'muted' | 'accent' {
  switch (state) {
    case 'completed':
      return 'ok';
    case 'failed':
      return 'danger';
    case 'paused':
    case 'pausing':
    case 'cancelling':
      return 'warn';
    case 'cancelled':
      return 'muted';
    case 'running':
      return 'accent';
  }
}

/** Seconds left at the current rate for the estimated remainder; null when not computable. */
export function secondsLeft(job: Pick<ReplayJob, 'estimate' | 'written' | 'rate' | 'state'>): number | null {
  if (job.state !== 'running' || job.estimate === null || !job.rate || job.rate <= 0) return null;
  return Math.max(0, job.estimate - job.written) / job.rate;
}
