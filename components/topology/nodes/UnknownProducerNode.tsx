'use client';
import { NodeShell, RateBadge, memoNode } from './NodeShell';

/** Records arrive on a topic but no evidence names their writer: shown, so the gap is visible rather than hidden. */
export const UnknownProducerNode = memoNode(({ id, data }) => <NodeShell id={id} data={data} icon="?" Badges={RateBadge} />);
