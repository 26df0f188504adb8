import { describe, expect, it } from 'vitest';
import type { GroupStatus } from '../contract/groups';
import { HEALTH_ORDER, healthOfStatus, nodeHealthLevels, viewFigures, worstHealth, type HealthLevel, type NodeFigures } from './view-figures';
import { DEFAULT_FILTERS, viewGraph, type MapFilters, type ViewGraph } from './view';
import { demoGraph, edge, extend, id, largeGraph, node, type Graph } from './view-test-fixtures';

function figures(graph: Graph, collapse: Partial<MapFilters['collapse']> = {}, rest: Partial<Omit<MapFilters, 'collapse'>> = {}) {
  const health = nodeHealthLevels(graph);
  const view: ViewGraph = viewGraph(graph, { ...DEFAULT_FILTERS, ...rest, collapse: { ...DEFAULT_FILTERS.collapse, ...collapse } }, health);
  return { view, ...viewFigures(graph, view, health) };
}

function allNumbers(values: Iterable<object>): unknown[] {
  const out: unknown[] = [];
  for (const value of values) for (const v of Object.values(value)) if (typeof v === 'number') out.push(v);
  return out;
}

/** payment-service's figures in the demo graph, folded or not: its group's lag and status, its own rate. */
const PAYMENT_SERVICE_FIGURES: NodeFigures = {
  health: 'warn',
  messagesPerSec: 4,
  lag: 40,
  lagSeconds: 8,
  status: 'WARN',
  statusReason: 'lag growing',
  unattributedPerSec: null,
  memberCount: 1,
};

describe('health levels', () => {
  it('maps every group status through statusLevel', () => {
    const cases: [GroupStatus | null, HealthLevel][] = [
      ['OK', 'ok'],
      ['NO_COMMIT', 'ok'],
      ['WARN', 'warn'],
      ['STALL', 'critical'],
      ['STOP', 'critical'],
      ['REWIND', 'critical'],
      ['DATA_LOSS', 'critical'],
      ['EVALUATING', 'unknown'],
      [null, 'unknown'],
    ];
    for (const [status, level] of cases) expect(healthOfStatus(status), String(status)).toBe(level);
  });

  it('orders levels worst first and takes the worst of a set', () => {
    expect(HEALTH_ORDER).toEqual(['critical', 'warn', 'unknown', 'ok']);
    expect(worstHealth(['ok', 'warn', 'unknown'])).toBe('warn');
    expect(worstHealth(['ok', 'unknown'])).toBe('unknown');
    expect(worstHealth(['ok', 'critical', 'warn'])).toBe('critical');
    expect(worstHealth(['ok'])).toBe('ok');
    expect(worstHealth([])).toBe('unknown');
  });

  it('gives groups their status, services the worst of their groups, everything else unknown', () => {
    const graph = extend(
      demoGraph(),
      [node('consumerGroup', 'email-service-retry', { status: 'WARN' }), node('connector', 'sink'), node('consumerGroup', 'connect-sink', { status: 'STOP' })],
      [edge('memberOf', 'consumerGroup:email-service-retry', id.emailService), edge('memberOf', 'consumerGroup:connect-sink', 'connector:sink')],
    );
    const levels = nodeHealthLevels(graph);
    expect(levels.get(id.emailGroup)).toBe('ok');
    expect(levels.get(id.analyticsGroup)).toBe('critical');
    expect(levels.get(id.paymentGroup)).toBe('warn');
    expect(levels.get(id.ledgerGroup)).toBe('unknown');
    expect(levels.get(id.emailService)).toBe('warn'); // OK and WARN groups
    expect(levels.get(id.analyticsService)).toBe('critical');
    expect(levels.get(id.paymentService)).toBe('warn');
    expect(levels.get(id.ledgerService)).toBe('unknown');
    expect(levels.get(id.signup)).toBe('unknown'); // no groups
    expect(levels.get(id.userRegistered)).toBe('unknown');
    expect(levels.get('connector:sink')).toBe('unknown');
    expect(levels.size).toBe(graph.nodes.length);
  });

  it('treats a group without health as unknown', () => {
    const graph = extend(demoGraph(), [{ ...node('consumerGroup', 'bare'), health: null }], []);
    expect(nodeHealthLevels(graph).get('consumerGroup:bare')).toBe('unknown');
  });
});

