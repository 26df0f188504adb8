'use client';
import { useLayoutEffect, useMemo, useRef } from 'react';
import type { Topology, TopologyNode } from '../../lib/contract';
import { layoutColumns, type Point } from '../../lib/layout/column-layout';
import { kindLabel, nodeFacts } from '../../lib/topology/node-facts';
import { nodeHealthLevels, viewFigures, viewGraph, type HealthLevel, type MapFilters, type ViewGraph, type ViewNode } from '../../lib/topology/view';
import type { FlowEdgeType } from './edges/FlowEdge';
import { useMapStoreApi } from './map-store';
import { NODE_HEIGHT, NODE_WIDTH, type MapNode } from './nodes/NodeShell';

/** Above this many edges, rate labels show only on the selected flow. */
const DENSE_EDGES = 150;

// Known handles and size: React Flow draws edges without measuring 1,000 nodes in the DOM first.
const HANDLES: NonNullable<MapNode['handles']> = [
  { id: null, type: 'target', position: 'left' as never, x: 0, y: NODE_HEIGHT / 2 - 4, width: 1, height: 8 },
  { id: null, type: 'source', position: 'right' as never, x: NODE_WIDTH - 1, y: NODE_HEIGHT / 2 - 4, width: 1, height: 8 },
];

export interface MapGraph {
  view: ViewGraph;
  nodes: MapNode[];
  edges: FlowEdgeType[];
  positions: ReadonlyMap<string, Point>;
}

/**
 * What decides the drawing: the ids of nodes and edges, plus edge states and health levels when a filter uses them.
 * Metrics are not in it, so a tick that only moves figures reuses the view, the layout and React Flow's arrays.
 */
function shapeKey(topology: Topology, filters: MapFilters, health: ReadonlyMap<string, HealthLevel>): string {
  const parts: string[] = [];
  for (const n of topology.nodes) parts.push(filters.health.length ? `${n.id}|${health.get(n.id) ?? ''}` : n.id);
  parts.push('');
  for (const e of topology.edges) parts.push(filters.states.length ? `${e.id}#${e.state}` : e.id);
  return parts.join('\n');
}

/**
 * A node's second line, kept per node object: figure patches replace only a node's metrics and health, and its
 * facts come from its detail, so a tick need not rebuild them for every node.
 */
const facts = new WeakMap<TopologyNode['detail'], string>();
function factsOf(node: TopologyNode): string {
  // Keyed on the detail object, which a figure patch carries over unchanged (a node's kind never changes).
  let text = facts.get(node.detail);
  if (text === undefined) facts.set(node.detail, (text = nodeFacts(node)));
  return text;
}

/** A filter narrows the map; positions laid out then are not remembered, so clearing it brings the old map back. */
function narrows(filters: MapFilters): boolean {
  return filters.focus !== null || filters.kinds.length > 0 || filters.health.length > 0 || filters.states.length > 0;
}

function sameNode(a: MapNode, n: ViewNode, p: Point): boolean {
  return a.position.x === p.x && a.position.y === p.y && a.data.name === n.name && a.data.collapsed === n.collapsed && a.data.context === n.context && a.type === n.kind;
}

/**
 * Topology → the map: the filtered and folded view, its column layout, React Flow's node and edge arrays (rebuilt
 * only when the shape changes, reusing every node object that did not move), and the figures pushed to the map
 * store on every tick.
 */
export function useMapGraph(topology: Topology | null, filters: MapFilters): MapGraph {
  const store = useMapStoreApi();
  const health = useMemo(() => (topology ? nodeHealthLevels(topology) : new Map<string, HealthLevel>()), [topology]);
  const key = topology ? shapeKey(topology, filters, health) : '';
  // Filters arrive as a new object after every URL update (Esc, a click that changed nothing): compare by value.
  const filtersKey = JSON.stringify(filters);
  const latest = useRef({ topology, health, filters });
  latest.current = { topology, health, filters };
  /** Every position the unfiltered map has had: nodes keep their place across focus, filters and folding. */
  const memory = useRef(new Map<string, Point>());
  const built = useRef(new Map<string, MapNode>());

  const shaped = useMemo(() => {
    const { topology: t, health: h, filters: f } = latest.current;
    const view = t ? viewGraph(t, f, h) : { nodes: [], edges: [] };
    const layout = layoutColumns(
      view.nodes.map((n) => ({ id: n.id, kind: n.kind, name: n.name, width: NODE_WIDTH, height: NODE_HEIGHT })),
      view.edges.map((e) => ({ from: e.from, to: e.to })),
      { previous: memory.current, columnGap: 72 },
    );
    if (!narrows(f)) for (const [id, p] of layout.positions) memory.current.set(id, p);
    const dense = view.edges.length > DENSE_EDGES;
    const nextBuilt = new Map<string, MapNode>();
    const nodes: MapNode[] = view.nodes.map((n) => {
      const position = layout.positions.get(n.id) ?? { x: 0, y: 0 };
      const old = built.current.get(n.id);
      // The same object for an unchanged node: React Flow skips it and its component does not re-render.
      const node: MapNode = old && sameNode(old, n, position)
        ? old
        : // `measured` too: fitView counts only measured nodes, and culled nodes are never mounted, so never measured.
          { id: n.id, type: n.kind, position, width: NODE_WIDTH, height: NODE_HEIGHT, measured: { width: NODE_WIDTH, height: NODE_HEIGHT }, handles: HANDLES, data: { name: n.name, kind: n.kind, collapsed: n.collapsed, context: n.context }, draggable: false, connectable: false, selectable: false };
      nextBuilt.set(n.id, node);
      return node;
    });
    built.current = nextBuilt;
    const edges: FlowEdgeType[] = view.edges.map((e) => ({ id: e.id, source: e.from, target: e.to, type: 'flow', data: { kind: e.kind, dense }, selectable: false, focusable: false }));
    return { view, nodes, edges, positions: layout.positions };
    // `key` stands for the topology's shape and `filtersKey` for the filters' values; both are read through `latest`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, filtersKey]);

  // Figures go to the store before paint, in the same frame as the data that carries them.
  useLayoutEffect(() => {
    if (!topology) return;
    const figures = viewFigures(topology, shaped.view, health);
    const byId = new Map(topology.nodes.map((n) => [n.id, n]));
    const notes = new Map<string, string>();
    for (const n of shaped.view.nodes) {
      const source = byId.get(n.id);
      const own = figures.nodes.get(n.id)?.memberCount ?? n.members.length;
      notes.set(n.id, n.collapsed || !source ? `${own} ${kindLabel(n.kind, own)} folded` : factsOf(source));
    }
    store.getState().setFigures(figures.nodes, figures.edges, notes);
  }, [topology, shaped, health, store]);

  // The same object until the shape changes: the canvas below is memoised on it and skips metric ticks.
  return shaped;
}
