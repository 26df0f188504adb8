'use client';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo, type ReactNode } from 'react';
import type { NodeKind } from '../../../lib/contract';
import { formatRate } from '../../../lib/format';
import { useEmphasis, useMapStore, useNodeFigures } from '../map-store';

/** Static data of a map node: only what changes with the graph's shape, never with a metrics tick. */
export interface MapNodeData extends Record<string, unknown> {
  name: string;
  kind: NodeKind;
  collapsed: boolean;
  /** Kept only as the neighbour of a health-filter match: drawn faded. */
  context: boolean;
}
export type MapNode = Node<MapNodeData>;
export type MapNodeProps = NodeProps<MapNode>;

/** Every node has the same size: the layout knows it, and React Flow need not measure 1,000 nodes. */
export const NODE_WIDTH = 208;
export const NODE_HEIGHT = 64;

/**
 * The frame every kind of node shares: a health stripe on the left, the name, a second line of facts, and the
 * kind's badges. Reads its own figures from the map store, so a tick re-renders only nodes whose figures changed.
 */
export function NodeShell({ id, data, icon, badges }: { id: string; data: MapNodeData; icon: string; badges?: ReactNode }) {
  const figures = useNodeFigures(id);
  const note = useMapStore((s) => s.nodeNotes.get(id));
  const emphasis = useEmphasis(id);
  const selected = useMapStore((s) => s.selection?.kind === 'node' && s.selection.id === id);
  const health = figures?.health ?? 'unknown';
  return (
    <div
      className={`map-node kind-${data.kind} health-${health} emph-${emphasis}${selected ? ' selected' : ''}${data.collapsed ? ' collapsed' : ''}${data.context ? ' context' : ''}`}
      data-testid="map-node"
      data-id={id}
      data-kind={data.kind}
      data-name={data.name}
      data-health={health}
      data-status={figures?.status ?? ''}
      data-rate={figures?.messagesPerSec ?? ''}
      data-lag={figures?.lag ?? ''}
      title={data.name}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className="map-handle" />
      <div className="map-node-head">
        <span className="map-node-icon" aria-hidden>{icon}</span>
        <span className="map-node-name">{data.name}</span>
      </div>
      <div className="map-node-foot">
        <span className="map-node-note">{note}</span>
        <span className="map-node-badges">{badges}</span>
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} className="map-handle" />
    </div>
  );
}

/** Messages per second through a node; hidden when unknown so the badge never reads as "0". */
export function RateBadge({ id }: { id: string }) {
  const rate = useMapStore((s) => s.nodeFigures.get(id)?.messagesPerSec ?? null);
  if (rate === null) return null;
  return <span className="badge badge-rate" data-testid="rate-badge">{formatRate(rate)}</span>;
}

export const memoNode = (render: (props: MapNodeProps) => ReactNode) => memo(render);
