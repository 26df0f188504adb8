'use client';
import type { ResetRecord } from '../../lib/contract';
import { describeResetScope, describeResetSpec } from '../../lib/replay/reset-form';
import { ResetOutcomeBadge } from './ResetOutcomeBadge';

const when = (ms: number) => new Date(ms).toLocaleString();

/** The group's past resets, newest first, each with its undo while it can still be undone. */
export function ResetHistory({ resets, error, busy, onUndo }: { resets: ResetRecord[] | null; error: string | null; busy: boolean; onUndo: (r: ResetRecord) => void }) {
  return (
    <section className="panel" data-testid="reset-history">
      <h2>Reset history <span className="count">{resets?.length ?? '…'}</span></h2>
      {error ? <p className="notice notice-warn small">History unavailable: {error}</p> : null}
      {resets && resets.length === 0 ? <p className="empty">No reset of this group yet.</p> : null}
      {resets && resets.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>Scope</th>
              <th>Outcome</th>
              <th className="num">Partitions</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {resets.map((r) => (
              <tr key={r.id} data-testid="reset-history-row">
                <td className="nowrap">{when(r.at)}</td>
                <td>
                  {r.undoOf ? <span className="rbadge rbadge-muted">undo</span> : null} {describeResetSpec(r.spec, when)}
                </td>
                <td className="small">{describeResetScope(r.scope)}</td>
                <td><ResetOutcomeBadge outcome={r.outcome} /></td>
                <td className="num">{r.partitions.length}</td>
                <td>
                  {r.undoneBy ? <span className="muted small">undone</span> : r.undoable ? (
                    <button type="button" className="button small" onClick={() => onUndo(r)} disabled={busy} data-testid="history-undo">
                      ↶ Undo…
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
