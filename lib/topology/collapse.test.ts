import { describe, expect, it } from 'vitest';
import { collapseGraph, prefixOf, type WorkEdge, type WorkNode } from './collapse';
import { DEFAULT_FILTERS, nodeHealthLevels, viewGraph, type MapFilters, type ViewGraph } from './view';
import { demoGraph, edge, extend, id, node, type Graph } from './view-test-fixtures';

function view(graph: Graph, collapse: Partial<MapFilters['collapse']>, rest: Partial<Omit<MapFilters, 'collapse'>> = {}): ViewGraph {
  const filters: MapFilters = { ...DEFAULT_FILTERS, ...rest, collapse: { ...DEFAULT_FILTERS.collapse, ...collapse } };
  return viewGraph(graph, filters, nodeHealthLevels(graph));
}
const nodeIds = (v: ViewGraph) => v.nodes.map((n) => n.id);
const edgeIds = (v: ViewGraph) => v.edges.map((e) => e.id);
const byId = (v: ViewGraph, nodeId: string) => v.nodes.find((n) => n.id === nodeId);
const edgeById = (v: ViewGraph, edgeId: string) => v.edges.find((e) => e.id === edgeId);

describe('prefixOf', () => {
  it('cuts at the first of . - _ and says which one', () => {
    expect(prefixOf('user.registered')).toEqual({ prefix: 'user', separator: '.' });
    expect(prefixOf('payment-service')).toEqual({ prefix: 'payment', separator: '-' });
    expect(prefixOf('audit_log.v2')).toEqual({ prefix: 'audit', separator: '_' });
    expect(prefixOf('a-b.c')).toEqual({ prefix: 'a', separator: '-' });
  });
  it('has no prefix without a separator or with nothing before it', () => {
    expect(prefixOf('orders')).toBeNull();
    expect(prefixOf('')).toBeNull();
    expect(prefixOf('__consumer_offsets')).toBeNull();
    expect(prefixOf('.hidden')).toBeNull();
  });
});

describe('groupsIntoServices', () => {
  it('folds a group with one memberOf edge into its service: consumes edges move to the service, memberOf disappears', () => {
    const v = view(demoGraph(), { groupsIntoServices: true });
    expect(v.nodes.some((n) => n.kind === 'consumerGroup')).toBe(false);
    expect(v.edges.some((e) => e.kind === 'memberOf')).toBe(false);
    const consumes = edgeById(v, `consumes|${id.userRegistered}|${id.emailService}`);
    expect(consumes).toEqual({ id: `consumes|${id.userRegistered}|${id.emailService}`, kind: 'consumes', from: id.userRegistered, to: id.emailService, members: [`consumes|${id.userRegistered}|${id.emailGroup}`] });
    expect(byId(v, id.emailService)).toEqual({ id: id.emailService, kind: 'service', name: 'email-service', hidden: false, members: [id.emailGroup, id.emailService], collapsed: false, context: false });
    expect(edgeIds(v)).toEqual([
      `consumes|${id.orders}|${id.paymentService}`,
      `consumes|${id.payments}|${id.ledgerService}`,
      `consumes|${id.userRegistered}|${id.analyticsService}`,
      `consumes|${id.userRegistered}|${id.emailService}`,
      `deadLetters|${id.userRegistered}|${id.emailDlq}`,
      `produces|${id.emailService}|${id.emailDlq}`,
      `produces|${id.orderService}|${id.orders}`,
      `produces|${id.paymentService}|${id.payments}`,
      `produces|${id.signup}|${id.userRegistered}`,
    ]);
  });

  it('leaves a group with no or several memberOf edges, or one to a non-service, as it is', () => {
    const graph = extend(
      demoGraph(),
      [node('consumerGroup', 'shared'), node('service', 'a'), node('service', 'b'), node('consumerGroup', 'orphan'), node('consumerGroup', 'connect-sink'), node('connector', 'sink')],
      [
        edge('consumes', id.orders, 'consumerGroup:shared'),
        edge('memberOf', 'consumerGroup:shared', 'service:a'),
        edge('memberOf', 'consumerGroup:shared', 'service:b'),
        edge('consumes', id.orders, 'consumerGroup:orphan'),
        edge('consumes', id.orders, 'consumerGroup:connect-sink'),
        edge('memberOf', 'consumerGroup:connect-sink', 'connector:sink'),
      ],
    );
    const v = view(graph, { groupsIntoServices: true });
    expect(v.nodes.filter((n) => n.kind === 'consumerGroup').map((n) => n.id)).toEqual(['consumerGroup:connect-sink', 'consumerGroup:orphan', 'consumerGroup:shared']);
    expect(edgeIds(v)).toContain('memberOf|consumerGroup:shared|service:a');
    expect(edgeIds(v)).toContain('memberOf|consumerGroup:connect-sink|connector:sink');
  });

  it('only counts memberOf edges that survived the state filter', () => {
    // ledger-service's memberOf is declaredOnly: without it the group has nothing to fold into.
    const v = view(demoGraph(), { groupsIntoServices: true }, { states: ['live', 'recent', 'stale'] });
    expect(nodeIds(v)).toContain(id.ledgerGroup);
    expect(byId(v, id.ledgerService)?.members).toEqual([id.ledgerService]);
  });

  it('merges the consumes edges of two groups of one service reading the same topic', () => {
    const graph = extend(
      demoGraph(),
      [node('consumerGroup', 'email-service-retry')],
      [edge('consumes', id.userRegistered, 'consumerGroup:email-service-retry'), edge('memberOf', 'consumerGroup:email-service-retry', id.emailService)],
    );
    const v = view(graph, { groupsIntoServices: true });
    expect(edgeById(v, `consumes|${id.userRegistered}|${id.emailService}`)?.members).toEqual([
      `consumes|${id.userRegistered}|${id.emailGroup}`,
      `consumes|${id.userRegistered}|consumerGroup:email-service-retry`,
    ]);
    expect(byId(v, id.emailService)?.members).toEqual([id.emailGroup, 'consumerGroup:email-service-retry', id.emailService]);
  });

  it('keeps a group apart when its id or its service id is expanded', () => {
    const byGroup = view(demoGraph(), { groupsIntoServices: true, expanded: [id.emailGroup] });
    expect(nodeIds(byGroup)).toContain(id.emailGroup);
    expect(nodeIds(byGroup)).not.toContain(id.paymentGroup);
    const byService = view(demoGraph(), { groupsIntoServices: true, expanded: [id.paymentService] });
    expect(nodeIds(byService)).toContain(id.paymentGroup);
    expect(edgeIds(byService)).toContain(`memberOf|${id.paymentGroup}|${id.paymentService}`);
  });
});

