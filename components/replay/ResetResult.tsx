'use client';
import type { ResetRecord } from '../../lib/contract';
import { formatClock } from '../../lib/format';
import { describeResetScope, describeResetSpec } from '../../lib/replay/reset-form';
import { ResetOutcomeBadge } from './ResetOutcomeBadge';

const n = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US'));

/** What Kafka holds now, per partition, read back after the commit; failures say which partition and why. */
export function ResetResult({ record, busy, onUndo, onAnother }: { record: ResetRecord; busy: boolean; onUndo: () => void; onAnother: () => void }) {
  const failed = record.partitions.filter((p) => p.error !== null);
  return (
    <section className="panel replay-step" data-testid="reset-result" aria-labelledby="reset-result-title">
      <h2 id="reset-result-title">
        3 · Result <ResetOutcomeBadge outcome={record.outcome} />
        <span className="muted small">{describeResetSpec(record.spec, (t) => new Date(t).toLocaleString())} · {describeResetScope(record.scope)} · at {formatClock(record.at)} · audit #{record.auditId}</span>
      </h2>
      <div className="step-body">
        <p className={record.outcome === 'applied' ? 'ok-text' : 'danger-text'} role="status" data-testid="reset-result-summary">
          {record.outcome === 'applied'
            ? `Applied to all ${record.partitions.length} partition${record.partitions.length === 1 ? '' : 's'}; Kafka reads back the new offsets.`
            : `${failed.length} of ${record.partitions.length} partitions were not applied (below); the others were.`}
        </p>
      </div>
      <table className="table replay-table" data-testid="reset-result-table">
        <thead>
          <tr>
            <th>Topic</th>
            <th className="num">Partition</th>
            <th className="num">Before</th>
            <th className="num">Asked</th>
            <th className="num">Kafka now (read back)</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          {record.partitions.map((p) => (
            <tr key={`${p.topic}:${p.partition}`} data-testid="reset-result-row" data-applied={p.error === null ? 'yes' : 'no'}>
              <td className="mono">{p.topic}</td>
              <td className="num">{p.partition}</td>
              <td className="num">{n(p.previous)}</td>
              <td className="num">{n(p.target)}</td>
              <td className="num strong">{n(p.after)}</td>
              <td>{p.error === null ? <span className="rbadge rbadge-ok">applied</span> : <span className="rbadge rbadge-danger" title={p.error}>failed: {p.error}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        {record.undoable ? (
          <button type="button" className="button" onClick={onUndo} disabled={busy} data-testid="reset-undo">
            ↶ Undo this reset…
          </button>
        ) : null}
        <button type="button" className="button ghost" onClick={onAnother} data-testid="reset-another">
          Another reset
        </button>
        {record.undoable ? <span className="small muted">Undo previews first, then asks to confirm, like any reset.</span> : null}
      </div>
    </section>
  );
}