describe('viewFigures: plain nodes', () => {
  it('gives a group its own figures and a service the sum and max over its groups', () => {
    const { nodes } = figures(demoGraph());
    expect(nodes.get(id.analyticsGroup)).toEqual<NodeFigures>({
      health: 'critical',
      messagesPerSec: 0,
      lag: 500,
      lagSeconds: 120,
      status: 'STALL',
      statusReason: 'commits stopped',
      unattributedPerSec: null,
      memberCount: 1,
    });
    expect(nodes.get(id.paymentService)).toEqual<NodeFigures>(PAYMENT_SERVICE_FIGURES);
    expect(nodes.get(id.userRegistered)).toEqual<NodeFigures>({
      health: 'unknown',
      messagesPerSec: 12,
      lag: null,
      lagSeconds: null,
      status: null,
      statusReason: null,
      unattributedPerSec: 0.5,
      memberCount: 1,
    });
    // A producer with no groups, and a service whose only group is still being evaluated.
    expect(nodes.get(id.signup)).toMatchObject({ health: 'unknown', messagesPerSec: 12, lag: null, lagSeconds: null, status: null });
    expect(nodes.get(id.ledgerService)).toMatchObject({ health: 'unknown', messagesPerSec: null, lag: null, status: 'EVALUATING' });
    expect([...nodes.keys()].sort()).toEqual(figures(demoGraph()).view.nodes.map((n) => n.id));
  });

  it('sums a service\'s groups, takes the worst status with its reason and the largest lagSeconds', () => {
    const graph = extend(
      demoGraph(),
      [node('consumerGroup', 'email-service-retry', { status: 'REWIND', statusReason: 'offsets went back', lag: 7, lagSeconds: 30 }), node('consumerGroup', 'email-service-audit', { status: 'WARN', lag: null, lagSeconds: null })],
      [edge('memberOf', 'consumerGroup:email-service-retry', id.emailService), edge('memberOf', 'consumerGroup:email-service-audit', id.emailService)],
    );
    const { nodes } = figures(graph);
    expect(nodes.get(id.emailService)).toMatchObject({ health: 'critical', lag: 10, lagSeconds: 30, status: 'REWIND', statusReason: 'offsets went back', messagesPerSec: 0.2, memberCount: 1 });
  });
});

describe('viewFigures: collapsed nodes', () => {
  it('gives a service that absorbed its groups the groups\' lag and status and keeps its own rate', () => {
    const { nodes, view } = figures(demoGraph(), { groupsIntoServices: true });
    expect(view.nodes.find((n) => n.id === id.paymentService)?.members).toEqual([id.paymentGroup, id.paymentService]);
    expect(nodes.get(id.paymentService)).toEqual<NodeFigures>(PAYMENT_SERVICE_FIGURES);
    expect(nodes.get(id.analyticsService)).toMatchObject({ health: 'critical', lag: 500, status: 'STALL' });
  });

  it('sums the rates of collapsed topics, with null only when every member is null', () => {
    const graph = extend(
      demoGraph(),
      [node('topic', 'user.deleted', { messagesPerSec: 3, unattributedPerSec: null }), node('topic', 'audit.a'), node('topic', 'audit.b')],
      [],
    );
    const { nodes } = figures(graph, { topicPrefixes: true });
    expect(nodes.get('collapsed:topic:user')).toEqual<NodeFigures>({
      health: 'unknown',
      messagesPerSec: 15,
      lag: null,
      lagSeconds: null,
      status: null,
      statusReason: null,
      unattributedPerSec: 0.5,
      memberCount: 2,
    });
    expect(nodes.get('collapsed:topic:audit')).toMatchObject({ messagesPerSec: null, unattributedPerSec: null, memberCount: 2 });
  });

  it('takes the worst health of collapsed services and sums the lag of every group behind them', () => {
    const graph = extend(
      demoGraph(),
      [node('service', 'payment-api', { messagesPerSec: 1 }), node('consumerGroup', 'payment-api', { status: 'DATA_LOSS', statusReason: 'lost 12', lag: 2, lagSeconds: 900 })],
      [edge('memberOf', 'consumerGroup:payment-api', 'service:payment-api')],
    );
    for (const groupsIntoServices of [false, true]) {
      const { nodes } = figures(graph, { servicePrefixes: true, groupsIntoServices });
      expect(nodes.get('collapsed:service:payment'), String(groupsIntoServices)).toEqual<NodeFigures>({
        health: 'critical',
        messagesPerSec: 5,
        lag: 42,
        lagSeconds: 900,
        status: 'DATA_LOSS',
        statusReason: 'lost 12',
        unattributedPerSec: null,
        memberCount: 2,
      });
    }
    // warn + unknown (a producer without groups) is warn: unknown ranks below warn.
    const producers = extend(demoGraph(), [node('service', 'payment-api')], []);
    expect(figures(producers, { servicePrefixes: true }).nodes.get('collapsed:service:payment')?.health).toBe('warn');
  });
});

