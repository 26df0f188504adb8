import type { EdgeFiguresPatch, NodeFiguresPatch, Topology, TopologyDelta, TopologyEdge, TopologyNode } from '../contract/topology';
import { applyKeyed, deepEqual, diffKeyed, type KeyedChanges } from '../realtime/keyed-diff';

/** Evidence that is still being observed is re-sent at most this often; only its `lastSeen` would change. */
export const EVIDENCE_REFRESH_MS = 30_000;
/** Confidence ages a little every cycle; smaller moves than this are not worth a message. */
export const CONFIDENCE_STEP = 0.02;

/** Whether anything of an edge other than its figures (rate, bytes, confidence) changed enough to send it whole. */
function edgeShapeChanged(sent: TopologyEdge, next: TopologyEdge): boolean {
  if (sent.state !== next.state || sent.drift !== next.drift || sent.kind !== next.kind || sent.metrics.method !== next.metrics.method) return true;
  if (sent.evidence.length !== next.evidence.length) return true;
  return sent.evidence.some((a, i) => {
    const b = next.evidence[i]!;
    return a.source !== b.source || a.weight !== b.weight || a.firstSeen !== b.firstSeen || Math.abs(b.lastSeen - a.lastSeen) >= EVIDENCE_REFRESH_MS || !deepEqual(a.detail, b.detail);
  });
}

/**
 * The figures an edge is re-sent for: its rate, and its confidence only by CONFIDENCE_STEP. Together with
 * edgeShapeChanged (evidence `lastSeen` only once it moved EVIDENCE_REFRESH_MS) this keeps ageing out of the deltas:
 * without it nearly every edge was re-sent every cycle (1 MB per tick at 2,000 edges).
 */
function edgeFiguresChanged(sent: TopologyEdge, next: TopologyEdge): boolean {
  return sent.metrics.messagesPerSec !== next.metrics.messagesPerSec || sent.metrics.bytesPerSec !== next.metrics.bytesPerSec || Math.abs(sent.confidence - next.confidence) >= CONFIDENCE_STEP;
}

function nodeShapeChanged(sent: TopologyNode, next: TopologyNode): boolean {
  return sent.kind !== next.kind || sent.name !== next.name || sent.hidden !== next.hidden || !deepEqual(sent.detail, next.detail);
}

interface TopologyChanges {
  nodes: KeyedChanges<TopologyNode>;
  edges: KeyedChanges<TopologyEdge>;
  figures: TopologyDelta['figures'];
  /** What the subscribers hold after this delta: the next diff starts from it, so small changes add up. */
  sent: Topology;
}

/** The delta from what subscribers hold (`sent`) to `next`; shared by the server (diff) and tests. */
export function diffTopology(sent: Topology, next: Topology): TopologyChanges {
  const sentNodes = new Map(sent.nodes.map((n) => [n.id, n]));
  const sentEdges = new Map(sent.edges.map((e) => [e.id, e]));
  const nodeUpserts: TopologyNode[] = [];
  const nodePatches: NodeFiguresPatch[] = [];
  const heldNodes: TopologyNode[] = [];
  for (const n of next.nodes) {
    const old = sentNodes.get(n.id);
    if (!old || nodeShapeChanged(old, n)) {
      nodeUpserts.push(n);
      heldNodes.push(n);
    } else if (!deepEqual(old.metrics, n.metrics) || !deepEqual(old.health, n.health)) {
      nodePatches.push({ id: n.id, messagesPerSec: n.metrics.messagesPerSec, unattributedPerSec: n.metrics.unattributedPerSec, health: n.health });
      heldNodes.push({ ...old, metrics: n.metrics, health: n.health });
    } else heldNodes.push(old);
  }
  const edgeUpserts: TopologyEdge[] = [];
  const edgePatches: EdgeFiguresPatch[] = [];
  const heldEdges: TopologyEdge[] = [];
  for (const e of next.edges) {
    const old = sentEdges.get(e.id);
    if (!old || edgeShapeChanged(old, e)) {
      edgeUpserts.push(e);
      heldEdges.push(e);
    } else if (edgeFiguresChanged(old, e)) {
      edgePatches.push({ id: e.id, messagesPerSec: e.metrics.messagesPerSec, bytesPerSec: e.metrics.bytesPerSec, confidence: e.confidence });
      heldEdges.push(patchEdge(old, edgePatches[edgePatches.length - 1]!));
    } else heldEdges.push(old);
  }
  const nodes = { upsert: nodeUpserts, remove: diffKeyed(sent.nodes, next.nodes, (n) => n.id, () => true).remove };
  const edges = { upsert: edgeUpserts, remove: diffKeyed(sent.edges, next.edges, (e) => e.id, () => true).remove };
  return { nodes, edges, figures: { nodes: nodePatches, edges: edgePatches }, sent: { ...next, nodes: heldNodes, edges: heldEdges } };
}

export function isEmptyTopologyChange(c: Pick<TopologyChanges, 'nodes' | 'edges' | 'figures'>): boolean {
  return c.nodes.upsert.length + c.nodes.remove.length + c.edges.upsert.length + c.edges.remove.length + c.figures.nodes.length + c.figures.edges.length === 0;
}

function patchEdge(edge: TopologyEdge, p: EdgeFiguresPatch): TopologyEdge {
  return { ...edge, confidence: p.confidence, metrics: { ...edge.metrics, messagesPerSec: p.messagesPerSec, bytesPerSec: p.bytesPerSec } };
}

/**
 * The client's copy of a live graph after one `topology:delta`. Nodes and edges the delta does not name keep
 * their object identity, so the map can tell cheaply what changed.
 */
export function applyTopologyDelta(current: Topology, delta: Pick<TopologyDelta, 'observedAt' | 'nodes' | 'edges' | 'figures'>): Topology {
  let nodes = applyKeyed(current.nodes, delta.nodes, (n) => n.id);
  let edges = applyKeyed(current.edges, delta.edges, (e) => e.id);
  if (delta.figures.nodes.length > 0) {
    const patches = new Map(delta.figures.nodes.map((p) => [p.id, p]));
    nodes = nodes.map((n) => {
      const p = patches.get(n.id);
      return p ? { ...n, metrics: { messagesPerSec: p.messagesPerSec, unattributedPerSec: p.unattributedPerSec }, health: p.health } : n;
    });
  }
  if (delta.figures.edges.length > 0) {
    const patches = new Map(delta.figures.edges.map((p) => [p.id, p]));
    edges = edges.map((e) => {
      const p = patches.get(e.id);
      return p ? patchEdge(e, p) : e;
    });
  }
  return { ...current, at: delta.observedAt, observedAt: delta.observedAt, nodes, edges };
}
