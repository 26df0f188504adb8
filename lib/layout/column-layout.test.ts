import { describe, expect, it } from 'vitest';
import { MAX_FLOW_COLUMNS, layoutColumns, type LayoutEdge, type LayoutNode, type LayoutResult, type Point } from './column-layout';
import { seededRandom } from '../random';

const W = 160;
const H = 40;
const ROW_GAP = 16;

function node(kind: string, name: string, width = W, height = H): LayoutNode {
  return { id: `${kind}:${name}`, kind, name, width, height };
}
const svc = (name: string) => `service:${name}`;
const topic = (name: string) => `topic:${name}`;
const group = (name: string) => `consumerGroup:${name}`;
const edge = (from: string, to: string): LayoutEdge => ({ from, to });

/** Nodes for every id the edges name (kind and name read from the id), plus `extra` ids. */
function graph(edges: LayoutEdge[], extra: string[] = []): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  const ids = new Set([...edges.flatMap((e) => [e.from, e.to]), ...extra]);
  const nodes = [...ids].map((id) => node(id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)));
  return { nodes, edges };
}

/** The demo system from the README. */
function demo() {
  return graph([
    edge(svc('signup-service'), topic('user.registered')),
    edge(topic('user.registered'), group('email-service')),
    edge(topic('user.registered'), group('analytics-service')),
    edge(group('email-service'), svc('email-service')),
    edge(group('analytics-service'), svc('analytics-service')),
    edge(svc('email-service'), topic('email.dlq')),
    edge(topic('user.registered'), topic('email.dlq')), // deadLetters
    edge(svc('order-service'), topic('orders')),
    edge(topic('orders'), group('payment-service')),
    edge(group('payment-service'), svc('payment-service')),
    edge(svc('payment-service'), topic('payments')),
    edge(topic('payments'), group('ledger-service')),
    edge(group('ledger-service'), svc('ledger-service')),
  ]);
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Comparable form of a result, independent of Map insertion order. */
function snapshot(r: LayoutResult) {
  const sorted = <V>(m: Map<string, V>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { positions: sorted(r.positions), columns: sorted(r.columns), width: r.width, height: r.height };
}

/** Node ids per column, top to bottom. */
function columnOrder(r: LayoutResult): string[][] {
  const out: string[][] = [];
  for (const [id, c] of r.columns) (out[c] ??= []).push(id);
  return out.map((ids) => (ids ?? []).sort((a, b) => r.positions.get(a)!.y - r.positions.get(b)!.y));
}

/** Existing nodes' top-to-bottom order per column, the new ones left out. */
function existingOrder(r: LayoutResult, previous: ReadonlyMap<string, Point>): string[][] {
  return columnOrder(r).map((ids) => ids.filter((id) => previous.has(id)));
}

function expectNoOverlap(nodes: readonly LayoutNode[], r: LayoutResult, rowGap = ROW_GAP) {
  // Per column: stacked with at least rowGap between boxes. Across columns: x ranges disjoint.
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ranges: Array<[number, number]> = [];
  for (const ids of columnOrder(r)) {
    if (ids.length === 0) continue;
    const x = r.positions.get(ids[0]!)!.x;
    let right = x;
    for (let k = 0; k < ids.length; k++) {
      const p = r.positions.get(ids[k]!)!;
      const n = byId.get(ids[k]!)!;
      expect(p.x).toBe(x);
      right = Math.max(right, x + n.width);
      if (k > 0) {
        const above = r.positions.get(ids[k - 1]!)!;
        expect(p.y).toBeGreaterThanOrEqual(above.y + byId.get(ids[k - 1]!)!.height + rowGap);
      }
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y + n.height).toBeLessThanOrEqual(r.height);
    }
    ranges.push([x, right]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let k = 1; k < ranges.length; k++) expect(ranges[k]![0]).toBeGreaterThanOrEqual(ranges[k - 1]![1]);
  expect(Math.max(0, ...ranges.map(([, right]) => right))).toBe(r.width);
}

/** Crossings between edges joining adjacent columns. */
function crossings(edges: readonly LayoutEdge[], columns: Map<string, number>, rank: (id: string) => number): number {
  const spans = edges
    .filter((e) => columns.get(e.to)! - columns.get(e.from)! === 1)
    .map((e) => ({ c: columns.get(e.from)!, a: rank(e.from), b: rank(e.to) }));
  let count = 0;
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const s = spans[i]!;
      const t = spans[j]!;
      if (s.c === t.c && (s.a - t.a) * (s.b - t.b) < 0) count++;
    }
  }
  return count;
}

