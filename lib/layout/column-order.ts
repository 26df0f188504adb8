/**
 * Order of the nodes inside each column (the vertical axis of the column layout). Nodes are indices in id order.
 * Without a previous layout: name order, then barycenter sweeps to cut crossings. With one: nodes that were there keep
 * their relative order and only new nodes are slotted in, so an update moves the map by at most about one row.
 */
import type { LayoutNode, Point } from './column-layout';
import { compareStrings } from '../compare';

/** Down-and-up sweep pairs. Barycenter ordering settles in a handful of passes; more rarely pays. */
const SWEEP_ROUNDS = 4;
/** Left-to-right-and-back passes placing new nodes: the second pass sees where the first put new neighbours. */
const INSERT_ROUNDS = 2;


export interface OrderInput {
  list: readonly LayoutNode[];
  column: readonly number[];
  columnCount: number;
  /** Undirected: every neighbour sits in another column (edges always cross columns). */
  neighbours: readonly number[][];
  previous: ReadonlyMap<string, Point> | undefined;
  /** Per node: it has a previous position. */
  existing: readonly boolean[];
}

export function orderColumns({ list, column, columnCount, neighbours, previous, existing }: OrderInput): number[][] {
  const byName = (a: number, b: number) => compareStrings(list[a]!.name, list[b]!.name) || a - b;
  const columns: number[][] = Array.from({ length: columnCount }, () => []);
  const stable = previous !== undefined && existing.some(Boolean);
  if (stable) {
    // Previous height first (x only breaks ties between nodes that arrive from different columns).
    const prev = (i: number) => previous.get(list[i]!.id)!;
    const old = [...list.keys()].filter((i) => existing[i]).sort((a, b) => prev(a).y - prev(b).y || prev(a).x - prev(b).x || byName(a, b));
    const fresh = [...list.keys()].filter((i) => !existing[i]).sort(byName);
    for (const i of [...old, ...fresh]) columns[column[i]!]!.push(i);
  } else {
    for (const i of [...list.keys()].sort(byName)) columns[column[i]!]!.push(i);
  }

  const pos = new Int32Array(list.length);
  const index = (members: readonly number[]) => members.forEach((i, k) => (pos[i] = k));
  columns.forEach(index);
  // A node's place measured from its column's middle: columns are centred, so this is what lines up on screen.
  const centred = (i: number) => pos[i]! - (columns[column[i]!]!.length - 1) / 2;
  /** Mean centred place of the neighbours to the left (side −1), right (+1) or both (0); undefined without any. */
  const barycenter = (i: number, side: -1 | 0 | 1): number | undefined => {
    let sum = 0;
    let count = 0;
    for (const j of neighbours[i]!) {
      if (side !== 0 && Math.sign(column[j]! - column[i]!) !== side) continue;
      sum += centred(j);
      count++;
    }
    return count === 0 ? undefined : sum / count;
  };

  /** Sorts column c by barycenter; nodes without neighbours on that side keep their place. True when it changed. */
  const sweep = (c: number, side: -1 | 1): boolean => {
    const members = columns[c]!;
    const key = new Map(members.map((i) => [i, barycenter(i, side) ?? centred(i)]));
    const sorted = [...members].sort((a, b) => key.get(a)! - key.get(b)! || pos[a]! - pos[b]!);
    if (sorted.every((i, k) => i === members[k])) return false;
    columns[c] = sorted;
    index(sorted);
    return true;
  };

  /**
   * Slots column c's new nodes in where their neighbours point (the slot whose centred place is nearest their
   * barycenter), new nodes without neighbours at the end; the old nodes' order is never touched.
   */
  const insert = (c: number) => {
    const members = columns[c]!;
    const fresh = members.filter((i) => !existing[i]);
    if (fresh.length === 0) return;
    const old = members.filter((i) => existing[i]);
    const last = members.length - 1;
    const bary = new Map(fresh.map((i) => [i, barycenter(i, 0)]));
    const slot = new Map(fresh.map((i) => {
      const b = bary.get(i);
      return [i, b === undefined ? last : Math.min(last, Math.max(0, Math.round(b + last / 2)))];
    }));
    fresh.sort((a, b) => slot.get(a)! - slot.get(b)! || (bary.get(a) ?? Infinity) - (bary.get(b) ?? Infinity) || byName(a, b));
    const merged: number[] = [];
    let o = 0;
    let f = 0;
    for (let s = 0; s <= last; s++) {
      const takeFresh = f < fresh.length && (slot.get(fresh[f]!)! <= s || o >= old.length);
      merged.push(takeFresh ? fresh[f++]! : old[o++]!);
    }
    columns[c] = merged;
    index(merged);
  };

  const last = columnCount - 1;
  if (stable) {
    for (let round = 0; round < INSERT_ROUNDS; round++) {
      for (let c = 0; c <= last; c++) insert(c);
      for (let c = last; c >= 0; c--) insert(c);
    }
  } else {
    for (let round = 0; round < SWEEP_ROUNDS; round++) {
      let changed = false;
      for (let c = 1; c <= last; c++) changed = sweep(c, -1) || changed;
      for (let c = last - 1; c >= 0; c--) changed = sweep(c, 1) || changed;
      if (!changed) break;
    }
  }
  return columns;
}
