import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, neighbourhood, nodeHealthLevels, searchNodes, viewFigures, viewGraph, type MapFilters, type ViewGraph, type ViewNode } from './view';
import { demoGraph, edge, extend, id, largeGraph, node, shuffled, type Graph } from './view-test-fixtures';

function filters(patch: Partial<Omit<MapFilters, 'collapse'>> & { collapse?: Partial<MapFilters['collapse']> } = {}): MapFilters {
  return { ...DEFAULT_FILTERS, ...patch, collapse: { ...DEFAULT_FILTERS.collapse, ...patch.collapse } };
}
function view(graph: Graph, patch: Parameters<typeof filters>[0] = {}): ViewGraph {
  return viewGraph(graph, filters(patch), nodeHealthLevels(graph));
}
const nodeIds = (v: ViewGraph) => v.nodes.map((n) => n.id);
const edgeIds = (v: ViewGraph) => v.edges.map((e) => e.id);
const byId = (v: ViewGraph, nodeId: string): ViewNode | undefined => v.nodes.find((n) => n.id === nodeId);

describe('DEFAULT_FILTERS', () => {
  it('shows every kind, health and state, hides hidden nodes, folds nothing, and cannot be changed by accident', () => {
    expect(DEFAULT_FILTERS).toEqual({
      kinds: [],
      health: [],
      states: [],
      showHidden: false,
      focus: null,
      collapse: { topicPrefixes: false, servicePrefixes: false, groupsIntoServices: false, expanded: [] },
    });
    expect(() => DEFAULT_FILTERS.kinds.push('topic')).toThrow();
    expect(() => DEFAULT_FILTERS.collapse.expanded.push('x')).toThrow();
  });
});

describe('viewGraph: plain view', () => {
  it('keeps every visible node and edge as its own view node, with the topology ids, sorted by id', () => {
    const graph = demoGraph();
    const v = view(graph);
    const visibleNodes = graph.nodes.filter((n) => !n.hidden).map((n) => n.id);
    expect(nodeIds(v)).toEqual([...visibleNodes].sort());
    expect(v.nodes.every((n) => n.members.length === 1 && n.members[0] === n.id && !n.collapsed && !n.context)).toBe(true);
    const emailGroup = byId(v, id.emailGroup)!;
    expect(emailGroup).toEqual({ id: id.emailGroup, kind: 'consumerGroup', name: 'email-service', hidden: false, members: [id.emailGroup], collapsed: false, context: false });
    // Edge ids are the topology's `kind|from|to`, and every edge keeps itself as its only member.
    expect(v.edges.every((e) => e.members.length === 1 && e.members[0] === e.id)).toBe(true);
    expect(edgeIds(v)).toEqual([...edgeIds(v)].sort());
    expect(v.edges).toHaveLength(13);
  });

  it('drops hidden nodes and every edge that touches one, unless showHidden', () => {
    const v = view(demoGraph());
    expect(nodeIds(v)).not.toContain(id.offsets);
    expect(nodeIds(v)).not.toContain(id.consoleGroup);
    // orders → console-consumer-42 touches a hidden group although orders itself is visible.
    expect(v.edges.some((e) => e.from === id.consoleGroup || e.to === id.consoleGroup || e.from === id.offsets)).toBe(false);

    const shown = view(demoGraph(), { showHidden: true });
    expect(byId(shown, id.offsets)?.hidden).toBe(true);
    expect(byId(shown, id.consoleGroup)?.hidden).toBe(true);
    expect(edgeIds(shown)).toContain(`consumes|${id.orders}|${id.consoleGroup}`);
    expect(shown.edges).toHaveLength(15);
  });

  it('drops edges whose ends are not nodes of the topology', () => {
    const graph = extend(demoGraph(), [], [edge('produces', 'service:ghost', id.orders), edge('consumes', id.orders, 'consumerGroup:ghost')]);
    const v = view(graph);
    expect(v.edges.some((e) => e.id.includes('ghost'))).toBe(false);
    expect(nodeIds(v).some((n) => n.includes('ghost'))).toBe(false);
  });

  it('drops edges whose state is not asked for, and keeps the nodes', () => {
    const v = view(demoGraph(), { states: ['live'] });
    expect(v.edges.every((e) => demoGraph().edges.find((t) => t.id === e.id)?.state === 'live')).toBe(true);
    expect(edgeIds(v)).not.toContain(`consumes|${id.userRegistered}|${id.analyticsGroup}`); // recent
    expect(edgeIds(v)).not.toContain(`deadLetters|${id.userRegistered}|${id.emailDlq}`); // stale
    expect(edgeIds(v)).toContain(`produces|${id.signup}|${id.userRegistered}`);
    expect(nodeIds(v)).toEqual(nodeIds(view(demoGraph())));

    const declared = view(demoGraph(), { states: ['declaredOnly', 'stale'] });
    expect(edgeIds(declared).sort()).toEqual([
      `consumes|${id.payments}|${id.ledgerGroup}`,
      `deadLetters|${id.userRegistered}|${id.emailDlq}`,
      `memberOf|${id.ledgerGroup}|${id.ledgerService}`,
    ]);
  });
});

