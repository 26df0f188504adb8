import type { EdgeState, NodeKind, Topology } from '../contract/topology';
import { compareStrings } from '../compare';
import { collapseGraph, type CollapseOptions, type ViewEdge, type ViewGraph, type ViewNode, type WorkEdge, type WorkNode } from './collapse';
import { membersHealth, type HealthLevel } from './view-figures';

/**
 * The pure view transforms behind the topology map: which nodes and edges to draw for the user's filters, what to
 * fold together, search and the up/downstream of a node. Everything is linear in the graph's size (Maps, no repeated
 * scans) and the output is sorted by id, so the same topology and filters always give the same view.
 */

export type { ViewGraph, ViewNode } from './collapse';
export {
  nodeHealthLevels,
  viewFigures,
  type EdgeFigures,
  type HealthLevel,
  type NodeFigures,
} from './view-figures';

export interface MapFilters {
  /** empty = every kind */
  kinds: NodeKind[];
  /** empty = any health */
  health: HealthLevel[];
  /** empty = every edge state */
  states: EdgeState[];
  /** hidden nodes (internal topics, tool groups) and their edges are dropped unless true */
  showHidden: boolean;
  /** a view node id: keep it plus its flow upstream and downstream, up to the next service either way */
  focus: string | null;
  collapse: CollapseOptions;
}

/** Everything shown, nothing folded, hidden nodes left out. Frozen: copy it before changing anything. */
export const DEFAULT_FILTERS: MapFilters = Object.freeze({
  kinds: Object.freeze([]) as unknown as NodeKind[],
  health: Object.freeze([]) as unknown as HealthLevel[],
  states: Object.freeze([]) as unknown as EdgeState[],
  showHidden: false,
  focus: null,
  collapse: Object.freeze({
    topicPrefixes: false,
    servicePrefixes: false,
    groupsIntoServices: false,
    expanded: Object.freeze([]) as unknown as string[],
  }),
});

function keepEdgesBetween(nodes: ReadonlyMap<string, unknown>, edges: readonly WorkEdge[]): WorkEdge[] {
  return edges.filter((e) => nodes.has(e.from) && nodes.has(e.to));
}

/**
 * The graph to draw. In order: drop hidden nodes (unless showHidden) → drop edges whose state is not in `states` →
 * collapse → kinds → health (matches plus their direct neighbours as context; an edge stays when one of its ends
 * matches) → focus (the focus node plus its upstream and downstream; ignored when the id is not in the view).
 * Nodes and edges come out sorted by id.
 */
export function viewGraph(topology: Pick<Topology, 'nodes' | 'edges'>, filters: MapFilters, health: ReadonlyMap<string, HealthLevel>): ViewGraph {
  // 1. Hidden nodes.
  let nodes = new Map<string, WorkNode>();
  for (const n of topology.nodes) {
    if (n.hidden && !filters.showHidden) continue;
    if (!nodes.has(n.id)) nodes.set(n.id, { id: n.id, kind: n.kind, name: n.name, hidden: n.hidden, members: [n.id], collapsed: false });
  }
  // 2. Edge states (and edges that lost an end).
  const states = filters.states.length > 0 ? new Set(filters.states) : null;
  let edges: WorkEdge[] = [];
  for (const e of topology.edges) {
    if (states && !states.has(e.state)) continue;
    if (!nodes.has(e.from) || !nodes.has(e.to)) continue;
    edges.push({ id: e.id, kind: e.kind, from: e.from, to: e.to, members: [e.id] });
  }
  // 3. Collapse; also merges edges that coincide.
  ({ nodes, edges } = collapseGraph(nodes, edges, filters.collapse));
  // 4. Kinds.
  if (filters.kinds.length > 0) {
    const kinds = new Set(filters.kinds);
    for (const [id, node] of nodes) if (!kinds.has(node.kind)) nodes.delete(id);
    edges = keepEdgesBetween(nodes, edges);
  }
  // 5. Health: matches, and their direct neighbours for context.
  const context = new Set<string>();
  if (filters.health.length > 0) {
    const wanted = new Set(filters.health);
    const matches = new Set<string>();
    for (const [id, node] of nodes) if (wanted.has(membersHealth(node.members, health))) matches.add(id);
    edges = edges.filter((e) => matches.has(e.from) || matches.has(e.to));
    for (const e of edges) {
      if (!matches.has(e.from)) context.add(e.from);
      if (!matches.has(e.to)) context.add(e.to);
    }
    for (const id of [...nodes.keys()]) if (!matches.has(id) && !context.has(id)) nodes.delete(id);
  }
  // 6. Focus.
  if (filters.focus !== null && nodes.has(filters.focus)) {
    const { upstream, downstream } = reach(edges, filters.focus);
    for (const id of [...nodes.keys()]) if (id !== filters.focus && !upstream.has(id) && !downstream.has(id)) nodes.delete(id);
    edges = keepEdgesBetween(nodes, edges);
  }

  const outNodes: ViewNode[] = [];
  for (const node of nodes.values()) outNodes.push({ ...node, context: context.has(node.id) });
  outNodes.sort((a, b) => compareStrings(a.id, b.id));
  const outEdges: ViewEdge[] = edges.map((e) => ({ ...e }));
  outEdges.sort((a, b) => compareStrings(a.id, b.id));
  return { nodes: outNodes, edges: outEdges };
}