describe('layoutColumns: columns', () => {
  it('puts the demo system in flow order: writers, topics, groups, services, the topics they write', () => {
    const { nodes, edges } = demo();
    const r = layoutColumns(nodes, edges);
    expect(Object.fromEntries(r.columns)).toEqual({
      [svc('signup-service')]: 0,
      [topic('user.registered')]: 1,
      [group('email-service')]: 2,
      [group('analytics-service')]: 2,
      [svc('email-service')]: 3,
      [svc('analytics-service')]: 3,
      [topic('email.dlq')]: 4,
      [svc('order-service')]: 0,
      [topic('orders')]: 1,
      [group('payment-service')]: 2,
      [svc('payment-service')]: 3,
      [topic('payments')]: 4,
      [group('ledger-service')]: 5,
      [svc('ledger-service')]: 6,
    });
  });

  it('draws every edge of an acyclic graph strictly left to right, and never overlaps two nodes', () => {
    const { nodes, edges } = demo();
    const r = layoutColumns(nodes, edges);
    for (const e of edges) {
      expect(r.columns.get(e.from)!).toBeLessThan(r.columns.get(e.to)!);
      expect(r.positions.get(e.from)!.x + W).toBeLessThan(r.positions.get(e.to)!.x);
    }
    expectNoOverlap(nodes, r);
  });

  it('places columns side by side (widest node + columnGap), each stacked from the top', () => {
    const nodes = [node('service', 'a', 100), node('service', 'b', 300), node('topic', 't', 50, 80), node('consumerGroup', 'g', 120)];
    const edges = [edge(svc('a'), topic('t')), edge(svc('b'), topic('t')), edge(topic('t'), group('g'))];
    const r = layoutColumns(nodes, edges, { columnGap: 10, rowGap: 20 });
    expect(r.positions.get(svc('a'))).toEqual({ x: 0, y: 0 });
    expect(r.positions.get(svc('b'))).toEqual({ x: 0, y: 60 });
    expect(r.positions.get(topic('t'))).toEqual({ x: 310, y: 0 });
    expect(r.positions.get(group('g'))).toEqual({ x: 370, y: 0 });
    expect(r.width).toBe(490);
    expect(r.height).toBe(100);
  });

  it('pulls a source next to its successor instead of leaving it in column 0 with a long edge', () => {
    const { nodes, edges } = graph([...demo().edges, edge(svc('audit-service'), topic('payments'))]);
    const r = layoutColumns(nodes, edges);
    expect(r.columns.get(svc('audit-service'))).toBe(3);
    expect(r.columns.get(topic('payments'))).toBe(4);
    // A source with successors in several columns goes beside the leftmost one.
    const two = graph([edge(svc('x'), topic('a')), edge(topic('a'), group('g')), edge(svc('y'), group('g')), edge(svc('y'), topic('a'))]);
    expect(layoutColumns(two.nodes, two.edges).columns.get(svc('y'))).toBe(0);
  });

  it('keeps topics out of the writers\' column and groups out of the topics\' column, even with no known writer', () => {
    // A topic nothing known writes to, read by a group: without the minimum it would sit in column 0 and its group in 1.
    const { nodes, edges } = graph([...demo().edges, edge(topic('legacy.feed'), group('importer')), edge(group('importer'), svc('importer'))]);
    const { columns } = layoutColumns(nodes, edges);
    expect(columns.get(topic('legacy.feed'))).toBe(1);
    expect(columns.get(group('importer'))).toBe(2);
    expect(columns.get(svc('importer'))).toBe(3);
    expect(columns.get(svc('signup-service'))).toBe(0);
  });

  it('ignores edges to unknown ids, self-loops and duplicates', () => {
    const { nodes, edges } = demo();
    const noisy = [...edges, edge(svc('signup-service'), topic('nowhere')), edge(topic('orders'), topic('orders')), ...edges.slice(0, 3)];
    expect(snapshot(layoutColumns(nodes, noisy))).toEqual(snapshot(layoutColumns(nodes, edges)));
  });

  it('lays out an empty graph', () => {
    const r = layoutColumns([], [edge('a', 'b')]);
    expect(r).toEqual({ positions: new Map(), columns: new Map(), width: 0, height: 0 });
  });
});