describe('viewGraph: kinds', () => {
  it('keeps only nodes of the asked kinds and the edges between them', () => {
    const v = view(demoGraph(), { kinds: ['topic', 'consumerGroup'] });
    expect(new Set(v.nodes.map((n) => n.kind))).toEqual(new Set(['topic', 'consumerGroup']));
    expect(new Set(v.edges.map((e) => e.kind))).toEqual(new Set(['consumes', 'deadLetters']));
    expect(v.edges.every((e) => nodeIds(v).includes(e.from) && nodeIds(v).includes(e.to))).toBe(true);
  });

  it('applies after collapsing: groups folded into services are gone even when groups are asked for', () => {
    const v = view(demoGraph(), { kinds: ['consumerGroup', 'topic'], collapse: { groupsIntoServices: true } });
    expect(v.nodes.some((n) => n.kind === 'consumerGroup')).toBe(false);
    expect(v.edges.filter((e) => e.kind === 'consumes')).toEqual([]);
  });
});

describe('viewGraph: health', () => {
  it('keeps the matching nodes and their direct neighbours, flagged as context', () => {
    const v = view(demoGraph(), { health: ['critical'] });
    // analytics-service's group is STALL; the service inherits the worst of its groups.
    expect(v.nodes.filter((n) => !n.context).map((n) => n.id)).toEqual([id.analyticsGroup, id.analyticsService]);
    expect(v.nodes.filter((n) => n.context).map((n) => n.id)).toEqual([id.userRegistered]);
    expect(edgeIds(v)).toEqual([`consumes|${id.userRegistered}|${id.analyticsGroup}`, `memberOf|${id.analyticsGroup}|${id.analyticsService}`]);
  });

  it('does not keep the edges between two context nodes', () => {
    // warn: payment-service group and service. Context: orders (in) and payments (out). order-service is two hops away.
    const v = view(demoGraph(), { health: ['warn'] });
    expect(v.nodes.map((n) => [n.id, n.context])).toEqual([
      [id.paymentGroup, false],
      [id.paymentService, false],
      [id.orders, true],
      [id.payments, true],
    ]);
    expect(nodeIds(v)).not.toContain(id.orderService);
    expect(edgeIds(v)).not.toContain(`produces|${id.orderService}|${id.orders}`);
  });

  it('matches any of several levels; a context node that also matches is not context', () => {
    const v = view(demoGraph(), { health: ['critical', 'warn', 'ok'] });
    const matched = v.nodes.filter((n) => !n.context).map((n) => n.id);
    expect(matched).toEqual([id.analyticsGroup, id.emailGroup, id.paymentGroup, id.analyticsService, id.emailService, id.paymentService]);
    // Topics are 'unknown', so they only come as context.
    expect(v.nodes.filter((n) => n.kind === 'topic').every((n) => n.context)).toBe(true);
  });

  it('uses the health map it is given', () => {
    const health = nodeHealthLevels(demoGraph());
    health.set(id.orders, 'critical');
    const v = viewGraph(demoGraph(), filters({ health: ['critical'] }), health);
    expect(byId(v, id.orders)?.context).toBe(false);
    expect(byId(v, id.orderService)?.context).toBe(true);
    expect(byId(v, id.paymentGroup)?.context).toBe(true);
  });
});

