'use client';
import Link from 'next/link';
import type { ClusterInfo } from '../../lib/contract';
import { formatClock, formatRate } from '../../lib/format';
import { replayJobHref, replayNewHref } from '../../lib/links';
import { ClusterShell } from '../overview/ClusterShell';
import { JobProgressBar, JobStateBadge } from './JobBits';
import { useReplayJobs } from './use-replay-jobs';
import { WriteLink } from './WriteLink';
import '../ui/entity.css';
import './replay.css';

function JobsView({ cluster, info }: { cluster: string; info: ClusterInfo | undefined }) {
  const { data: jobs, error } = useReplayJobs(cluster);
  return (
    <div className="entity-page replay-page" data-testid="replay-jobs-page">
      <header className="entity-title">
        <p className="entity-kind">Re-produce and dead-letter redrive</p>
        <h1>Replay jobs</h1>
        <div className="entity-links">
          <WriteLink href={replayNewHref(cluster)} readOnly={info?.readOnly ?? false} testId="replay-new-link" className="button primary small">New replay…</WriteLink>
          <span className="muted small">Jobs run on the server, survive restarts, and write each selected record exactly once.</span>
        </div>
      </header>
      {error ? <p className="notice notice-warn small" role="status">{error}</p> : null}
      <section className="panel">
        <h2>Jobs <span className="count">{jobs?.length ?? '…'}</span></h2>
        {jobs && jobs.length === 0 ? <p className="empty">No replay job yet. Start one from a topic page (“Replay…”) or with “New replay…”.</p> : null}
        {jobs && jobs.length > 0 ? (
          <table className="table" data-testid="replay-jobs">
            <thead>
              <tr><th>State</th><th>Source → target</th><th>Progress</th><th className="num">Written / estimate</th><th className="num">Rate</th><th>Started</th></tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} data-testid="replay-job-row">
                  <td><JobStateBadge state={j.state} /></td>
                  <td>
                    <Link href={replayJobHref(cluster, j.id)} className="mono">{j.request.source.topic} → {j.request.target.topic}</Link>
                    {j.request.filter ? <span className="tag">filtered</span> : null}
                    {j.error ? <div className="small danger-text">{j.error.message}</div> : null}
                  </td>
                  <td className="progress-cell"><JobProgressBar job={j} label={`Progress of ${j.request.source.topic} → ${j.request.target.topic}`} /></td>
                  <td className="num">{j.written.toLocaleString('en-US')} / {j.estimate === null ? '?' : j.estimate.toLocaleString('en-US')}</td>
                  <td className="num">{j.state === 'running' ? formatRate(j.rate) : '—'}</td>
                  <td className="nowrap">{formatClock(j.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}

/** `/clusters/:cluster/replay`: every re-produce job of the cluster, newest first, with live progress. */
export function ReplayJobsPage({ cluster }: { cluster: string }) {
  return (
    <ClusterShell cluster={cluster} view="replay">
      {({ info }) => <JobsView key={cluster} cluster={cluster} info={info} />}
    </ClusterShell>
  );
}