describe('layoutColumns: nodes without edges', () => {
  it('puts idle topics with the leftmost topics, idle groups with the leftmost groups, anything else in column 0', () => {
    // Connector chain: the first topic is in column 2 and the first group in column 3, not the defaults.
    const { nodes, edges } = graph(
      [edge('externalSystem:db', 'connector:cdc'), edge('connector:cdc', topic('cdc.users')), edge(topic('cdc.users'), group('indexer'))],
      [topic('idle'), group('idle'), svc('idle'), 'streamApp:idle'],
    );
    const r = layoutColumns(nodes, edges);
    expect(r.columns.get(topic('cdc.users'))).toBe(2);
    expect(r.columns.get(topic('idle'))).toBe(2);
    expect(r.columns.get(group('idle'))).toBe(3);
    expect(r.columns.get(svc('idle'))).toBe(0);
    expect(r.columns.get('streamApp:idle')).toBe(0);
    expectNoOverlap(nodes, r);
  });

  it('defaults to column 1 for topics and 2 for groups; empty columns take no room', () => {
    const r = layoutColumns([node('topic', 't'), node('consumerGroup', 'g')], []);
    expect(r.columns.get(topic('t'))).toBe(1);
    expect(r.columns.get(group('g'))).toBe(2);
    expect(r.positions.get(topic('t'))).toEqual({ x: 0, y: 0 });
    expect(r.positions.get(group('g'))).toEqual({ x: W + 120, y: 0 });
    expect(r.width).toBe(2 * W + 120);
  });
});

describe('layoutColumns: order within a column', () => {
  it('orders by name when nothing else decides (ties by id)', () => {
    const nodes = [node('topic', 'b'), node('topic', 'a'), node('consumerGroup', 'a'), node('service', 'c')];
    expect(columnOrder(layoutColumns(nodes, []))).toEqual([[svc('c')], [topic('a'), topic('b')], [group('a')]]);
    const same = [node('service', 'same'), { ...node('service', 'same'), id: 'connector:same', kind: 'connector' }];
    expect(columnOrder(layoutColumns(same, []))[0]).toEqual(['connector:same', svc('same')]);
  });

  it('uncrosses edges that name order would cross', () => {
    // Name order puts a, b, c over t1, t2, t3: every pair of edges crosses. Barycenter order crosses none.
    const { nodes, edges } = graph([edge(svc('a'), topic('t3')), edge(svc('b'), topic('t2')), edge(svc('c'), topic('t1')), edge(topic('t1'), group('g'))]);
    const r = layoutColumns(nodes, edges);
    const nameRank = new Map([svc('a'), svc('b'), svc('c'), topic('t1'), topic('t2'), topic('t3')].map((id, k) => [id, k % 3]));
    expect(crossings(edges, r.columns, (id) => nameRank.get(id) ?? 0)).toBe(3); // the test's premise: name order crosses
    expect(crossings(edges, r.columns, (id) => r.positions.get(id)!.y)).toBe(0);
  });

  it('keeps a node in place during a sweep that finds no neighbours for it on that side', () => {
    // Topic a has no writer: the left-to-right sweep has nothing to sort it by, so it stays first (not the middle).
    const { nodes, edges } = graph([edge(svc('w1'), topic('c')), edge(svc('w2'), topic('b')), edge(topic('c'), group('g')), edge(topic('a'), group('g'))]);
    expect(columnOrder(layoutColumns(nodes, edges))[1]).toEqual([topic('a'), topic('c'), topic('b')]);
  });

  it('uncrosses the demo graph', () => {
    const { nodes, edges } = demo();
    const r = layoutColumns(nodes, edges);
    expect(crossings(edges, r.columns, (id) => r.positions.get(id)!.y)).toBe(0);
  });

  it('gives the same result whatever the order of the input arrays', () => {
    const { nodes, edges } = graph([...demo().edges, edge(svc('audit-service'), topic('payments')), edge(svc('audit-service'), topic('user.registered'))], [topic('idle')]);
    const expected = snapshot(layoutColumns(nodes, edges));
    const random = seededRandom(7);
    for (let run = 0; run < 20; run++) {
      expect(snapshot(layoutColumns(shuffled(nodes, random), shuffled(edges, random)))).toEqual(expected);
    }
  });
});

