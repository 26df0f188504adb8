import type { EdgeKind, NodeKind } from '../contract/topology';
import { compareStrings } from '../compare';

/**
 * Folding of the topology map: consumer groups into the service they run in, and topics or services that share a
 * name prefix (`orders.created`, `orders.paid` → `orders.*`) into one node. Pure: no Node or DOM.
 */

export interface CollapseOptions {
  topicPrefixes: boolean;
  servicePrefixes: boolean;
  groupsIntoServices: boolean;
  /**
   * Collapsed node ids the user expanded again. A service id here also keeps its consumer groups apart under
   * `groupsIntoServices` (as does a group's own id).
   */
  expanded: string[];
}

export interface ViewNode {
  id: string;
  kind: NodeKind;
  name: string;
  hidden: boolean;
  /** ids of the topology nodes folded into it; [id] for a plain node */
  members: string[];
  /** true for a prefix node (`collapsed:<kind>:<prefix>`); a service that only absorbed its groups stays false */
  collapsed: boolean;
  /** kept only as context for a health filter match (draw dimmed) */
  context: boolean;
}

export interface ViewEdge {
  id: string;
  kind: EdgeKind;
  from: string;
  to: string;
  /** ids of the topology edges merged into it */
  members: string[];
}

export interface ViewGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
}

/** A node while the view is being built: no `context` yet. */
export type WorkNode = Omit<ViewNode, 'context'>;
export type WorkEdge = ViewEdge;

const PREFIX_SEPARATORS = ['.', '-', '_'] as const;
type PrefixSeparator = (typeof PREFIX_SEPARATORS)[number];

/** The part of a name before its first `.`, `-` or `_`, and that separator; null without one or with nothing before it. */
export function prefixOf(name: string): { prefix: string; separator: PrefixSeparator } | null {
  for (let i = 0; i < name.length; i += 1) {
    const c = name[i];
    if (c === '.' || c === '-' || c === '_') return i === 0 ? null : { prefix: name.slice(0, i), separator: c };
  }
  return null;
}

function collapsedId(kind: NodeKind, prefix: string): string {
  return `collapsed:${kind}:${prefix}`;
}

function edgeKey(kind: EdgeKind, from: string, to: string): string {
  return `${kind}|${from}|${to}`;
}


/**
 * Applies the collapse options: groups into services first, then topic and service prefixes. Edges are remapped
 * onto the new ids and merged when kind, from and to coincide; self-loops created that way are dropped.
 * Edges whose ends are not among `nodes` are dropped. Member lists come out sorted.
 */
export function collapseGraph(
  nodes: ReadonlyMap<string, WorkNode>,
  edges: readonly WorkEdge[],
  options: CollapseOptions,
): { nodes: Map<string, WorkNode>; edges: WorkEdge[] } {
  const expanded = new Set(options.expanded);
  /** node id → the id of the node it was folded into */
  const rep = new Map<string, string>();

  // 1. Consumer groups with exactly one memberOf edge go into that service.
  const extraMembers = new Map<string, string[]>();
  if (options.groupsIntoServices) {
    const targets = new Map<string, Set<string>>();
    for (const e of edges) {
      if (e.kind !== 'memberOf' || nodes.get(e.from)?.kind !== 'consumerGroup' || !nodes.has(e.to)) continue;
      let set = targets.get(e.from);
      if (!set) targets.set(e.from, (set = new Set()));
      set.add(e.to);
    }
    for (const [group, set] of targets) {
      if (set.size !== 1 || expanded.has(group)) continue;
      const service = set.values().next().value as string;
      if (nodes.get(service)?.kind !== 'service' || expanded.has(service)) continue;
      rep.set(group, service);
      const list = extraMembers.get(service);
      if (list) list.push(...(nodes.get(group)?.members ?? [group]));
      else extraMembers.set(service, [...(nodes.get(group)?.members ?? [group])]);
    }
  }
  const stage = new Map<string, WorkNode>();
  for (const [id, node] of nodes) {
    if (rep.has(id)) continue;
    const extra = extraMembers.get(id);
    stage.set(id, extra ? { ...node, members: [...node.members, ...extra] } : node);
  }

  // 2. Prefixes: at least two nodes of the kind must share one, and the collapsed id must not be expanded.
  const prefixKinds = new Set<NodeKind>();
  if (options.topicPrefixes) prefixKinds.add('topic');
  if (options.servicePrefixes) prefixKinds.add('service');
  const result = new Map<string, WorkNode>();
  if (prefixKinds.size > 0) {
    const buckets = new Map<string, { kind: NodeKind; prefix: string; nodes: WorkNode[]; separators: Record<PrefixSeparator, number> }>();
    for (const node of stage.values()) {
      const found = prefixKinds.has(node.kind) ? prefixOf(node.name) : null;
      if (!found) continue;
      const id = collapsedId(node.kind, found.prefix);
      let bucket = buckets.get(id);
      if (!bucket) buckets.set(id, (bucket = { kind: node.kind, prefix: found.prefix, nodes: [], separators: { '.': 0, '-': 0, _: 0 } }));
      bucket.nodes.push(node);
      bucket.separators[found.separator] += 1;
    }
    for (const [id, bucket] of buckets) {
      if (bucket.nodes.length < 2 || expanded.has(id) || stage.has(id)) continue;
      let separator: PrefixSeparator = '.';
      for (const s of PREFIX_SEPARATORS) if (bucket.separators[s] > bucket.separators[separator]) separator = s;
      const members: string[] = [];
      for (const node of bucket.nodes) {
        members.push(...node.members);
        rep.set(node.id, id);
      }
      result.set(id, {
        id,
        kind: bucket.kind,
        name: `${bucket.prefix}${separator}*`,
        hidden: bucket.nodes.every((n) => n.hidden),
        members,
        collapsed: true,
      });
    }
  }
  for (const [id, node] of stage) if (!rep.has(id)) result.set(id, node);
  for (const [id, node] of result) if (node.members.length > 1) result.set(id, { ...node, members: [...node.members].sort(compareStrings) });

  // Groups folded into a service that was then folded into a prefix node follow it there.
  const resolve = (id: string): string => {
    const first = rep.get(id);
    if (first === undefined) return id;
    return rep.get(first) ?? first;
  };

  const merged = new Map<string, WorkEdge>();
  for (const e of edges) {
    if (!nodes.has(e.from) || !nodes.has(e.to)) continue;
    const from = resolve(e.from);
    const to = resolve(e.to);
    if (from === to) continue;
    const id = edgeKey(e.kind, from, to);
    const existing = merged.get(id);
    if (existing) existing.members.push(...e.members);
    else merged.set(id, { id, kind: e.kind, from, to, members: [...e.members] });
  }
  const outEdges = [...merged.values()];
  for (const e of outEdges) if (e.members.length > 1) e.members.sort(compareStrings);
  return { nodes: result, edges: outEdges };
}
