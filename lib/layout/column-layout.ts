/**
 * Column layout of the topology graph: data flows left to right (writer → topic → group → service → topic …).
 * Pure and deterministic, shared by the browser and the server. Design: research/frontend.md §2 ("the graph is
 * bipartite twice over, so a general Sugiyama engine is overkill"): layer by longest path, order each column by
 * name, then a few barycenter sweeps; with a previous layout, existing nodes keep their order and new ones are
 * slotted in, so a topology change never reshuffles the map.
 */
import { compareStrings } from '../compare';
import { orderColumns } from './column-order';

export interface LayoutNode {
  id: string;
  kind: string;
  name: string;
  width: number;
  height: number;
}
export interface LayoutEdge {
  from: string;
  to: string;
}
export interface Point {
  x: number;
  y: number;
}
export interface LayoutOptions {
  /** Positions from the previous layout: nodes that keep their column keep their relative order. */
  previous?: ReadonlyMap<string, Point>;
  columnGap?: number; // default 120 (horizontal space between columns)
  rowGap?: number; // default 16
}
export interface LayoutResult {
  positions: Map<string, Point>;
  /** node id → column index */
  columns: Map<string, number>;
  width: number;
  height: number;
}

const DEFAULT_COLUMN_GAP = 120;
const DEFAULT_ROW_GAP = 16;
/** Columns for nodes without edges when the graph has no connected topic / group to line them up with. */
const DEFAULT_TOPIC_COLUMN = 1;
const DEFAULT_GROUP_COLUMN = 2;
/** Beyond this many flow columns the map cannot be read left to right; the layout falls back to columns by kind. */
export const MAX_FLOW_COLUMNS = 12;

