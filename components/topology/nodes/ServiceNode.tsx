'use client';
import { formatCount } from '../../../lib/format';
import { useNodeFigures } from '../map-store';
import { NodeShell, RateBadge, memoNode } from './NodeShell';

/** A service: writes to topics and, through its consumer groups, reads from them. Health is its groups' worst. */
export const ServiceNode = memoNode(({ id, data }) => {
  const figures = useNodeFigures(id);
  const lag = figures?.lag ?? null;
  return (
    <NodeShell
      id={id}
      data={data}
      icon="◆"
      badges={
        <>
          {lag !== null && lag > 0 ? <span className="badge badge-lag">lag {formatCount(lag)}</span> : null}
          <RateBadge id={id} />
        </>
      }
    />
  );
});
