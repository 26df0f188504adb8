import type { Topology, TopologyDelta } from '../contract/topology';
import { applyKeyed } from '../realtime/keyed-diff';

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