describe('prefix collapsing', () => {
  const topics = () =>
    extend(
      demoGraph(),
      [node('topic', 'user.deleted'), node('topic', 'user.registered-dlq'), node('topic', 'audit-log'), node('topic', 'audit-trail'), node('topic', 'audit_x'), node('topic', '__transaction_state', { hidden: true })],
      [
        edge('produces', id.signup, 'topic:user.deleted', { state: 'recent' }),
        edge('deadLetters', id.userRegistered, 'topic:user.registered-dlq'),
        edge('produces', id.emailService, 'topic:audit-log'),
        edge('produces', id.emailService, 'topic:audit-trail'),
      ],
    );

  it('folds topics sharing a prefix into collapsed:topic:<prefix>, named with the separator found', () => {
    const v = view(topics(), { topicPrefixes: true });
    const user = byId(v, 'collapsed:topic:user');
    expect(user).toEqual({
      id: 'collapsed:topic:user',
      kind: 'topic',
      name: 'user.*',
      hidden: false,
      members: ['topic:user.deleted', 'topic:user.registered', 'topic:user.registered-dlq'],
      collapsed: true,
      context: false,
    });
    // Two of the three audit topics use '-', so the name does too.
    expect(byId(v, 'collapsed:topic:audit')?.name).toBe('audit-*');
    expect(byId(v, 'collapsed:topic:audit')?.members).toEqual(['topic:audit-log', 'topic:audit-trail', 'topic:audit_x']);
    // email.dlq has no partner; orders and payments have no separator.
    expect(nodeIds(v)).toContain(id.emailDlq);
    expect(nodeIds(v)).toContain(id.orders);
    expect(nodeIds(v)).toContain(id.payments);
    expect(nodeIds(v).filter((n) => n.startsWith('topic:user'))).toEqual([]);
    // Services are untouched.
    expect(nodeIds(v)).toContain(id.signup);
  });

  it('merges edges that now coincide and drops the self-loops merging creates', () => {
    const v = view(topics(), { topicPrefixes: true });
    expect(edgeById(v, `produces|${id.signup}|collapsed:topic:user`)?.members).toEqual([`produces|${id.signup}|topic:user.deleted`, `produces|${id.signup}|${id.userRegistered}`]);
    expect(edgeById(v, `produces|${id.emailService}|collapsed:topic:audit`)?.members).toEqual([`produces|${id.emailService}|topic:audit-log`, `produces|${id.emailService}|topic:audit-trail`]);
    // user.registered --deadLetters--> user.registered-dlq is inside user.*.
    expect(v.edges.some((e) => e.from === e.to)).toBe(false);
    expect(v.edges.some((e) => e.members.includes(`deadLetters|${id.userRegistered}|topic:user.registered-dlq`))).toBe(false);
    // user.registered --deadLetters--> email.dlq leaves user.*.
    expect(edgeIds(v)).toContain(`deadLetters|collapsed:topic:user|${id.emailDlq}`);
    expect(edgeIds(v)).toContain(`consumes|collapsed:topic:user|${id.emailGroup}`);
    expect(edgeIds(v)).toEqual([...edgeIds(v)].sort());
  });

  it('never folds a name that starts with a separator, and counts only visible nodes', () => {
    const v = view(topics(), { topicPrefixes: true }, { showHidden: true });
    expect(nodeIds(v)).toContain(id.offsets);
    expect(nodeIds(v)).toContain('topic:__transaction_state');
    // One visible "email" topic: nothing to fold, even if a hidden one existed.
    const withHiddenPartner = extend(topics(), [node('topic', 'email.hidden', { hidden: true })], []);
    expect(nodeIds(view(withHiddenPartner, { topicPrefixes: true }))).toContain(id.emailDlq);
    const shown = view(withHiddenPartner, { topicPrefixes: true }, { showHidden: true });
    expect(byId(shown, 'collapsed:topic:email')).toMatchObject({ hidden: false, members: [id.emailDlq, 'topic:email.hidden'] });
  });

  it('a collapsed node is hidden only when all of its members are', () => {
    const graph = extend(demoGraph(), [node('topic', '_x.a', { hidden: true }), node('topic', 'int.a', { hidden: true }), node('topic', 'int.b', { hidden: true })], []);
    const v = view(graph, { topicPrefixes: true }, { showHidden: true });
    expect(byId(v, 'collapsed:topic:int')?.hidden).toBe(true);
  });

  it('leaves expanded prefixes alone', () => {
    const v = view(topics(), { topicPrefixes: true, expanded: ['collapsed:topic:user'] });
    expect(nodeIds(v)).not.toContain('collapsed:topic:user');
    expect(nodeIds(v)).toContain('topic:user.deleted');
    expect(nodeIds(v)).toContain('collapsed:topic:audit');
  });

  it('folds services by prefix, and only services', () => {
    const graph = extend(
      demoGraph(),
      [node('service', 'payment-api', { messagesPerSec: 1 }), node('topic', 'payment-requests')],
      [edge('produces', 'service:payment-api', id.payments), edge('produces', 'service:payment-api', 'topic:payment-requests')],
    );
    const v = view(graph, { servicePrefixes: true });
    expect(byId(v, 'collapsed:service:payment')).toMatchObject({ kind: 'service', name: 'payment-*', members: ['service:payment-api', id.paymentService], collapsed: true });
    expect(nodeIds(v)).toContain('topic:payment-requests');
    expect(nodeIds(v)).toContain(id.paymentGroup);
    expect(edgeById(v, `produces|collapsed:service:payment|${id.payments}`)?.members).toEqual([`produces|service:payment-api|${id.payments}`, `produces|${id.paymentService}|${id.payments}`]);
    expect(edgeIds(v)).toContain(`memberOf|${id.paymentGroup}|collapsed:service:payment`);
  });

  it('folds groups into services first, then the services by prefix, carrying the groups along', () => {
    const graph = extend(demoGraph(), [node('service', 'payment-api')], [edge('produces', 'service:payment-api', id.payments)]);
    const v = view(graph, { servicePrefixes: true, groupsIntoServices: true });
    expect(byId(v, 'collapsed:service:payment')?.members).toEqual([id.paymentGroup, 'service:payment-api', id.paymentService]);
    expect(edgeById(v, `consumes|${id.orders}|collapsed:service:payment`)?.members).toEqual([`consumes|${id.orders}|${id.paymentGroup}`]);
    expect(v.edges.some((e) => e.kind === 'memberOf')).toBe(false);
    // Groups are never folded by prefix: with groups kept apart, two "email-…" groups stay two nodes.
    const groups = extend(demoGraph(), [node('consumerGroup', 'email-service-retry')], []);
    const kept = view(groups, { servicePrefixes: true, topicPrefixes: true });
    expect(nodeIds(kept)).toContain('consumerGroup:email-service-retry');
    expect(nodeIds(kept)).toContain(id.emailGroup);
  });
});

