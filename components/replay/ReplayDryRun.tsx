'use client';
import type { ReplayPlanResponse } from '../../lib/contract';
import { formatBytes, formatClock, formatDuration } from '../../lib/format';
import { ConfirmByName } from './ConfirmByName';

const n = (v: number) => v.toLocaleString('en-US');
const clip = (s: string | null, max = 120) => (s === null ? '' : s.length > max ? `${s.slice(0, max)}…` : s);

function Sample({ plan }: { plan: ReplayPlanResponse }) {
  if (plan.sample.length === 0) return <p className="empty">No record matched in the part read.</p>;
  return (
    <table className="table replay-table" data-testid="replay-sample">
      <caption className="visually-hidden">Sample of the records the job would copy</caption>
      <thead>
        <tr>
          <th className="num">Partition</th>
          <th className="num">Offset</th>
          <th>Time</th>
          <th>Key</th>
          <th>Value</th>
          <th className="num">Headers</th>
        </tr>
      </thead>
      <tbody>
        {plan.sample.map((r) => (
          <tr key={`${r.partition}:${r.offset}`} data-testid="replay-sample-row">
            <td className="num">{r.partition}</td>
            <td className="num">{n(r.offset)}</td>
            <td className="nowrap">{new Date(r.timestamp).toLocaleString()}</td>
            <td className="mono">{r.key === null ? <span className="muted">null</span> : clip(r.key, 40)}</td>
            <td className="mono value-cell">{r.value === null ? <span className="muted">null</span> : clip(r.value)}</td>
            <td className="num" title={r.headers.map((h) => `${h.key}: ${h.value ?? 'null'}`).join('\n')}>{r.headers.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the job would write, from the dry run, and the confirm box that starts exactly this plan. */
export function ReplayDryRun({ plan, busy, onStart }: { plan: ReplayPlanResponse; busy: boolean; onStart: (confirm: string | undefined) => void }) {
  const r = plan.request;
  const capped = r.maxRecords !== null && r.maxRecords < plan.estimate;
  const willWrite = capped ? r.maxRecords! : plan.estimate;
  return (
    <section className="panel replay-step" data-testid="replay-plan" aria-labelledby="replay-plan-title">
      <h2 id="replay-plan-title">
        2 · Dry run: <span className="mono">{r.source.topic}</span> → <span className="mono">{r.target.topic}</span>
      </h2>
      <div className="step-body">
        {plan.blocked ? (
          <div className="blocked" role="alert" data-testid="replay-blocked">
            <strong>Cannot start: {plan.blocked.reason}</strong>
            <p>{plan.blocked.hint}</p>
          </div>
        ) : null}
        <div className="cards replay-totals">
          <div className="card card-info">
            <span className="card-label">Will write</span>
            <span className="card-value" data-testid="replay-estimate">{plan.complete && !capped ? '' : '≈ '}{n(willWrite)}</span>
            <span className="card-note">{capped ? `capped by max records (${n(plan.estimate)} match)` : plan.complete ? 'exact: the whole range was read' : `estimate from ${n(plan.scanned)} records read`}</span>
          </div>
          <div className="card">
            <span className="card-label">Matched / read</span>
            <span className="card-value small-value" data-testid="replay-matched">{n(plan.matched)} / {n(plan.scanned)}</span>
            <span className="card-note">{r.filter ? 'the filter kept these' : 'no filter: every record'}{plan.complete ? '' : ' (part of the range)'}</span>
          </div>
          <div className="card">
            <span className="card-label">In range</span>
            <span className="card-value small-value">{n(plan.inRange)} offsets</span>
            <span className="card-note">{plan.ranges.length} partition{plan.ranges.length === 1 ? '' : 's'}: {plan.ranges.slice(0, 4).map((x) => `p${x.partition} ${n(x.from)}…${n(x.to)}`).join(', ')}{plan.ranges.length > 4 ? ' …' : ''}</span>
          </div>
          <div className="card">
            <span className="card-label">Size · time</span>
            <span className="card-value small-value">{formatBytes(plan.bytes)}</span>
            <span className="card-note">{plan.estimatedSeconds !== null ? `≈ ${formatDuration(plan.estimatedSeconds)} at ${n(r.rateLimit ?? 0)}/s` : 'no rate limit: as fast as Kafka takes them'}</span>
          </div>
        </div>
        <p className="small">
          Into <span className="mono">{r.target.topic}</span>, {r.partitioning === 'same' ? 'same partition as the source' : 'partitioned by key'}; keeping {[r.keep.key && 'key', r.keep.headers && 'headers', r.keep.timestamp && 'timestamp'].filter(Boolean).join(', ') || 'nothing but the value'}
          {r.filter ? <> · filter <span className="mono">{clip(r.filter, 100)}</span></> : null}.
        </p>
        {plan.warnings.length > 0 ? (
          <ul className="replay-warnings" data-testid="replay-warnings">
            {plan.warnings.map((w) => (
              <li key={w}>⚠ {w}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <h3 className="step-subtitle">Sample</h3>
      <Sample plan={plan} />
      <div className="step-body">
        <p className="small muted">This dry run expires at {formatClock(plan.expiresAt)}; after that, run it again.</p>
        <ConfirmByName key={plan.planId} name={plan.confirmName} what="target topic" action="Start replay" busy={busy} disabled={plan.blocked !== null || willWrite === 0} onConfirm={onStart}>
          {willWrite === 0 ? <span>Nothing to write.</span> : <span>Writes {plan.complete && !capped ? '' : 'about '}{n(willWrite)} records into <span className="mono">{r.target.topic}</span>. The job runs on the server; you can pause or cancel it.</span>}
        </ConfirmByName>
      </div>
    </section>
  );
}
