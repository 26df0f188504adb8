'use client';
import { Handle, Position, useStore, type Node, type NodeProps } from '@xyflow/react';
import { memo, type ComponentType } from 'react';
import type { NodeKind } from '../../../lib/contract';
import { formatRate } from '../../../lib/format';
import { useEmphasis, useMapStore, useSelectionStore } from '../map-store';

/** Static data of a map node: only what changes with the graph's shape, never with a metrics tick. */
export interface MapNodeData extends Record<string, unknown> {
  name: string;
  kind: NodeKind;
  collapsed: boolean;
  /** Kept only as the neighbour of a health-filter match: drawn faded. */
  context: boolean;
}
export type MapNode = Node<MapNodeData>;
type MapNodeProps = NodeProps<MapNode>;

/** Every node has the same size: the layout knows it, and React Flow need not measure 1,000 nodes. */
export const NODE_WIDTH = 208;
export const NODE_HEIGHT = 64;

/**
 * Below this zoom a node's text is a few pixels high: it is drawn as its coloured box only and does not follow the
 * figures, so a tick on a zoomed-out map of 1,000 nodes re-renders only the nodes whose health changed.
 */
export const FAR_ZOOM = 0.35;
const isFar = (s: { transform: [number, number, number] }) => s.transform[2] < FAR_ZOOM;

/**
 * The frame every kind of node shares: a health stripe on the left, the name, a second line of facts, and the
 * kind's badges. Every figure is read from the map store as the text it shows, so a tick re-renders a node only
 * when something it displays changed.
 */
export function NodeShell({ id, data, icon, Badges }: { id: string; data: MapNodeData; icon: string; Badges?: ComponentType<{ id: string }> }) {
  const far = useStore(isFar);
  // One selector for both: every figure selector runs on every tick, so fewer is cheaper at 1,000 nodes.
  const [health, status] = useMapStore((s) => {
    const f = s.nodeFigures.get(id);
    return `${f?.health ?? 'unknown'}|${f?.status ?? ''}`;
  }).split('|') as [string, string];
  const emphasis = useEmphasis(id);
  const selected = useSelectionStore((s) => s.selection?.kind === 'node' && s.selection.id === id);
  return (
    <div
      className={`map-node kind-${data.kind} health-${health} emph-${emphasis}${selected ? ' selected' : ''}${data.collapsed ? ' collapsed' : ''}${data.context ? ' context' : ''}${far ? ' far' : ''}`}
      data-testid="map-node"
      data-id={id}
      data-kind={data.kind}
      data-name={data.name}
      data-health={health}
      data-status={status}
      title={data.name}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className="map-handle" />
      {far ? null : <NodeBody id={id} data={data} icon={icon} Badges={Badges} />}
      <Handle type="source" position={Position.Right} isConnectable={false} className="map-handle" />
    </div>
  );
}

function NodeBody({ id, data, icon, Badges }: { id: string; data: MapNodeData; icon: string; Badges?: ComponentType<{ id: string }> }) {
  const note = useMapStore((s) => s.nodeNotes.get(id));
  return (
    <>
      <div className="map-node-head">
        <span className="map-node-icon" aria-hidden>{icon}</span>
        <span className="map-node-name">{data.name}</span>
      </div>
      <div className="map-node-foot">
        <span className="map-node-note">{note}</span>
        <span className="map-node-badges">{Badges ? <Badges id={id} /> : null}</span>
      </div>
    </>
  );
}

/** Messages per second through a node; hidden when unknown so the badge never reads as "0". */
export function RateBadge({ id }: { id: string }) {
  const rate = useMapStore((s) => {
    const r = s.nodeFigures.get(id)?.messagesPerSec ?? null;
    return r === null ? null : formatRate(r);
  });
  if (rate === null) return null;
  return <span className="badge badge-rate" data-testid="rate-badge">{rate}</span>;
}

export const memoNode = (render: (props: MapNodeProps) => React.ReactNode) => memo(render);