describe('layoutColumns: cycles', () => {
  it('breaks a service that consumes its own topic into writer → topic → group, deterministically', () => {
    // order-service writes orders and reads it back through its own group: nothing feeds the cycle.
    const { nodes, edges } = graph([edge(svc('order-service'), topic('orders')), edge(topic('orders'), group('order-service')), edge(group('order-service'), svc('order-service'))]);
    const r = layoutColumns(nodes, edges);
    expect(Object.fromEntries(r.columns)).toEqual({ [svc('order-service')]: 0, [topic('orders')]: 1, [group('order-service')]: 2 });
    const backwards = edges.filter((e) => r.columns.get(e.from)! >= r.columns.get(e.to)!);
    expect(backwards).toEqual([edge(group('order-service'), svc('order-service'))]);
    const random = seededRandom(3);
    for (let run = 0; run < 10; run++) expect(snapshot(layoutColumns(shuffled(nodes, random), shuffled(edges, random)))).toEqual(snapshot(r));
  });

  it('enters a cycle where the data enters it from outside', () => {
    const { nodes, edges } = graph([
      edge(svc('web'), topic('jobs')),
      edge(topic('jobs'), group('worker')),
      edge(group('worker'), svc('worker')),
      edge(svc('worker'), topic('jobs')), // retries go back onto the same topic
    ]);
    const r = layoutColumns(nodes, edges);
    expect(Object.fromEntries(r.columns)).toEqual({ [svc('web')]: 0, [topic('jobs')]: 1, [group('worker')]: 2, [svc('worker')]: 3 });
    expectNoOverlap(nodes, r);
  });
});

describe('layoutColumns: stability with a previous layout', () => {
  it('keeps every existing node in order and within one row of where it was when a group is added', () => {
    const { nodes, edges } = demo();
    const before = layoutColumns(nodes, edges);
    const after = layoutColumns(
      [...nodes, node('consumerGroup', 'fraud-service')],
      [...edges, edge(topic('orders'), group('fraud-service'))],
      { previous: before.positions },
    );
    expect(existingOrder(after, before.positions)).toEqual(columnOrder(before));
    for (const [id, p] of before.positions) {
      expect(after.positions.get(id)!.x).toBe(p.x);
      expect(Math.abs(after.positions.get(id)!.y - p.y)).toBeLessThanOrEqual(H + ROW_GAP);
    }
    // The new group lands beside its sibling reader of orders.
    const groups = columnOrder(after)[2]!;
    expect(Math.abs(groups.indexOf(group('fraud-service')) - groups.indexOf(group('payment-service')))).toBe(1);
    expectNoOverlap([...nodes, node('consumerGroup', 'fraud-service')], after);
  });

  it('puts a new node without neighbours at the end of its column', () => {
    const { nodes, edges } = demo();
    const before = layoutColumns(nodes, edges);
    const after = layoutColumns([...nodes, node('topic', 'aaa.first.by.name')], edges, { previous: before.positions });
    expect(columnOrder(after)[1]!.at(-1)).toBe(topic('aaa.first.by.name'));
    expect(existingOrder(after, before.positions)).toEqual(columnOrder(before));
  });

  it('keeps the previous order even where a sweep would choose another', () => {
    const { nodes, edges } = graph([edge(svc('a'), topic('t1')), edge(svc('b'), topic('t2'))]);
    expect(columnOrder(layoutColumns(nodes, edges))).toEqual([[svc('a'), svc('b')], [topic('t1'), topic('t2')]]);
    // The user's previous map had them the other way up (crossing, even): it stays that way.
    const previous = new Map<string, Point>([
      [svc('a'), { x: 0, y: 100 }],
      [svc('b'), { x: 0, y: 0 }],
      [topic('t1'), { x: 300, y: 0 }],
      [topic('t2'), { x: 300, y: 100 }],
    ]);
    const r = layoutColumns([...nodes, node('service', 'c')], [...edges, edge(svc('c'), topic('t2'))], { previous });
    expect(columnOrder(r)).toEqual([[svc('b'), svc('a'), svc('c')], [topic('t1'), topic('t2')]]);
  });

  it('without usable previous positions, lays out as if there were none', () => {
    const { nodes, edges } = demo();
    const fresh = snapshot(layoutColumns(nodes, edges));
    expect(snapshot(layoutColumns(nodes, edges, { previous: new Map() }))).toEqual(fresh);
    expect(snapshot(layoutColumns(nodes, edges, { previous: new Map([['service:gone', { x: 1, y: 2 }]]) }))).toEqual(fresh);
  });
});

