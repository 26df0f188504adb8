import { describe, expect, it } from 'vitest';
import { buildGraph, combineConfidence, DEFAULT_GRAPH_SETTINGS, edgeState, withoutDeletedTopics, type GraphInput } from './build-graph';
import type { TopologyEdge, TopologyNode } from '../contract/topology';
import type { EvidenceSpan, NodeSpan } from './evidence';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 22, 14, 0, 0);
const settings = { ...DEFAULT_GRAPH_SETTINGS, liveMs: 2 * MIN, recentMs: 60 * MIN, staleMs: 24 * 60 * MIN };

function span(partial: Partial<EvidenceSpan> & Pick<EvidenceSpan, 'edgeKind' | 'from' | 'to' | 'source'>): EvidenceSpan {
  return { key: 'k', weight: 0.6, firstSeen: T0, lastSeen: T0, detail: {}, ...partial };
}
const topic = (name: string) => ({ kind: 'topic' as const, name });
const service = (name: string) => ({ kind: 'service' as const, name });
const group = (name: string) => ({ kind: 'consumerGroup' as const, name });
const input = (spans: EvidenceSpan[], at: number, nodes: NodeSpan[] = []): GraphInput => ({ at, spans, nodes, rates: { topics: new Map(), edges: new Map() }, settings });

// The demo's shape: signup-service writes user.registered, email-service reads it through its group and writes the DLQ.
const demo: EvidenceSpan[] = [
  span({ edgeKind: 'produces', from: service('signup-service'), to: topic('user.registered'), source: 'observed.header', key: 'ce_source:ce_source', firstSeen: T0, lastSeen: T0 + 30 * MIN }),
  span({ edgeKind: 'consumes', from: topic('user.registered'), to: group('email-service'), source: 'observed.groupAssignment', key: 'assignment', weight: 0.95, firstSeen: T0 + 1 * MIN, lastSeen: T0 + 30 * MIN }),
  span({ edgeKind: 'memberOf', from: group('email-service'), to: service('email-service'), source: 'observed.groupAssignment', key: 'members', weight: 0.95, firstSeen: T0 + 1 * MIN, lastSeen: T0 + 30 * MIN }),
  span({ edgeKind: 'produces', from: service('email-service'), to: topic('email.dlq'), source: 'observed.header', key: 'spring_dlt:kafka_dlt-original-consumer-group', weight: 0.8, firstSeen: T0 + 5 * MIN, lastSeen: T0 + 29 * MIN }),
];

describe('edge states', () => {
  it('follows the newest observed evidence: live, recent, stale, then gone', () => {
    const e = [{ source: 'observed.header' as const, weight: 0.6, firstSeen: T0, lastSeen: T0, detail: {} }];
    expect(edgeState(e, T0 + MIN, settings)).toBe('live');
    expect(edgeState(e, T0 + 10 * MIN, settings)).toBe('recent');
    expect(edgeState(e, T0 + 5 * 60 * MIN, settings)).toBe('stale');
    expect(edgeState(e, T0 + 25 * 60 * MIN, settings)).toBeNull();
    expect(edgeState([...e, { ...e[0]!, source: 'declared.asyncapi' }], T0 + 25 * 60 * MIN, settings)).toBe('declaredOnly');
  });

  it('ages confidence per source: an assignment missed for a few polls counts for little, a declaration never fades', () => {
    const assignment = [{ source: 'observed.groupAssignment' as const, weight: 0.95, firstSeen: T0, lastSeen: T0, detail: {} }];
    expect(combineConfidence(assignment, T0, settings)).toBe(0.95);
    expect(combineConfidence(assignment, T0 + 10 * MIN, settings)).toBeLessThan(0.01);
    const both = [...assignment, { source: 'declared.asyncapi' as const, weight: 0.6, firstSeen: T0, lastSeen: T0, detail: {} }];
    // Noisy-OR: 1 - (1 - 0.95)(1 - 0.6)
    expect(combineConfidence(both, T0, settings)).toBe(0.98);
  });
});

