'use client';
import { formatCount, formatDuration } from '../../../lib/format';
import { useNodeFigures } from '../map-store';
import { NodeShell, memoNode } from './NodeShell';

/** A consumer group: its status, lag in messages and in seconds — the figures on-call looks for first. */
export const GroupNode = memoNode(({ id, data }) => {
  const figures = useNodeFigures(id);
  const status = figures?.status ?? null;
  const lag = figures?.lag ?? null;
  const seconds = figures?.lagSeconds ?? null;
  return (
    <NodeShell
      id={id}
      data={data}
      icon="◎"
      badges={
        <>
          {lag !== null ? (
            <span className="badge badge-lag" data-testid="lag-badge" title={figures?.statusReason ?? undefined}>
              lag {formatCount(lag)}
              {seconds !== null && seconds >= 1 ? ` · ${formatDuration(seconds)}` : ''}
            </span>
          ) : null}
          {status !== null ? (
            <span className={`badge badge-status status-${figures?.health ?? 'unknown'}`} data-testid="status-badge" title={figures?.statusReason ?? undefined}>
              {status.replace('_', ' ')}
            </span>
          ) : null}
        </>
      }
    />
  );
});
