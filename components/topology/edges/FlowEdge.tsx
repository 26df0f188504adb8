'use client';
import { getBezierPath, useStore, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { EdgeKind } from '../../../lib/contract';
import { formatRate } from '../../../lib/format';
import { carriesData as carriesRecords, flowWidth } from '../../../lib/topology/edge-style';
import { useEdgeEmphasis, useMapStore, useSelectionStore } from '../map-store';
import { FAR_ZOOM } from '../nodes/NodeShell';

export interface FlowEdgeData extends Record<string, unknown> {
  kind: EdgeKind;
  /** Many edges on screen: rate labels only on lit edges, so the map stays readable and cheap. */
  dense: boolean;
}
export type FlowEdgeType = Edge<FlowEdgeData>;

/** Rate labels only where they can be read; a boolean selector, so zooming re-renders edges only at the threshold. */
const zoomedIn = (s: { transform: [number, number, number] }) => s.transform[2] >= 0.55;
const isFar = (s: { transform: [number, number, number] }) => s.transform[2] < FAR_ZOOM;

/**
 * A flow between two nodes: width follows throughput, the line style its state (solid live, faded recent, dashed
 * stale, dotted declared-only), red for dead letters. Only the selected flow moves, and not with reduced motion.
 */
export const FlowEdge = memo(function FlowEdge({ id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data }: EdgeProps<FlowEdgeType>) {
  const kind = data?.kind ?? 'produces';
  const carriesData = carriesRecords(kind);
  const far = useStore(isFar);
  // What the edge shows, as one string: its state, its width in half-pixel steps and its label. A tick that moves a
  // rate without changing these (or only ages the confidence) does not redraw the edge; nor does any rate change
  // when the map is zoomed out so far that widths and labels cannot be told apart.
  const shown = useMapStore((s) => {
    const f = s.edgeFigures.get(id);
    const state = f?.state ?? 'live';
    if (far) return `${state}|`;
    const rate = f?.messagesPerSec ?? null;
    return `${state}|${Math.round(flowWidth(kind, rate) * 2) / 2}|${carriesData && rate !== null ? formatRate(rate) : ''}`;
  });
  const [state, widthText, labelText] = shown.split('|') as [string, string, string | undefined];
  const width = far ? flowWidth(kind, null) : Number(widthText);
  const label = labelText ? labelText : null;
  const emphasis = useEdgeEmphasis(id, source, target);
  const selected = useSelectionStore((s) => s.selection?.kind === 'edge' && s.selection.id === id);
  const animate = useSelectionStore((s) => s.animate);
  const readable = useStore(zoomedIn);
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const showLabel = label !== null && readable && (emphasis === 'lit' || (!data?.dense && emphasis !== 'dim'));
  return (
    <g className={`flow-edge edge-${kind} state-${state} emph-${emphasis}${selected ? ' selected' : ''}`} data-testid="map-edge" data-id={id} data-kind={kind} data-state={state}>
      {/* A wide invisible stroke makes thin edges easy to click. */}
      <path d={path} className="flow-edge-hit" fill="none" strokeWidth={14} />
      <path d={path} className="flow-edge-line" fill="none" strokeWidth={width} />
      {emphasis === 'lit' && animate ? <path d={path} className="flow-edge-motion" fill="none" strokeWidth={Math.max(1.5, width / 2)} /> : null}
      {showLabel ? (
        <text x={labelX} y={labelY - 4} className="flow-edge-label" textAnchor="middle">
          {label}
        </text>
      ) : null}
    </g>
  );
});

export const edgeTypes = { flow: FlowEdge };
