'use client';
import type { PlannedPartitionPayload, ResetPlanResponse, ResetRecord } from '../../lib/contract';
import { formatClock } from '../../lib/format';
import { describeResetScope, describeResetSpec } from '../../lib/replay/reset-form';
import { CommandBlock } from './CommandBlock';
import { ConfirmByName } from './ConfirmByName';
import { MembersInTheWay } from './ProblemNotice';

const n = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US'));
const timeOf = (ms: number) => new Date(ms).toLocaleString();

function ClampBadge({ clamped }: { clamped: PlannedPartitionPayload['clamped'] }) {
  if (!clamped) return null;
  return (
    <span className="rbadge rbadge-warn" title="The requested offset lay outside the log, so Kafka would refuse it: the reset uses the nearest offset that exists.">
      clamped to log {clamped === 'to-log-start' ? 'start' : 'end'}
    </span>
  );
}

/** Per partition: where the group is, where it will be, and what that means in messages. */
function PlanTable({ partitions }: { partitions: PlannedPartitionPayload[] }) {
  return (
    <table className="table replay-table" data-testid="reset-plan-table">
      <thead>
        <tr>
          <th>Topic</th>
          <th className="num">Partition</th>
          <th className="num">Current</th>
          <th aria-label="becomes" />
          <th className="num">New</th>
          <th />
          <th className="num" title="Messages the group will read again">Reprocess</th>
          <th className="num" title="Messages the group will never read">Skip</th>
          <th className="num" title="Messages left to read after the reset">Lag after</th>
          <th className="num">Log start … end</th>
        </tr>
      </thead>
      <tbody>
        {partitions.map((p) => {
          const unchanged = p.current === p.target;
          return (
            <tr key={`${p.topic}:${p.partition}`} data-testid="reset-plan-row" data-topic={p.topic} data-partition={p.partition} className={unchanged ? 'row-unchanged' : undefined}>
              <td className="mono">{p.topic}</td>
              <td className="num">{p.partition}</td>
              <td className="num">{p.current === null ? <span className="muted" title="The group never committed this partition">none</span> : n(p.current)}</td>
              <td className="arrow" aria-hidden>→</td>
              <td className="num strong" data-testid="plan-target">{n(p.target)}</td>
              <td>{unchanged ? <span className="muted small">unchanged</span> : null}<ClampBadge clamped={p.clamped} /></td>
              <td className={`num${p.reprocess ? ' tone-info' : ''}`}>{p.reprocess ? `+${n(p.reprocess)}` : n(p.reprocess)}</td>
              <td className={`num${p.skip ? ' tone-danger' : ''}`}>{p.skip ? `${n(p.skip)} skipped` : n(p.skip)}</td>
              <td className="num">{n(p.lagAfter)}</td>
              <td className="num muted">{n(p.low)} … {n(p.high)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Totals({ plan }: { plan: ResetPlanResponse }) {
  const t = plan.totals;
  return (
    <div className="cards replay-totals" data-testid="reset-totals">
      <div className="card">
        <span className="card-label">Partitions moving</span>
        <span className="card-value">{n(t.changed)}</span>
        <span className="card-note">of {plan.partitions.length} in scope</span>
      </div>
      <div className={`card${t.reprocess > 0 ? ' card-info' : ''}`}>
        <span className="card-label">Reprocessed</span>
        <span className="card-value" data-testid="total-reprocess">{n(t.reprocess)}</span>
        <span className="card-note">messages the group reads again (consumers must be idempotent)</span>
      </div>
      <div className={`card${t.skip > 0 ? ' card-danger' : ' card-ok'}`}>
        <span className="card-label">Skipped</span>
        <span className={`card-value${t.skip > 0 ? ' danger-text' : ''}`} data-testid="total-skip">{n(t.skip)}</span>
        <span className="card-note">{t.skip > 0 ? 'messages the group will NEVER read' : 'no message is skipped'}</span>
      </div>
      <div className="card">
        <span className="card-label">Lag after</span>
        <span className="card-value">{n(t.lagAfter)}</span>
        <span className="card-note">messages left to read</span>
      </div>
    </div>
  );
}

/** The dry run of a reset (or of an undo), and the confirm box that executes exactly this plan. */
export function ResetPreview({ plan, undoOf, busy, onExecute, onBack }: { plan: ResetPlanResponse; undoOf: ResetRecord | null; busy: boolean; onExecute: (confirm: string | undefined) => void; onBack: () => void }) {
  const blocked = plan.blocked;
  return (
    <section className="panel replay-step" data-testid="reset-preview-panel" aria-labelledby="reset-preview-title">
      <h2 id="reset-preview-title">
        2 · Preview{undoOf ? <> of the undo of the reset at {formatClock(undoOf.at)}</> : null}: <span className="mono">{describeResetSpec(plan.spec, timeOf)}</span> · {describeResetScope(plan.scope)}
        <button type="button" className="button small push-right" onClick={onBack} data-testid="reset-back">
          ← Change
        </button>
      </h2>
      <div className="step-body">
        {blocked ? (
          <div className="blocked" role="alert" data-testid="reset-blocked">
            <strong>Cannot reset now: {blocked.reason}</strong>
            <p>{blocked.hint}</p>
            {plan.members.length > 0 ? (
              <>
                <p className="small">Connected now:</p>
                <MembersInTheWay members={plan.members} />
              </>
            ) : null}
          </div>
        ) : null}
        <Totals plan={plan} />
        {plan.warnings.length > 0 ? (
          <ul className="replay-warnings" data-testid="reset-warnings">
            {plan.warnings.map((w) => (
              <li key={w}>⚠ {w}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <PlanTable partitions={plan.partitions} />
      {plan.leftOut.length > 0 ? (
        <p className="small muted step-body" data-testid="reset-left-out">
          Left out: {plan.leftOut.map((l) => `${l.topic}[${l.partition}] (${l.reason})`).join('; ')}
        </p>
      ) : null}
      <div className="step-body">
        <CommandBlock label="The same with kafka-consumer-groups.sh (dry run)" text={plan.command.dryRun} testId="reset-command" />
        <CommandBlock label="…and to execute" text={plan.command.execute} testId="reset-command-execute" />
        {plan.command.csv ? <CommandBlock label="--from-file CSV rows" text={plan.command.csv} testId="reset-command-csv" /> : null}
        <p className="small muted">Group state when previewed: {plan.groupState ?? 'does not exist yet'} · this preview expires at {formatClock(plan.expiresAt)}; after that, preview again.</p>
        <ConfirmByName key={plan.planId} name={blocked ? null : plan.confirmName} what="group" action={undoOf ? 'Undo the reset' : 'Reset offsets'} busy={busy} disabled={blocked !== null || plan.totals.changed === 0} onConfirm={onExecute}>
          {blocked ? (
            <span className="danger-text">Blocked: see above.</span>
          ) : plan.totals.changed === 0 ? (
            <span>Nothing would change: every partition is already there.</span>
          ) : (
            <span>
              Moves {n(plan.totals.changed)} partition{plan.totals.changed === 1 ? '' : 's'}: {n(plan.totals.reprocess)} messages reprocessed,{' '}
              <span className={plan.totals.skip > 0 ? 'danger-text' : undefined}>{n(plan.totals.skip)} skipped</span>.{' '}
              {plan.partitions.some((p) => p.current === null)
                ? 'The previous offsets are kept so you can undo; partitions with no commit yet keep the new one after an undo.'
                : 'The previous offsets are kept so you can undo.'}
            </span>
          )}
        </ConfirmByName>
      </div>
    </section>
  );
}