describe('layoutColumns: a large generated graph (1,000 nodes, 2,000 edges)', () => {
  const KINDS = ['service', 'topic', 'consumerGroup', 'connector'];
  /**
   * A company-shaped flow: nodes sit in 6 hidden tiers and edges go one or two tiers on, so the flow is 6 columns
   * deep however many nodes there are. Heights vary so stacking is exercised. withCycles turns 10 % of edges back.
   */
  function generate(seed: number, withCycles: boolean) {
    const random = seededRandom(seed);
    const nodes = Array.from({ length: 1000 }, (_, i) => node(KINDS[i % KINDS.length]!, `n${String(i).padStart(4, '0')}`, 120 + (i % 3) * 20, 32 + (i % 2) * 16));
    const order = shuffled([...nodes.keys()], random);
    const tiers = Array.from({ length: 6 }, (_, t) => order.filter((_, k) => k % 6 === t));
    const pick = (t: number) => tiers[t]![Math.floor(random() * tiers[t]!.length)]!;
    const edges: LayoutEdge[] = [];
    while (edges.length < 2000) {
      const t = Math.floor(random() * 5);
      let a = pick(t);
      let b = pick(Math.min(5, t + (random() < 0.8 ? 1 : 2)));
      if (withCycles && random() < 0.1) [a, b] = [b, a];
      edges.push(edge(nodes[a]!.id, nodes[b]!.id));
    }
    return { nodes, edges };
  }

  it('lays out an acyclic graph: edges left to right, no overlaps, input order irrelevant', () => {
    const { nodes, edges } = generate(1, false);
    const r = layoutColumns(nodes, edges);
    expect(r.positions.size).toBe(1000);
    for (const e of edges) {
      if (e.from === e.to) continue;
      expect(r.columns.get(e.from)!).toBeLessThan(r.columns.get(e.to)!);
      expect(r.positions.get(e.from)!.x).toBeLessThan(r.positions.get(e.to)!.x);
    }
    expectNoOverlap(nodes, r);
    const random = seededRandom(99);
    expect(snapshot(layoutColumns(shuffled(nodes, random), shuffled(edges, random)))).toEqual(snapshot(r));
  });

  it('falls back to columns by kind when the flow is too deep to read left to right', () => {
    // A chain 300 services long: flow layering would need 300 columns.
    const chain: LayoutEdge[] = [];
    for (let i = 0; i < 100; i++) {
      chain.push(edge(svc(`s${i}`), topic(`t${i}`)), edge(topic(`t${i}`), group(`g${i}`)), edge(group(`g${i}`), svc(`s${i + 1}`)));
    }
    const { nodes, edges } = graph(chain);
    const r = layoutColumns(nodes, edges);
    expect(Math.max(...r.columns.values()) + 1).toBeLessThanOrEqual(MAX_FLOW_COLUMNS);
    expect(r.columns.get(svc('s0'))).toBe(0); // nothing feeds it: a pure writer
    expect(r.columns.get(topic('t50'))).toBe(1);
    expect(r.columns.get(group('g50'))).toBe(2);
    expect(r.columns.get(svc('s50'))).toBe(3); // consumes and writes: with the consumers
    expectNoOverlap(nodes, r);
    const random = seededRandom(7);
    expect(snapshot(layoutColumns(shuffled(nodes, random), shuffled(edges, random)))).toEqual(snapshot(r));
  });

  it('lays out a mesh full of cycles deterministically, without overlaps, in a screenful of columns', () => {
    const { nodes, edges } = generate(2, true);
    const r = layoutColumns(nodes, edges);
    expect(r.positions.size).toBe(1000);
    expectNoOverlap(nodes, r);
    // Breaking the cycles leaves paths far deeper than the tiers: the layout must still not sprawl over 100 columns.
    expect(Math.max(...r.columns.values()) + 1).toBeLessThanOrEqual(MAX_FLOW_COLUMNS);
    const random = seededRandom(5);
    expect(snapshot(layoutColumns(shuffled(nodes, random), shuffled(edges, random)))).toEqual(snapshot(r));
  });

  it('adding one reader keeps every existing node in order and moves none by more than its row', () => {
    const { nodes, edges } = generate(3, false);
    const before = layoutColumns(nodes, edges);
    const added = node('consumerGroup', 'new-reader', 120, 48);
    const after = layoutColumns([...nodes, added], [...edges, edge(nodes[500]!.id, added.id)], { previous: before.positions });
    expect(after.columns.get(added.id)).toBe(before.columns.get(nodes[500]!.id)! + 1);
    const kept = existingOrder(after, before.positions);
    expect(kept.slice(0, columnOrder(before).length)).toEqual(columnOrder(before));
    expect(kept.slice(columnOrder(before).length).flat()).toEqual([]);
    for (const [id, p] of before.positions) {
      expect(after.positions.get(id)!.x).toBe(p.x);
      expect(Math.abs(after.positions.get(id)!.y - p.y)).toBeLessThanOrEqual(added.height + ROW_GAP);
    }
    expectNoOverlap([...nodes, added], after);
  });
});