describe('viewGraph: focus', () => {
  it('keeps the focus node, its flow up and down to the next service, and never walks sideways', () => {
    const v = view(demoGraph(), { focus: id.emailGroup });
    expect(nodeIds(v)).toEqual([id.emailGroup, id.emailService, id.signup, id.userRegistered]);
    // analytics-service reads the same topic: reaching it needs a step down after a step up.
    expect(nodeIds(v)).not.toContain(id.analyticsGroup);
    expect(edgeIds(v)).not.toContain(`consumes|${id.userRegistered}|${id.analyticsGroup}`);
    // What email-service writes is past the service, so it is not the group's neighbourhood.
    expect(nodeIds(v)).not.toContain(id.emailDlq);
  });

  it('stops at the next service in each direction, so a focus stays local on a big map', () => {
    const v = view(demoGraph(), { focus: id.orders });
    expect(nodeIds(v)).toEqual([id.paymentGroup, id.orderService, id.paymentService, id.orders]);
    // From a writer: the topic, its readers and their services, and the dead-letter topic fed from that topic.
    const fromTop = view(demoGraph(), { focus: id.signup });
    expect(nodeIds(fromTop)).toEqual([id.analyticsGroup, id.emailGroup, id.analyticsService, id.emailService, id.signup, id.emailDlq, id.userRegistered]);
    expect(edgeIds(fromTop)).toContain(`deadLetters|${id.userRegistered}|${id.emailDlq}`);
  });

  it('is ignored when the id is not in the view (unknown, hidden, or folded away)', () => {
    const all = nodeIds(view(demoGraph()));
    expect(nodeIds(view(demoGraph(), { focus: 'topic:nope' }))).toEqual(all);
    expect(nodeIds(view(demoGraph(), { focus: id.offsets }))).toEqual(all);
    const folded = view(demoGraph(), { focus: id.emailGroup, collapse: { groupsIntoServices: true } });
    expect(nodeIds(folded)).toEqual(nodeIds(view(demoGraph(), { collapse: { groupsIntoServices: true } })));
  });

  it('works on the collapsed view and after the other filters', () => {
    const v = view(demoGraph(), { focus: id.paymentService, collapse: { groupsIntoServices: true }, states: ['live'] });
    // payments → ledger is declaredOnly, so with live edges only the chain stops at payments.
    expect(nodeIds(v)).toEqual([id.orderService, id.paymentService, id.orders, id.payments]);
    expect(edgeIds(v)).toEqual([`consumes|${id.orders}|${id.paymentService}`, `produces|${id.orderService}|${id.orders}`, `produces|${id.paymentService}|${id.payments}`]);
  });
});

describe('neighbourhood', () => {
  it('walks forwards for downstream and backwards for upstream, separately', () => {
    const v = view(demoGraph());
    const { upstream, downstream } = neighbourhood(v, id.emailService);
    expect([...upstream].sort()).toEqual([id.emailGroup, id.signup, id.userRegistered]);
    expect([...downstream]).toEqual([id.emailDlq]);
    const top = neighbourhood(v, id.userRegistered);
    expect([...top.upstream]).toEqual([id.signup]);
    expect([...top.downstream].sort()).toEqual([id.analyticsGroup, id.emailGroup, id.analyticsService, id.emailService, id.emailDlq].sort());
  });

  it('leaves out the node itself even on a cycle, and gives nothing for an unknown id', () => {
    const cycle: ViewGraph = {
      nodes: ['a', 'b', 'c', 'd'].map((n) => ({ id: n, kind: 'topic', name: n, hidden: false, members: [n], collapsed: false, context: false })),
      edges: [
        { id: 'e1', kind: 'deadLetters', from: 'a', to: 'b', members: [] },
        { id: 'e2', kind: 'deadLetters', from: 'b', to: 'a', members: [] },
        { id: 'e3', kind: 'deadLetters', from: 'b', to: 'c', members: [] },
        { id: 'e4', kind: 'deadLetters', from: 'd', to: 'c', members: [] },
      ],
    };
    const { upstream, downstream } = neighbourhood(cycle, 'a');
    expect([...downstream].sort()).toEqual(['b', 'c']);
    expect([...upstream]).toEqual(['b']);
    expect(neighbourhood(cycle, 'c').upstream).toEqual(new Set(['a', 'b', 'd']));
    expect(neighbourhood(cycle, 'zz')).toEqual({ upstream: new Set(), downstream: new Set() });
  });
});

