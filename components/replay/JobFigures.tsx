import type { ReplayJob } from '../../lib/contract';
import { formatBytes, formatDuration, formatRate } from '../../lib/format';
import { secondsLeft } from '../../lib/replay/job-view';

const n = (v: number) => v.toLocaleString('en-US');

/** The job's counters as cards: written of estimate, scanned, rate and time left, recoveries. */
export function JobFigures({ job }: { job: ReplayJob }) {
  const left = secondsLeft(job);
  return (
    <div className="cards replay-totals" data-testid="job-figures">
      <div className="card">
        <span className="card-label">Written</span>
        <span className="card-value" data-testid="job-written">{n(job.written)}</span>
        <span className="card-note">{job.estimate !== null ? `of ≈ ${n(job.estimate)} estimated` : 'estimate unknown'} · {formatBytes(job.bytes)}</span>
      </div>
      <div className="card">
        <span className="card-label">Scanned</span>
        <span className="card-value small-value" data-testid="job-scanned">{n(job.scanned)}</span>
        <span className="card-note">source records read{job.request.filter ? ' (the filter dropped the rest)' : ''}</span>
      </div>
      <div className="card">
        <span className="card-label">Rate</span>
        <span className="card-value small-value">{job.state === 'running' ? formatRate(job.rate) : '—'}</span>
        <span className="card-note">{left !== null ? `≈ ${formatDuration(left)} left` : job.request.rateLimit ? `limit ${n(job.request.rateLimit)}/s` : 'no rate limit'}</span>
      </div>
      <div className={`card${job.recoveries > 0 ? ' card-warn' : ''}`}>
        <span className="card-label">Recoveries</span>
        <span className="card-value small-value">{job.recoveries}</span>
        <span className="card-note">{job.recoveries > 0 ? 'resumed after a stop it did not choose; the target was checked, no duplicates' : 'no unplanned stop'}</span>
      </div>
    </div>
  );
}
