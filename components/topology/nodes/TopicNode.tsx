'use client';
import { NodeShell, RateBadge, memoNode } from './NodeShell';

/** A topic: its badge is the produce rate. */
export const TopicNode = memoNode(({ id, data }) => <NodeShell id={id} data={data} icon="≡" Badges={RateBadge} />);
