'use client';
import { formatCount, formatDuration } from '../../../lib/format';
import { useMapStore } from '../map-store';
import { NodeShell, memoNode } from './NodeShell';

/** Status, lag in messages and in seconds: the figures on-call looks for first. */
function GroupBadges({ id }: { id: string }) {
  const lag = useMapStore((s) => {
    const f = s.nodeFigures.get(id);
    if (!f || f.lag === null) return null;
    return `lag ${formatCount(f.lag)}${f.lagSeconds !== null && f.lagSeconds >= 1 ? ` · ${formatDuration(f.lagSeconds)}` : ''}`;
  });
  const status = useMapStore((s) => s.nodeFigures.get(id)?.status ?? null);
  const health = useMapStore((s) => s.nodeFigures.get(id)?.health ?? 'unknown');
  const reason = useMapStore((s) => s.nodeFigures.get(id)?.statusReason ?? undefined);
  return (
    <>
      {lag !== null ? (
        <span className="badge badge-lag" data-testid="lag-badge" title={reason}>
          {lag}
        </span>
      ) : null}
      {status !== null ? (
        <span className={`badge badge-status status-${health}`} data-testid="status-badge" title={reason}>
          {status.replace('_', ' ')}
        </span>
      ) : null}
    </>
  );
}

/** A consumer group. */
export const GroupNode = memoNode(({ id, data }) => <NodeShell id={id} data={data} icon="◎" Badges={GroupBadges} />);
