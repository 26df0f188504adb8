import type { NodeRef } from '../../lib/topology/evidence';
import type { EdgeObservation } from '../store';
import type { DeclaredDocument } from './asyncapi';

/**
 * AsyncAPI documents as declared edges (research/lineage.md §4.1). A declared reader with a group id is drawn
 * through that group, the way it is observed; without one it points at the service, and the graph builder folds
 * it into the observed path when there is one. A parameterised channel declares every existing topic it matches.
 */
export function declaredEvidence(documents: readonly DeclaredDocument[], topics: readonly string[], now: number, gapMs: number): EdgeObservation[] {
  const edges: EdgeObservation[] = [];
  for (const doc of documents) {
    for (const e of doc.edges) {
      const service: NodeRef = { kind: 'service', name: e.service };
      const names = e.topic ? [e.topic] : e.topicPattern ? matching(e.topicPattern, topics) : [];
      const detail = { document: e.document, operationId: e.operationId, ...(e.topicPattern ? { pattern: e.topicPattern } : {}) };
      const key = `${e.document}#${e.operationId ?? e.direction}`;
      for (const name of names) {
        const topic: NodeRef = { kind: 'topic', name };
        if (e.direction === 'produces') {
          edges.push({ span: { edgeKind: 'produces', from: service, to: topic, source: 'declared.asyncapi', key, weight: 0.6, detail }, seenAt: now, gapMs });
        } else if (e.groupId) {
          const group: NodeRef = { kind: 'consumerGroup', name: e.groupId };
          edges.push({ span: { edgeKind: 'consumes', from: topic, to: group, source: 'declared.asyncapi', key, weight: 0.6, detail }, seenAt: now, gapMs });
          edges.push({ span: { edgeKind: 'memberOf', from: group, to: service, source: 'declared.asyncapi', key, weight: 0.6, detail }, seenAt: now, gapMs });
        } else {
          edges.push({ span: { edgeKind: 'consumes', from: topic, to: service, source: 'declared.asyncapi', key, weight: 0.6, detail }, seenAt: now, gapMs });
        }
      }
    }
  }
  return edges;
}

function matching(pattern: string, topics: readonly string[]): string[] {
  try {
    const re = new RegExp(pattern);
    return topics.filter((t) => re.test(t));
  } catch {
    return [];
  }
}
