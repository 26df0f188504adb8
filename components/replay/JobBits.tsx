import type { ReplayJob, ReplayJobState } from '../../lib/contract';
import { jobProgress, jobStateTone } from '../../lib/replay/job-view';

export function JobStateBadge({ state }: { state: ReplayJobState }) {
  return <span className={`rbadge rbadge-${jobStateTone(state)}`} data-testid="job-state" data-state={state}>{state}</span>;
}

/** The share of the source range covered; indeterminate when the range is unknown. */
export function JobProgressBar({ job, label }: { job: Pick<ReplayJob, 'ranges' | 'positions' | 'state'>; label: string }) {
  const p = jobProgress(job);
  const pct = p === null ? null : Math.round(p * 1000) / 10;
  return (
    <div className="progress-wrap">
      <div className={`progress progress-${jobStateTone(job.state)}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined} data-testid="job-progress">
        <div className="progress-fill" style={{ width: `${pct ?? 0}%` }} />
      </div>
      <span className="progress-pct num">{pct === null ? '—' : `${pct.toFixed(pct < 10 && pct > 0 ? 1 : 0)} %`}</span>
    </div>
  );
}
