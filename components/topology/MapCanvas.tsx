'use client';
import { Background, BackgroundVariant, Controls, getNodesBounds, MiniMap, ReactFlow, useReactFlow, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import type { MapUrlState } from '../../lib/topology/map-url';
import { TICK_MARK } from '../realtime/use-topology';
import { edgeTypes } from './edges/FlowEdge';
import { MapLegend } from './MapLegend';
import { useMapStore, useMapStoreApi, type Selection } from './map-store';
import { nodeTypes } from './nodes';
import { FAR_ZOOM, NODE_HEIGHT, NODE_WIDTH } from './nodes/NodeShell';
import { useMapKeys } from './use-map-keys';
import type { MapGraph } from './use-map-graph';
import { useTheme } from './use-theme';

/** Above this many nodes only what is on screen is mounted: a DOM node per graph node is the real cost. */
const CULL_ABOVE = 300;
export const FIRST_RENDER_MARK = 'topolog:map-first-render';
export const TICK_MEASURE = 'topolog:tick';
const MAX_TICK_MEASURES = 500;

const HEALTH_COLOUR = { ok: 'var(--ok)', warn: 'var(--warn)', critical: 'var(--danger)', unknown: 'var(--muted)' } as const;

/**
 * Commits with every figures update: its layout effect runs after React has applied the tick to the nodes, which is
 * where the benchmark's "main-thread time per metrics tick" ends (from the delta's arrival, see use-topology).
 */
function TickProbe() {
  const version = useMapStore((s) => s.version);
  useLayoutEffect(() => {
    if (version > 1 && performance.getEntriesByName(TICK_MARK, 'mark').length > 0) {
      performance.measure(TICK_MEASURE, TICK_MARK);
      performance.clearMarks(TICK_MARK);
      // A wall screen runs for days: keep the last few hundred ticks, enough for the benchmark to read.
      if (performance.getEntriesByName(TICK_MEASURE, 'measure').length > MAX_TICK_MEASURES) performance.clearMeasures(TICK_MEASURE);
    }
  }, [version]);
  return null;
}

/** Memoised: its props keep their identity through metric ticks, which reach the nodes through the store instead. */
export const MapCanvas = memo(function MapCanvas({ graph, url, matches, select, clear, empty }: {
  graph: MapGraph;
  url: MapUrlState;
  matches: string[];
  select: (s: Selection) => void;
  clear: () => void;
  empty: string | null;
}) {
  const flow = useReactFlow();
  const store = useMapStoreApi();
  const theme = useTheme();
  const fitted = useRef(false);
  const hasNodes = graph.nodes.length > 0;
  const reducedMotion = useRef(false);
  useEffect(() => {
    reducedMotion.current = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  }, []);
  const duration = () => (reducedMotion.current ? 0 : 300);

  // Fit once when the first nodes arrive; after that the viewport is the user's. A map too big to read when fitted
  // (a real cluster's 1,000 nodes would be specks) opens at the smallest readable zoom on the start of the flow,
  // top left, with the minimap for the rest; `f` still fits everything.
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!hasNodes || fitted.current) return;
    fitted.current = true;
    requestAnimationFrame(() => {
      const box = container.current?.getBoundingClientRect();
      const bounds = getNodesBounds(graph.nodes);
      const fitZoom = box && bounds.width > 0 ? Math.min(box.width / bounds.width, box.height / bounds.height) * 0.88 : 1;
      if (box && fitZoom < FAR_ZOOM) void flow.setViewport({ x: 32 - bounds.x * FAR_ZOOM, y: 24 - bounds.y * FAR_ZOOM, zoom: FAR_ZOOM });
      else void flow.fitView({ padding: 0.12, maxZoom: 1.1 });
      if (performance.getEntriesByName(FIRST_RENDER_MARK).length === 0) performance.mark(FIRST_RENDER_MARK);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hasNodes, flow]);

  // Focusing is a request to look at that part: fit it (the one other time the map moves the viewport).
  const focus = url.filters.focus;
  useEffect(() => {
    if (!fitted.current) return;
    requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1.1, duration: duration() }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus, flow]);

  const centreOn = (id: string) => {
    const p = graph.positions.get(id);
    if (p) void flow.setCenter(p.x + NODE_WIDTH / 2, p.y + NODE_HEIGHT / 2, { zoom: Math.max(flow.getZoom(), 0.9), duration: duration() });
  };

  useMapKeys({
    fit: () => void flow.fitView({ padding: 0.12, maxZoom: 1.1, duration: duration() }),
    clear,
    selectFirstMatch: () => {
      const first = matches[0];
      if (!first) return;
      select({ kind: 'node', id: first });
      centreOn(first);
      (document.activeElement as HTMLElement | null)?.blur(); // so the next `f` fits the map instead of typing
    },
  });

  const onNodeClick = useCallback((_: unknown, node: Node) => select({ kind: 'node', id: node.id }), [select]);
  const onEdgeClick = useCallback((_: unknown, edge: { id: string }) => select({ kind: 'edge', id: edge.id }), [select]);
  const onPaneClick = useCallback(() => select(null), [select]);
  // A new function whenever some node's health changes, so the minimap redraws its colours then (and only then).
  const healthVersion = useMapStore((s) => s.healthVersion);
  const nodeColor = useCallback(
    (node: Node) => HEALTH_COLOUR[store.getState().nodeFigures.get(node.id)?.health ?? 'unknown'],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, healthVersion],
  );
  // Enter on a node focused with Tab opens its details (React Flow's focusable wrapper carries the node id).
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      const target = e.target as HTMLElement;
      if ((e.key === 'Enter' || e.key === ' ') && target.classList.contains('react-flow__node') && target.dataset.id) {
        e.preventDefault();
        select({ kind: 'node', id: target.dataset.id });
      }
    },
    [select],
  );

  return (
    <div className="map-canvas" data-testid="map-canvas" onKeyDown={onKeyDown} ref={container}>
      <ReactFlow
        nodes={graph.nodes}
        edges={graph.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodeClick={onNodeClick}
        onEdgeClick={onEdgeClick}
        onPaneClick={onPaneClick}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        onlyRenderVisibleElements={graph.nodes.length > CULL_ABOVE}
        minZoom={0.02}
        maxZoom={2}
        colorMode={theme}
        proOptions={{ hideAttribution: false }}
      >
        <Background variant={BackgroundVariant.Dots} gap={24} size={1} />
        <MiniMap pannable zoomable nodeColor={nodeColor} nodeStrokeWidth={0} ariaLabel="Overview of the whole map" />
        <Controls showInteractive={false} position="top-right" />
        <TickProbe />
      </ReactFlow>
      <MapLegend />
      {empty ? (
        <div className="map-empty" data-testid="map-empty" role="status">
          {empty}
        </div>
      ) : null}
    </div>
  );
});