/**
 * Kinds that run code: a walk through the flow includes them but does not go past them. Without this bound a walk
 * from any topic follows group → service → the topics it writes → … and lights most of a real map.
 */
const BOUNDARY_KINDS: ReadonlySet<string> = new Set(['service', 'connector', 'streamApp', 'externalSystem', 'unknownProducer', 'client']);

/** The kind part of a node id: `kind:name`, or `collapsed:kind:prefix` for a folded node. */
function kindOfId(id: string): string {
  const first = id.indexOf(':');
  if (first < 0) return '';
  const head = id.slice(0, first);
  if (head !== 'collapsed') return head;
  const second = id.indexOf(':', first + 1);
  return second < 0 ? '' : id.slice(first + 1, second);
}

function reach(edges: readonly { from: string; to: string }[], id: string): { upstream: Set<string>; downstream: Set<string> } {
  const out = new Map<string, string[]>();
  const into = new Map<string, string[]>();
  for (const e of edges) {
    const o = out.get(e.from);
    if (o) o.push(e.to);
    else out.set(e.from, [e.to]);
    const i = into.get(e.to);
    if (i) i.push(e.from);
    else into.set(e.to, [e.from]);
  }
  const walk = (adjacency: ReadonlyMap<string, string[]>): Set<string> => {
    const seen = new Set<string>();
    const stack = [id];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (current !== id && BOUNDARY_KINDS.has(kindOfId(current))) continue; // reached, not crossed
      for (const next of adjacency.get(current) ?? []) {
        if (next === id || seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
    return seen;
  };
  return { upstream: walk(into), downstream: walk(out) };
}

/**
 * Nodes reachable from id following edges forwards (downstream) and, separately, backwards (upstream), up to and
 * including the next service, connector or other running code; never mixes directions (otherwise everything would be
 * included). The node itself is in neither set, even on a cycle; an id
 * that is not a view node gives two empty sets.
 */
export function neighbourhood(view: ViewGraph, id: string): { upstream: Set<string>; downstream: Set<string> } {
  if (!view.nodes.some((n) => n.id === id)) return { upstream: new Set(), downstream: new Set() };
  return reach(view.edges, id);
}

/** The name part of a `kind:name` id. */
function nameOfId(id: string): string {
  const colon = id.indexOf(':');
  return colon < 0 ? id : id.slice(colon + 1);
}

/**
 * Ids of view nodes whose name (or a member's name) contains the query, case-insensitive; best first: exact, prefix,
 * substring, then by name (then id). Empty or blank query → []. The query is only compared as text, never turned
 * into a pattern. Without `topology` a member's name is read from its `kind:name` id.
 */
export function searchNodes(view: ViewGraph, query: string, topology?: Pick<Topology, 'nodes'>): string[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  let names: Map<string, string> | null = null;
  if (topology) {
    names = new Map();
    for (const node of topology.nodes) names.set(node.id, node.name);
  }
  const rankOf = (name: string): number => {
    const hay = name.toLowerCase();
    if (hay === needle) return 0;
    if (hay.startsWith(needle)) return 1;
    return hay.includes(needle) ? 2 : 3;
  };
  const hits: { id: string; name: string; lower: string; rank: number }[] = [];
  for (const node of view.nodes) {
    let rank = rankOf(node.name);
    for (const member of node.members) {
      if (rank === 0) break;
      if (member === node.id) continue;
      rank = Math.min(rank, rankOf(names?.get(member) ?? nameOfId(member)));
    }
    if (rank < 3) hits.push({ id: node.id, name: node.name, lower: node.name.toLowerCase(), rank });
  }
  hits.sort((a, b) => a.rank - b.rank || compareStrings(a.lower, b.lower) || compareStrings(a.name, b.name) || compareStrings(a.id, b.id));
  return hits.map((h) => h.id);
}