describe('buildGraph', () => {
  it('puts a consume-then-produce service between its topics and derives the nodes from the edges', () => {
    const g = buildGraph(input(demo, T0 + 30 * MIN));
    expect(g.nodes.map((n) => n.id)).toEqual(['consumerGroup:email-service', 'service:email-service', 'service:signup-service', 'topic:email.dlq', 'topic:user.registered']);
    const path = ['produces|service:signup-service|topic:user.registered', 'consumes|topic:user.registered|consumerGroup:email-service', 'memberOf|consumerGroup:email-service|service:email-service', 'produces|service:email-service|topic:email.dlq'];
    expect(path.every((id) => g.edges.find((e) => e.id === id)?.state === 'live')).toBe(true);
    // Health comes from the poller (live) or the offsets history (past): the server fills it in, never the builder.
    expect(g.nodes.every((n) => n.health === null)).toBe(true);
  });

  it('rebuilds the past from the same log: before a span started its edge does not exist, and a span is cut at `at`', () => {
    const before = buildGraph(input(demo, T0 + 2 * MIN));
    expect(before.edges.map((e) => e.id)).not.toContain('produces|service:email-service|topic:email.dlq');
    expect(before.edges.find((e) => e.kind === 'produces')?.evidence[0]?.lastSeen).toBe(T0 + 2 * MIN);
    // Ten minutes after everything stopped, the same log says recent.
    expect(buildGraph(input(demo, T0 + 40 * MIN)).edges.every((e) => e.state === 'recent')).toBe(true);
  });

  it('drops an anonymous session once it is named, so no ghost unknown producer stays behind', () => {
    const spans = [
      span({ edgeKind: 'produces', from: { kind: 'unknownProducer', name: 'orders' }, to: topic('orders'), source: 'observed.producerSession', key: 'pid:4001', weight: 0.5, lastSeen: T0 + MIN }),
      span({ edgeKind: 'produces', from: service('order-service'), to: topic('orders'), source: 'observed.producerSession', key: 'pid:4001', weight: 0.85, firstSeen: T0 + MIN, lastSeen: T0 + 2 * MIN }),
    ];
    const g = buildGraph(input(spans, T0 + 2 * MIN));
    expect(g.edges.map((e) => e.from)).toEqual(['service:order-service']);
    // Before it was named, the past graph shows it anonymous.
    expect(buildGraph(input(spans, T0 + 30_000)).edges.map((e) => e.from)).toEqual(['unknownProducer:orders']);
  });

  it('classifies drift against AsyncAPI: confirmed through the group, declared-only, observed-only on a governed topic', () => {
    const declared: EvidenceSpan[] = [
      // email-service declares it reads user.registered (no group id) and writes email.sent, which it never does.
      span({ edgeKind: 'consumes', from: topic('user.registered'), to: service('email-service'), source: 'declared.asyncapi', key: 'email.yaml#receive' }),
      span({ edgeKind: 'produces', from: service('email-service'), to: topic('email.sent'), source: 'declared.asyncapi', key: 'email.yaml#send' }),
    ];
    const g = buildGraph(input([...demo, ...declared], T0 + 30 * MIN));
    const byId = new Map(g.edges.map((e) => [e.id, e]));
    expect(byId.get('consumes|topic:user.registered|consumerGroup:email-service')?.drift).toBe('confirmed');
    // The declared direct edge folded into the observed path instead of being drawn twice.
    expect(byId.has('consumes|topic:user.registered|service:email-service')).toBe(false);
    expect(byId.get('produces|service:email-service|topic:email.sent')).toMatchObject({ state: 'declaredOnly', drift: 'declaredOnly' });
    // email-service has a document, and this edge is not in it.
    expect(byId.get('produces|service:email-service|topic:email.dlq')?.drift).toBe('observedOnly');
    // signup-service has no document, but it writes a topic the document names.
    expect(byId.get('produces|service:signup-service|topic:user.registered')?.drift).toBe('observedOnly');
    expect(byId.get('memberOf|consumerGroup:email-service|service:email-service')?.drift).toBeNull();
  });

  it('hides internal topics and hidden nodes unless asked, and shows the unattributed part of a topic rate', () => {
    const spans = [
      ...demo,
      span({ edgeKind: 'consumes', from: topic('__consumer_offsets'), to: group('console-consumer-4821'), source: 'observed.groupAssignment', lastSeen: T0 + 30 * MIN }),
    ];
    const nodes: NodeSpan[] = [{ node: group('console-consumer-4821'), firstSeen: T0, lastSeen: T0 + 30 * MIN, detail: { hidden: true } }];
    const at = T0 + 30 * MIN;
    const rates = { topics: new Map([['user.registered', 10]]), edges: new Map([['produces|service:signup-service|topic:user.registered', { messagesPerSec: 7.5, bytesPerSec: null, method: 'sampledShare' as const }]]) };
    const g = buildGraph({ ...input(spans, at, nodes), rates });
    expect(g.nodes.some((n) => n.id.includes('console-consumer') || n.id.includes('__consumer_offsets'))).toBe(false);
    expect(g.nodes.find((n) => n.id === 'topic:user.registered')?.metrics).toEqual({ messagesPerSec: 10, unattributedPerSec: 2.5 });
    const all = buildGraph({ ...input(spans, at, nodes), rates, settings: { ...settings, showHidden: true } });
    expect(all.nodes.find((n) => n.id === 'consumerGroup:console-consumer-4821')?.hidden).toBe(true);
  });
});

