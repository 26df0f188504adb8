import type { GroupStatus } from '../contract/groups';
import type { Drift, EdgeKind, EdgeState, NodeKind, Topology, TopologyEdge, TopologyNode } from '../contract/topology';
import { seededRandom } from '../random';
export { seededRandom };

/** Fixtures for the view tests, shaped like the demo's graph. Test-only. */

export type Graph = Pick<Topology, 'nodes' | 'edges'>;

export interface NodeOptions {
  hidden?: boolean;
  messagesPerSec?: number | null;
  unattributedPerSec?: number | null;
  status?: GroupStatus | null;
  statusReason?: string | null;
  lag?: number | null;
  lagSeconds?: number | null;
}

export function node(kind: NodeKind, name: string, o: NodeOptions = {}): TopologyNode {
  const isGroup = kind === 'consumerGroup';
  return {
    id: `${kind}:${name}`,
    kind,
    name,
    hidden: o.hidden ?? false,
    detail: {},
    metrics: { messagesPerSec: o.messagesPerSec ?? null, unattributedPerSec: o.unattributedPerSec ?? null },
    health: isGroup ? { status: o.status ?? null, statusReason: o.statusReason ?? null, lag: o.lag ?? null, lagSeconds: o.lagSeconds ?? null } : null,
  };
}

export interface EdgeOptions {
  state?: EdgeState;
  confidence?: number;
  drift?: Drift;
  messagesPerSec?: number | null;
}

export function edge(kind: EdgeKind, from: string, to: string, o: EdgeOptions = {}): TopologyEdge {
  return {
    id: `${kind}|${from}|${to}`,
    kind,
    from,
    to,
    state: o.state ?? 'live',
    confidence: o.confidence ?? 0.9,
    drift: o.drift ?? null,
    evidence: [],
    metrics: { messagesPerSec: o.messagesPerSec ?? null, bytesPerSec: null, method: null },
  };
}

export const id = {
  signup: 'service:signup-service',
  userRegistered: 'topic:user.registered',
  emailGroup: 'consumerGroup:email-service',
  analyticsGroup: 'consumerGroup:analytics-service',
  emailService: 'service:email-service',
  analyticsService: 'service:analytics-service',
  emailDlq: 'topic:email.dlq',
  orderService: 'service:order-service',
  orders: 'topic:orders',
  paymentGroup: 'consumerGroup:payment-service',
  paymentService: 'service:payment-service',
  payments: 'topic:payments',
  ledgerGroup: 'consumerGroup:ledger-service',
  ledgerService: 'service:ledger-service',
  offsets: 'topic:__consumer_offsets',
  consoleGroup: 'consumerGroup:console-consumer-42',
} as const;

/**
 * signup-service → user.registered → groups email-service (OK) and analytics-service (STALL) → their services;
 * email-service → email.dlq, user.registered --deadLetters--> email.dlq;
 * order-service → orders → group payment-service (WARN) → service payment-service → payments → group ledger-service
 * (EVALUATING) → service ledger-service; hidden: __consumer_offsets read by the tool group console-consumer-42.
 */