describe('searchNodes', () => {
  const named = (...names: string[]): ViewGraph => ({
    nodes: names.map((name, i) => ({ id: `topic:${i}`, kind: 'topic', name, hidden: false, members: [`topic:${i}`], collapsed: false, context: false })),
    edges: [],
  });

  it('ranks exact, then prefix, then substring, then by name, case-insensitively', () => {
    const v = named('legacy-orders', 'orders-archive', 'ORDERS', 'payments', 'orders', 'Orders.v2', 'aorders');
    const hits = searchNodes(v, 'Orders');
    const names = hits.map((h) => v.nodes.find((n) => n.id === h)!.name);
    expect(names).toEqual(['ORDERS', 'orders', 'orders-archive', 'Orders.v2', 'aorders', 'legacy-orders']);
  });

  it('finds demo nodes by kind-agnostic name and breaks name ties by id', () => {
    const v = view(demoGraph());
    expect(searchNodes(v, 'payment')).toEqual([id.paymentGroup, id.paymentService, id.payments]);
    expect(searchNodes(v, 'payments')).toEqual([id.payments]);
    expect(searchNodes(v, '  registered ')).toEqual([id.userRegistered]);
    expect(searchNodes(v, 'SERVICE')).toHaveLength(10);
  });

  it('matches a member name of a folded node, with or without the topology', () => {
    const graph = extend(demoGraph(), [node('topic', 'user.deleted')], []);
    const v = view(graph, { collapse: { topicPrefixes: true, groupsIntoServices: true } });
    expect(searchNodes(v, 'deleted')).toEqual(['collapsed:topic:user']);
    expect(searchNodes(v, 'deleted', graph)).toEqual(['collapsed:topic:user']);
    expect(searchNodes(v, 'user.*')).toEqual(['collapsed:topic:user']);
    // The folded group's name matches the service it went into (and the service's own name ranks it).
    expect(searchNodes(v, 'ledger-service')).toEqual([id.ledgerService]);
  });

  it('is safe for any input and empty for a blank query', () => {
    const v = view(demoGraph());
    expect(searchNodes(v, '')).toEqual([]);
    expect(searchNodes(v, '   ')).toEqual([]);
    for (const hostile of ['(.*', '\\', '[', '*', '.*', '^$', '?', '+', '${}', '\u0000', 'a'.repeat(10_000), ')(']) {
      expect(() => searchNodes(v, hostile)).not.toThrow();
    }
    expect(searchNodes(v, '(.*')).toEqual([]);
    expect(searchNodes(v, '\\')).toEqual([]);
    expect(searchNodes(v, '.*')).toEqual([]);
    // A literal dot is just a dot.
    expect(searchNodes(v, '.')).toEqual([id.emailDlq, id.userRegistered]);
    const odd = named('a(.*b', 'back\\slash');
    expect(searchNodes(odd, '(.*')).toEqual(['topic:0']);
    expect(searchNodes(odd, '\\')).toEqual(['topic:1']);
  });
});

describe('determinism and size', () => {
  const combos: Parameters<typeof filters>[0][] = [
    {},
    { showHidden: true },
    { collapse: { groupsIntoServices: true, topicPrefixes: true, servicePrefixes: true } },
    { health: ['warn', 'critical'], collapse: { groupsIntoServices: true } },
    { focus: id.orders, states: ['live', 'recent'] },
  ];

  it('gives the same view and figures whatever the order of the input', () => {
    const base = extend(
      demoGraph(),
      [node('topic', 'user.deleted', { messagesPerSec: 1 }), node('service', 'payment-api'), node('consumerGroup', 'email-service-retry', { status: 'WARN', lag: 1 })],
      [
        edge('produces', id.signup, 'topic:user.deleted', { messagesPerSec: 1 }),
        edge('consumes', 'topic:user.deleted', 'consumerGroup:email-service-retry'),
        edge('memberOf', 'consumerGroup:email-service-retry', id.emailService),
        edge('produces', 'service:payment-api', id.payments, { state: 'recent' }),
      ],
    );
    for (const seed of [1, 2, 3]) {
      const mixed = { nodes: shuffled(base.nodes, seed), edges: shuffled(base.edges, seed + 10) };
      for (const combo of combos) {
        const a = view(base, combo);
        const b = view(mixed, combo);
        expect(b).toEqual(a);
        expect(viewFigures(mixed, b, nodeHealthLevels(mixed))).toEqual(viewFigures(base, a, nodeHealthLevels(base)));
      }
    }
  });

  // Speed is measured by bench/topology/map-render.bench.ts, never asserted here; this checks the large case is correct.
  it('handles ~1,000 nodes and ~2,000 edges, folding them down to a readable map', () => {
    const graph = largeGraph(110);
    expect(graph.nodes.length).toBeGreaterThan(950);
    expect(graph.edges.length).toBeGreaterThan(1800);
    const all = filters({ collapse: { groupsIntoServices: true, topicPrefixes: true, servicePrefixes: true } });
    const run = (f: MapFilters) => {
      const health = nodeHealthLevels(graph);
      const v = viewGraph(graph, f, health);
      viewFigures(graph, v, health);
      return v;
    };
    for (const f of [filters(), filters({ health: ['critical'] }), filters({ focus: 'service:team1-svc1', states: ['live'] })]) expect(run(f).nodes.length).toBeGreaterThan(0);
    const collapsed = run(all);
    expect(collapsed.nodes.length).toBeLessThan(100);
  });
});
