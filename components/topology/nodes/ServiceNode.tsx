'use client';
import { formatCount } from '../../../lib/format';
import { useMapStore } from '../map-store';
import { NodeShell, RateBadge, memoNode } from './NodeShell';

/** The lag of the groups the service runs (when behind), then what it writes. */
function ServiceBadges({ id }: { id: string }) {
  const lag = useMapStore((s) => {
    const l = s.nodeFigures.get(id)?.lag ?? null;
    return l !== null && l > 0 ? formatCount(l) : null;
  });
  return (
    <>
      {lag !== null ? <span className="badge badge-lag">lag {lag}</span> : null}
      <RateBadge id={id} />
    </>
  );
}

/** A service: writes to topics and, through its consumer groups, reads from them. Health is its groups' worst. */
export const ServiceNode = memoNode(({ id, data }) => <NodeShell id={id} data={data} icon="◆" Badges={ServiceBadges} />);