describe('viewFigures: edges', () => {
  it('copies a plain edge', () => {
    const { edges } = figures(demoGraph());
    expect(edges.get(`produces|${id.paymentService}|${id.payments}`)).toEqual({ messagesPerSec: 4, state: 'live', confidence: 0.9, drift: 'confirmed' });
    expect(edges.get(`deadLetters|${id.userRegistered}|${id.emailDlq}`)).toEqual({ messagesPerSec: null, state: 'stale', confidence: 0.5, drift: null });
    expect(edges.size).toBe(13);
  });

  it('sums rates, keeps the most live state and the highest confidence of merged edges', () => {
    const graph = extend(
      demoGraph(),
      [node('topic', 'user.deleted'), node('topic', 'user.updated')],
      [
        edge('produces', id.signup, 'topic:user.deleted', { state: 'stale', messagesPerSec: 3, confidence: 0.99, drift: 'observedOnly' }),
        edge('produces', id.signup, 'topic:user.updated', { state: 'recent', messagesPerSec: null, confidence: 0.1, drift: 'declaredOnly' }),
      ],
    );
    const { edges } = figures(graph, { topicPrefixes: true });
    expect(edges.get(`produces|${id.signup}|collapsed:topic:user`)).toEqual({ messagesPerSec: 15, state: 'live', confidence: 0.99, drift: 'declaredOnly' });

    const quiet = extend(demoGraph(), [node('topic', 'x.a'), node('topic', 'x.b')], [
      edge('produces', id.signup, 'topic:x.a', { state: 'declaredOnly', messagesPerSec: null }),
      edge('produces', id.signup, 'topic:x.b', { state: 'stale', messagesPerSec: null }),
    ]);
    expect(figures(quiet, { topicPrefixes: true }).edges.get(`produces|${id.signup}|collapsed:topic:x`)).toMatchObject({ messagesPerSec: null, state: 'stale' });
  });

  it('gives a consumes edge moved onto a service the group\'s consume rate', () => {
    const { edges } = figures(demoGraph(), { groupsIntoServices: true });
    expect(edges.get(`consumes|${id.orders}|${id.paymentService}`)).toEqual({ messagesPerSec: 4.5, state: 'live', confidence: 0.9, drift: null });
  });
});

describe('viewFigures: never NaN', () => {
  it('keeps unknown numbers null, also when members carry NaN or Infinity', () => {
    const poisoned = extend(
      demoGraph(),
      [node('topic', 'bad.a', { messagesPerSec: Number.NaN, unattributedPerSec: Number.POSITIVE_INFINITY }), node('topic', 'bad.b', { messagesPerSec: null }), node('consumerGroup', 'bad', { status: 'OK', lag: Number.NaN, lagSeconds: Number.NaN })],
      [edge('produces', id.signup, 'topic:bad.a', { messagesPerSec: Number.NaN, confidence: Number.NaN }), edge('consumes', 'topic:bad.a', 'consumerGroup:bad', { messagesPerSec: Number.POSITIVE_INFINITY })],
    );
    const { nodes, edges } = figures(poisoned, { topicPrefixes: true });
    expect(nodes.get('collapsed:topic:bad')).toMatchObject({ messagesPerSec: null, unattributedPerSec: null });
    expect(nodes.get('consumerGroup:bad')).toMatchObject({ lag: null, lagSeconds: null, health: 'ok' });
    expect(edges.get(`produces|${id.signup}|collapsed:topic:bad`)).toMatchObject({ messagesPerSec: null, confidence: 0 });
    expect(allNumbers([...nodes.values(), ...edges.values()]).every((n) => Number.isFinite(n))).toBe(true);
  });

  it('has only finite numbers or null on a large generated graph, folded or not', () => {
    const graph = largeGraph(60);
    for (const collapse of [{}, { groupsIntoServices: true, topicPrefixes: true, servicePrefixes: true }]) {
      const { nodes, edges } = figures(graph, collapse);
      const values = [...nodes.values(), ...edges.values()].flatMap((f) => Object.values(f));
      expect(values.some((v) => typeof v === 'number' && !Number.isFinite(v))).toBe(false);
      expect(values.some((v) => v === undefined)).toBe(false);
    }
  });

  it('skips members the topology does not know', () => {
    const graph = demoGraph();
    const view: ViewGraph = {
      nodes: [{ id: 'collapsed:topic:z', kind: 'topic', name: 'z.*', hidden: false, members: ['topic:z.a', id.orders], collapsed: true, context: false }],
      edges: [{ id: 'e', kind: 'produces', from: 'a', to: 'b', members: ['nope'] }],
    };
    const result = viewFigures(graph, view, nodeHealthLevels(graph));
    expect(result.nodes.get('collapsed:topic:z')).toMatchObject({ messagesPerSec: 5, memberCount: 1, health: 'unknown' });
    expect(result.edges.get('e')).toEqual({ messagesPerSec: null, state: 'declaredOnly', confidence: 0, drift: null });
  });
});