export function demoGraph(): Graph {
  const nodes = [
    node('service', 'signup-service', { messagesPerSec: 12 }),
    node('topic', 'user.registered', { messagesPerSec: 12, unattributedPerSec: 0.5 }),
    node('consumerGroup', 'email-service', { messagesPerSec: 12, status: 'OK', statusReason: 'keeping up', lag: 3, lagSeconds: 1 }),
    node('consumerGroup', 'analytics-service', { messagesPerSec: 0, status: 'STALL', statusReason: 'commits stopped', lag: 500, lagSeconds: 120 }),
    node('service', 'email-service', { messagesPerSec: 0.2 }),
    node('service', 'analytics-service'),
    node('topic', 'email.dlq', { messagesPerSec: 0.2, unattributedPerSec: 0 }),
    node('service', 'order-service', { messagesPerSec: 5 }),
    node('topic', 'orders', { messagesPerSec: 5, unattributedPerSec: 1 }),
    node('consumerGroup', 'payment-service', { messagesPerSec: 4.5, status: 'WARN', statusReason: 'lag growing', lag: 40, lagSeconds: 8 }),
    node('service', 'payment-service', { messagesPerSec: 4 }),
    node('topic', 'payments', { messagesPerSec: 4 }),
    node('consumerGroup', 'ledger-service', { status: 'EVALUATING' }),
    node('service', 'ledger-service'),
    node('topic', '__consumer_offsets', { hidden: true, messagesPerSec: 1 }),
    node('consumerGroup', 'console-consumer-42', { hidden: true, status: 'OK', lag: 0, lagSeconds: 0 }),
  ];
  const edges = [
    edge('produces', id.signup, id.userRegistered, { messagesPerSec: 12, confidence: 0.8 }),
    edge('consumes', id.userRegistered, id.emailGroup, { messagesPerSec: 12, confidence: 0.95 }),
    edge('consumes', id.userRegistered, id.analyticsGroup, { state: 'recent', messagesPerSec: 0, confidence: 0.7 }),
    edge('memberOf', id.emailGroup, id.emailService, { confidence: 0.95 }),
    edge('memberOf', id.analyticsGroup, id.analyticsService, { confidence: 0.95 }),
    edge('produces', id.emailService, id.emailDlq, { state: 'recent', messagesPerSec: 0.2, confidence: 0.8 }),
    edge('deadLetters', id.userRegistered, id.emailDlq, { state: 'stale', confidence: 0.5 }),
    edge('produces', id.orderService, id.orders, { messagesPerSec: 5 }),
    edge('consumes', id.orders, id.paymentGroup, { messagesPerSec: 4.5 }),
    edge('memberOf', id.paymentGroup, id.paymentService),
    edge('produces', id.paymentService, id.payments, { messagesPerSec: 4, drift: 'confirmed' }),
    edge('consumes', id.payments, id.ledgerGroup, { state: 'declaredOnly', confidence: 0.6, drift: 'declaredOnly' }),
    edge('memberOf', id.ledgerGroup, id.ledgerService, { state: 'declaredOnly', confidence: 0.6 }),
    edge('consumes', id.offsets, id.consoleGroup, { messagesPerSec: 1 }),
    edge('consumes', id.orders, id.consoleGroup, { messagesPerSec: 1 }),
  ];
  return { nodes, edges };
}

/** The demo plus more nodes for the collapse rules. */
export function extend(graph: Graph, nodes: TopologyNode[], edges: TopologyEdge[]): Graph {
  return { nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] };
}

export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * A generated graph of `services` × 9 nodes and about × 17 edges: every service writes two topics, each read by a
 * few groups that belong to other services; names share prefixes so collapsing has work to do.
 */
export function largeGraph(services: number, seed = 7): Graph {
  const random = seededRandom(seed);
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const statuses: GroupStatus[] = ['OK', 'WARN', 'STALL', 'EVALUATING', 'NO_COMMIT'];
  const serviceName = (i: number) => `team${i % 40}-svc${i}`;
  for (let i = 0; i < services; i += 1) nodes.push(node('service', serviceName(i), { messagesPerSec: i % 3 === 0 ? null : i }));
  const edgeIds = new Set<string>();
  const add = (e: TopologyEdge) => {
    if (!edgeIds.has(e.id)) {
      edgeIds.add(e.id);
      edges.push(e);
    }
  };
  for (let i = 0; i < services; i += 1) {
    for (let t = 0; t < 2; t += 1) {
      const topic = node('topic', `domain${i % 25}.events-${i}-${t}`, { messagesPerSec: random() * 100, unattributedPerSec: t === 0 ? null : 1 });
      nodes.push(topic);
      add(edge('produces', `service:${serviceName(i)}`, topic.id, { messagesPerSec: random() * 50, state: random() < 0.8 ? 'live' : 'recent' }));
      add(edge('produces', `service:${serviceName(Math.floor(random() * services))}`, topic.id, { messagesPerSec: null, state: 'declaredOnly', drift: 'declaredOnly' }));
      if (t === 1) add(edge('deadLetters', `topic:domain${i % 25}.events-${i}-0`, topic.id, { state: 'stale' }));
      for (let g = 0; g < 3; g += 1) {
        const reader = Math.floor(random() * services);
        const group = node('consumerGroup', `${serviceName(reader)}-g${i}-${t}-${g}`, {
          status: statuses[Math.floor(random() * statuses.length)]!,
          lag: random() < 0.2 ? null : Math.floor(random() * 1000),
          lagSeconds: random() < 0.2 ? null : random() * 60,
        });
        nodes.push(group);
        add(edge('consumes', topic.id, group.id, { messagesPerSec: random() * 10, state: random() < 0.7 ? 'live' : 'stale' }));
        add(edge('memberOf', group.id, `service:${serviceName(reader)}`));
      }
    }
  }
  return { nodes, edges };
}
