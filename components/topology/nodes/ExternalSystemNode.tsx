'use client';
import { NodeShell, memoNode } from './NodeShell';

/** A database, bucket or index outside Kafka that a connector reads or writes. */
export const ExternalSystemNode = memoNode(({ id, data }) => <NodeShell id={id} data={data} icon="▣" />);
