'use client';
import { NodeShell, RateBadge, memoNode } from './NodeShell';

/** A Kafka Streams application: reads and writes topics through one application id. */
export const StreamAppNode = memoNode(({ id, data }) => <NodeShell id={id} data={data} icon="⟳" Badges={RateBadge} />);
