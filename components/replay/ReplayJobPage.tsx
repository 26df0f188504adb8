'use client';
import Link from 'next/link';
import { useState } from 'react';
import type { ClusterInfo, ReplayJob, ReplayJobAction } from '../../lib/contract';
import { formatClock } from '../../lib/format';
import { replayHref, topicHref } from '../../lib/links';
import { allowedActions } from '../../lib/replay/job-view';
import { ClusterShell } from '../overview/ClusterShell';
import { JobFigures } from './JobFigures';
import { JobProgressBar, JobStateBadge } from './JobBits';
import { ProblemNotice } from './ProblemNotice';
import { useReplayJob } from './use-replay-jobs';
import '../ui/entity.css';
import './replay.css';

const LABEL: Record<ReplayJobAction, string> = { pause: '⏸ Pause', resume: '▶ Resume', cancel: '✕ Cancel…' };

/** Pause/Resume at once; Cancel asks first (a cancelled job cannot be resumed; what it wrote stays written). */
function JobActions({ job, busy, readOnly, onAct }: { job: ReplayJob; busy: ReplayJobAction | null; readOnly: boolean; onAct: (a: ReplayJobAction) => void }) {
  const [confirmCancel, setConfirmCancel] = useState(false);
  const actions = allowedActions(job.state);
  if (actions.length === 0) return null;
  return (
    <div className="form-actions" data-testid="job-actions">
      {actions.map((a) => (
        <button key={a} type="button" className={`button${a === 'cancel' ? ' ghost' : ''}`} disabled={busy !== null || readOnly} title={readOnly ? 'cluster is read-only' : undefined} onClick={() => (a === 'cancel' ? setConfirmCancel(true) : onAct(a))} data-testid={`job-${a}`}>
          {busy === a ? 'Working…' : LABEL[a]}
        </button>
      ))}
      {confirmCancel ? (
        <span className="confirm-inline" role="alertdialog" aria-label="Confirm cancel">
          Cancel the job? It stops for good; the {job.written.toLocaleString('en-US')} records written stay in the target.
          <button type="button" className="button danger small" onClick={() => { setConfirmCancel(false); onAct('cancel'); }} data-testid="job-cancel-confirm">Yes, cancel the job</button>
          <button type="button" className="button small" onClick={() => setConfirmCancel(false)}>Keep it running</button>
        </span>
      ) : null}
    </div>
  );
}

function JobView({ cluster, id, info }: { cluster: string; id: string; info: ClusterInfo | undefined }) {
  const { job, error, busy, problem, act } = useReplayJob(cluster, id);
  if (!job) return error ? <div className="notice notice-danger" role="alert">{error} <Link href={replayHref(cluster)}>All replay jobs</Link></div> : <div className="notice" data-testid="loading">Loading job {id}…</div>;
  const r = job.request;
  return (
    <div className="entity-page replay-page" data-testid="replay-job-page">
      <header className="entity-title">
        <p className="entity-kind">Replay job · started {formatClock(job.createdAt)}{job.finishedAt ? ` · finished ${formatClock(job.finishedAt)}` : ''}</p>
        <h1>
          <Link href={topicHref(cluster, r.source.topic)} className="mono">{r.source.topic}</Link> → <Link href={topicHref(r.target.cluster, r.target.topic)} className="mono">{r.target.topic}</Link> <JobStateBadge state={job.state} />
        </h1>
        <div className="entity-links">
          <Link href={replayHref(cluster)}>← All replay jobs</Link>
          <span className="muted small mono">{job.id} · audit #{job.auditId}</span>
        </div>
      </header>
      {error ? <p className="notice notice-warn small" role="status">Lost contact with the server ({error}); the job keeps running there. Retrying…</p> : null}
      {job.error ? (
        <div className="blocked" role="alert" data-testid="job-error">
          <strong>{job.error.message}</strong>
          <p>{job.error.hint}</p>
        </div>
      ) : null}
      {problem ? <ProblemNotice problem={problem} /> : null}
      <section className="panel replay-step">
        <h2>Progress</h2>
        <div className="step-body">
          <JobProgressBar job={job} label="Share of the source range done" />
          <JobFigures job={job} />
          <p className="small">
            {r.filter ? <>Filter <span className="mono">{r.filter}</span> · </> : null}
            {r.partitioning === 'same' ? 'same partition' : 'partitioned by key'} · keeps {[r.keep.key && 'key', r.keep.headers && 'headers', r.keep.timestamp && 'timestamp'].filter(Boolean).join(', ') || 'value only'}
            {r.maxRecords ? ` · at most ${r.maxRecords.toLocaleString('en-US')} records` : ''}
          </p>
          {/* The job writes to its target cluster: that one's read-only flag decides (the server checks it either way). */}
          <JobActions job={job} busy={busy} readOnly={r.target.cluster === cluster && (info?.readOnly ?? false)} onAct={(a) => void act(a)} />
        </div>
      </section>
      <section className="panel">
        <h2>Source ranges <span className="count">{job.ranges.length}</span></h2>
        <table className="table replay-table">
          <thead>
            <tr><th className="num">Partition</th><th className="num">From</th><th className="num">To (excl.)</th><th className="num">Next offset</th></tr>
          </thead>
          <tbody>
            {job.ranges.map((x) => (
              <tr key={x.partition}>
                <td className="num">{x.partition}</td>
                <td className="num">{x.from.toLocaleString('en-US')}</td>
                <td className="num">{x.to.toLocaleString('en-US')}</td>
                <td className="num">{job.positions[String(x.partition)]?.toLocaleString('en-US') ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

/** `/clusters/:cluster/replay/:jobId`: one job's live progress, polled about every second, with its controls. */
export function ReplayJobPage({ cluster, jobId }: { cluster: string; jobId: string }) {
  return (
    <ClusterShell cluster={cluster} view="replay">
      {({ info }) => <JobView key={`${cluster}/${jobId}`} cluster={cluster} id={jobId} info={info} />}
    </ClusterShell>
  );
}