describe('collapseGraph', () => {
  it('does not change its input', () => {
    const nodes = new Map<string, WorkNode>([
      ['topic:a.1', { id: 'topic:a.1', kind: 'topic', name: 'a.1', hidden: false, members: ['topic:a.1'], collapsed: false }],
      ['topic:a.2', { id: 'topic:a.2', kind: 'topic', name: 'a.2', hidden: false, members: ['topic:a.2'], collapsed: false }],
      ['service:s', { id: 'service:s', kind: 'service', name: 's', hidden: false, members: ['service:s'], collapsed: false }],
    ]);
    const edges: WorkEdge[] = [
      { id: 'produces|service:s|topic:a.2', kind: 'produces', from: 'service:s', to: 'topic:a.2', members: ['produces|service:s|topic:a.2'] },
      { id: 'produces|service:s|topic:a.1', kind: 'produces', from: 'service:s', to: 'topic:a.1', members: ['produces|service:s|topic:a.1'] },
    ];
    const before = JSON.stringify({ nodes: [...nodes], edges });
    const out = collapseGraph(nodes, edges, { topicPrefixes: true, servicePrefixes: true, groupsIntoServices: true, expanded: [] });
    expect(JSON.stringify({ nodes: [...nodes], edges })).toBe(before);
    expect(out.edges).toEqual([{ id: 'produces|service:s|collapsed:topic:a', kind: 'produces', from: 'service:s', to: 'collapsed:topic:a', members: ['produces|service:s|topic:a.1', 'produces|service:s|topic:a.2'] }]);
  });
});
