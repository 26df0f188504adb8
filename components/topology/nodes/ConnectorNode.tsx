'use client';
import { NodeShell, RateBadge, memoNode } from './NodeShell';

/** A Kafka Connect connector: source connectors write to topics, sink connectors read them. */
export const ConnectorNode = memoNode(({ id, data }) => <NodeShell id={id} data={data} icon="⇄" Badges={RateBadge} />);
