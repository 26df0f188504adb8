import type { Topology, TopologyDelta, TopologyEdge } from '../contract/topology';
import { applyKeyed, deepEqual } from '../realtime/keyed-diff';

/**
 * The client's copy of a live graph after one `topology:delta`. Nodes and edges the delta does not name keep
 * their object identity, so the map can tell cheaply what changed.
 */
export function applyTopologyDelta(current: Topology, delta: Pick<TopologyDelta, 'observedAt' | 'nodes' | 'edges'>): Topology {
  return {
    ...current,
    at: delta.observedAt,
    observedAt: delta.observedAt,
    nodes: applyKeyed(current.nodes, delta.nodes, (n) => n.id),
    edges: applyKeyed(current.edges, delta.edges, (e) => e.id),
  };
}

/** Evidence that is still being observed is re-sent at most this often; only its `lastSeen` would change. */
export const EVIDENCE_REFRESH_MS = 30_000;
/** Confidence ages a little every cycle; smaller moves than this are not worth a message. */
export const CONFIDENCE_STEP = 0.02;

/**
 * Whether a live subscriber must get `next` in place of the `sent` edge. Everything the map draws or says counts
 * (state, drift, rate, the evidence sources and their details); the confidence only by CONFIDENCE_STEP, and an
 * evidence's `lastSeen` only once it moved EVIDENCE_REFRESH_MS. Without this nearly every edge was re-sent every
 * cycle (1 MB per tick at 2,000 edges) because ageing changes them all a little.
 */
export function edgeNeedsResend(sent: TopologyEdge, next: TopologyEdge): boolean {
  if (sent.state !== next.state || sent.drift !== next.drift || sent.kind !== next.kind) return true;
  if (!deepEqual(sent.metrics, next.metrics)) return true;
  if (Math.abs(sent.confidence - next.confidence) >= CONFIDENCE_STEP) return true;
  if (sent.evidence.length !== next.evidence.length) return true;
  return sent.evidence.some((a, i) => {
    const b = next.evidence[i]!;
    return a.source !== b.source || a.weight !== b.weight || a.firstSeen !== b.firstSeen || Math.abs(b.lastSeen - a.lastSeen) >= EVIDENCE_REFRESH_MS || !deepEqual(a.detail, b.detail);
  });
}