/** Positions are top-left corners (React Flow's convention). Node ids are expected to be unique; a repeated id is ignored. */
export function layoutColumns(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], options: LayoutOptions = {}): LayoutResult {
  const columnGap = options.columnGap ?? DEFAULT_COLUMN_GAP;
  const rowGap = options.rowGap ?? DEFAULT_ROW_GAP;

  // Everything below runs over node indices in id order, so the input's array order cannot reach the result.
  const byId = new Map<string, LayoutNode>();
  for (const node of nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  const list = [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
  const n = list.length;
  const index = new Map(list.map((node, i) => [node.id, i]));

  const pairs: Array<[number, number]> = [];
  const seen = new Set<number>();
  for (const e of edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from === undefined || to === undefined || from === to) continue; // unknown ends and self-loops carry no order
    const key = from * n + to;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push([from, to]);
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: number[][] = list.map(() => []);
  const degree = new Int32Array(n);
  for (const [from, to] of pairs) {
    out[from]!.push(to);
    degree[from]!++;
    degree[to]!++;
  }

  const flowColumns = assignColumns(list, out, degree);
  const column = flowColumns.reduce((max, c) => Math.max(max, c + 1), 0) > MAX_FLOW_COLUMNS ? kindColumns(list, out) : flowColumns;
  const columnCount = column.reduce((max, c) => Math.max(max, c + 1), 0);

  // Undirected neighbours (back edges included): ordering cares about what is drawn next to what, not about direction.
  const neighbours: number[][] = list.map(() => []);
  for (const [from, to] of pairs) {
    neighbours[from]!.push(to);
    neighbours[to]!.push(from);
  }
  const previous = options.previous;
  // A garbage previous position (NaN) would make the order comparison inconsistent: such a node counts as new.
  const existing = list.map((node) => {
    const p = previous?.get(node.id);
    return p !== undefined && Number.isFinite(p.x) && Number.isFinite(p.y);
  });
  const columns = orderColumns({ list, column, columnCount, neighbours, previous, existing });

  return place(list, columns, column, columnGap, rowGap);
}

/**
 * Column per node: cycles broken by a DFS (its back edges are ignored), longest-path layering, sources pulled next to
 * their first successor, nodes without edges by kind.
 */
function assignColumns(list: readonly LayoutNode[], out: readonly number[][], degree: Int32Array): number[] {
  const n = list.length;
  const indegree = new Int32Array(n);
  for (const targets of out) for (const to of targets) indegree[to]!++;

  // DFS roots: real sources first, so a cycle fed from outside is entered where the data enters. A cycle nothing
  // feeds (a service consuming its own topic) starts at a writer rather than at a topic or group, so it still reads
  // writer → topic → group like the rest of the map.
  const rank = (kind: string) => (kind === 'consumerGroup' ? 2 : kind === 'topic' ? 1 : 0);
  const sources = [...list.keys()].filter((i) => indegree[i] === 0);
  const roots = sources.concat([...list.keys()].sort((a, b) => rank(list[a]!.kind) - rank(list[b]!.kind) || a - b));

  const state = new Uint8Array(n); // 0 unvisited, 1 on the DFS stack, 2 done
  const dag: number[][] = list.map(() => []);
  const postOrder: number[] = [];
  const stack: number[] = [];
  const next: number[] = []; // per stack entry: which of its out-edges to try next (iterative: long chains must not overflow)
  for (const root of roots) {
    if (state[root] !== 0) continue;
    state[root] = 1;
    stack.push(root);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const u = stack[top]!;
      const k = next[top]!;
      if (k < out[u]!.length) {
        next[top] = k + 1;
        const v = out[u]![k]!;
        if (state[v] === 1) continue; // back edge: dropping it is what makes the graph acyclic
        dag[u]!.push(v);
        if (state[v] === 0) {
          state[v] = 1;
          stack.push(v);
          next.push(0);
        }
      } else {
        state[u] = 2;
        postOrder.push(u);
        stack.pop();
        next.pop();
      }
    }
  }

  // Topics never stand left of column 1 nor groups left of column 2, even when nothing known writes to them: the map
  // keeps its "writers │ topics │ groups" reading instead of mixing kinds in a column.
  const minimum = list.map((node): number => (node.kind === 'consumerGroup' ? DEFAULT_GROUP_COLUMN : node.kind === 'topic' ? DEFAULT_TOPIC_COLUMN : 0));
  const column = [...minimum];
  const hasIncoming = new Uint8Array(n);
  for (let p = postOrder.length - 1; p >= 0; p--) {
    const u = postOrder[p]!; // reverse post-order is a topological order of the DAG
    for (const v of dag[u]!) {
      column[v] = Math.max(column[v]!, column[u]! + 1);
      hasIncoming[v] = 1;
    }
  }
  // Longest-path layering leaves every source in column 0; a writer of a downstream topic belongs beside it. It is
  // not pulled level with or past a node whose (dropped) back edge comes into it, so back edges still point left.
  const backInto = new Map<number, number[]>();
  for (let w = 0; w < n; w++) {
    const kept = new Set(dag[w]);
    for (const u of out[w]!) if (!kept.has(u)) backInto.set(u, [...(backInto.get(u) ?? []), w]);
  }
  for (let u = 0; u < n; u++) {
    if (hasIncoming[u] || dag[u]!.length === 0) continue;
    const besideSuccessor = dag[u]!.reduce((min, v) => Math.min(min, column[v]!), Infinity) - 1;
    const leftOfBackEdges = (backInto.get(u) ?? []).reduce((min, w) => Math.min(min, column[w]! - 1), Infinity);
    column[u] = Math.max(minimum[u]!, Math.min(besideSuccessor, leftOfBackEdges));
  }

  // Nodes without edges line up with their own kind, so an idle topic stands among the topics.
  const leftmost = (kind: string, fallback: number) => {
    let best = Infinity;
    for (let i = 0; i < n; i++) if (degree[i]! > 0 && list[i]!.kind === kind) best = Math.min(best, column[i]!);
    return best === Infinity ? fallback : best;
  };
  const topicColumn = leftmost('topic', DEFAULT_TOPIC_COLUMN);
  const groupColumn = leftmost('consumerGroup', DEFAULT_GROUP_COLUMN);
  for (let i = 0; i < n; i++) {
    if (degree[i]! > 0) continue;
    const kind = list[i]!.kind;
    column[i] = kind === 'topic' ? topicColumn : kind === 'consumerGroup' ? groupColumn : 0;
  }
  return column;
}

/**
 * Columns by kind, for graphs whose flow is too deep to read left to right (long service chains, or a cluster
 * wired like a mesh, give hundreds of layers): writers nothing feeds │ topics │ consumer groups │ everything that
 * consumes. A service that also writes then draws its produce edges back to the topics column.
 */
function kindColumns(list: readonly LayoutNode[], out: readonly number[][]): number[] {
  const fed = new Uint8Array(list.length);
  for (const targets of out) for (const to of targets) fed[to] = 1;
  return list.map((node, i) => (node.kind === 'topic' ? 1 : node.kind === 'consumerGroup' ? 2 : fed[i] ? 3 : 0));
}

/**
 * Coordinates: columns side by side, each as wide as its widest node; nodes stacked with rowGap; every column
 * stacked from the top. Empty columns (possible only with the kind defaults) take no room.
 */
function place(list: readonly LayoutNode[], columns: readonly number[][], column: readonly number[], columnGap: number, rowGap: number): LayoutResult {
  const columnHeight = columns.map((c) => c.reduce((sum, i) => sum + list[i]!.height, 0) + rowGap * Math.max(0, c.length - 1));
  const height = columnHeight.reduce((max, h) => Math.max(max, h), 0);
  const positions = new Map<string, Point>();
  let x = 0;
  let width = 0;
  for (const members of columns) {
    if (members.length === 0) continue;
    // Top-aligned: centring would shift a whole column by half a row whenever another column grows.
    let y = 0;
    let columnWidth = 0;
    for (const i of members) {
      const node = list[i]!;
      positions.set(node.id, { x, y });
      y += node.height + rowGap;
      columnWidth = Math.max(columnWidth, node.width);
    }
    width = x + columnWidth;
    x = width + columnGap;
  }
  // Same insertion order for every input order (id order), in case a consumer iterates the maps.
  const sortedPositions = new Map(list.map((node) => [node.id, positions.get(node.id)!]));
  const columnsById = new Map(list.map((node, i) => [node.id, column[i]!]));
  return { positions: sortedPositions, columns: columnsById, width, height };
}
