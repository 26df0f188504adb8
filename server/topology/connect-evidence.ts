import type { NodeRef } from '../../lib/topology/evidence';
import type { EdgeObservation, NodeObservation } from '../store';
import type { ConnectConnector } from './connect';

/**
 * Kafka Connect as nodes (research/lineage.md §4.3): a source connector writes its topics (KIP-558 active topics),
 * a sink connector reads its topics; the system on the other side is an external node named from the connector
 * class only, never from config values, which may hold secrets. A connector that is not RUNNING keeps its edges
 * on record but does not keep them live.
 */
export function connectEvidence(connectors: readonly ConnectConnector[], now: number): { edges: EdgeObservation[]; nodes: NodeObservation[] } {
  const edges: EdgeObservation[] = [];
  const nodes: NodeObservation[] = [];
  for (const c of connectors) {
    const ref: NodeRef = { kind: 'connector', name: c.name };
    const running = c.state === 'RUNNING';
    nodes.push({
      node: ref,
      seenAt: now,
      detail: {
        connectorType: c.type,
        state: c.state,
        tasks: c.tasks.length,
        failedTasks: c.tasks.filter((t) => t.state === 'FAILED').length,
        connectorClass: c.connectorClass,
        topicsRegex: c.topicsRegex,
      },
    });
    const topics = new Map<string, string>();
    for (const t of c.topicsFromConfig) topics.set(t, 'config');
    for (const t of c.topics) topics.set(t, 'kip558');
    for (const [topic, how] of topics) {
      const topicRef: NodeRef = { kind: 'topic', name: topic };
      const source = c.type === 'source';
      edges.push({
        span: {
          edgeKind: source ? 'produces' : 'consumes',
          from: source ? ref : topicRef,
          to: source ? topicRef : ref,
          source: 'observed.connect',
          key: how,
          weight: how === 'kip558' ? 0.95 : 0.8,
          detail: { connector: c.name, state: c.state },
        },
        seenAt: now,
        extend: running,
      });
    }
    if (c.externalSystem) {
      const external: NodeRef = { kind: 'externalSystem', name: c.externalSystem };
      nodes.push({ node: external, seenAt: now, detail: {} });
      const source = c.type === 'source';
      edges.push({
        span: {
          edgeKind: 'connects',
          from: source ? external : ref,
          to: source ? ref : external,
          source: 'observed.connect',
          key: 'connector.class',
          weight: 0.8,
          detail: { connectorClass: c.connectorClass },
        },
        seenAt: now,
        extend: running,
      });
    }
  }
  return { edges, nodes };
}
