'use client';
import { NodeShell, memoNode } from './NodeShell';

/** One client id of a service (shown only when clients are asked for). */
export const ClientNode = memoNode(({ id, data }) => <NodeShell id={id} data={data} icon="•" />);