describe('withoutDeletedTopics', () => {
  const n = (id: string): TopologyNode => ({ id, kind: id.split(':')[0] as TopologyNode['kind'], name: id.slice(id.indexOf(':') + 1), hidden: false, detail: {}, metrics: { messagesPerSec: null, unattributedPerSec: null }, health: null });
  const e = (kind: TopologyEdge['kind'], from: string, to: string): TopologyEdge => ({ id: `${kind}|${from}|${to}`, kind, from, to, state: 'recent', confidence: 0.5, drift: null, evidence: [], metrics: { messagesPerSec: null, bytesPerSec: null, method: null } });
  const graph = {
    nodes: [n('service:tester'), n('topic:e2e-live-1'), n('topic:orders'), n('consumerGroup:g')],
    edges: [e('produces', 'service:tester', 'topic:e2e-live-1'), e('consumes', 'topic:e2e-live-1', 'consumerGroup:g'), e('produces', 'service:tester', 'topic:orders')],
  };
  it('drops a topic the cluster no longer has, and its edges, from the live graph', () => {
    const live = withoutDeletedTopics(graph, new Set(['orders']));
    expect(live.nodes.map((x) => x.id)).toEqual(['service:tester', 'topic:orders', 'consumerGroup:g']);
    expect(live.edges.map((x) => x.id)).toEqual(['produces|service:tester|topic:orders']);
  });
  it('keeps a missing topic that a document declares: it is drawn as declared only', () => {
    const declared = { ...e('produces', 'service:tester', 'topic:planned'), state: 'declaredOnly' as const, evidence: [{ source: 'declared.asyncapi' as const, weight: 0.6, firstSeen: 1, lastSeen: 2, detail: {} }] };
    const live = withoutDeletedTopics({ nodes: [...graph.nodes, n('topic:planned')], edges: [...graph.edges, declared] }, new Set(['orders']));
    expect(live.nodes.map((x) => x.id)).toContain('topic:planned');
    expect(live.edges).toContain(declared);
  });
  it('keeps everything while the topic list is not known yet', () => {
    expect(withoutDeletedTopics(graph, null)).toBe(graph);
  });
});
