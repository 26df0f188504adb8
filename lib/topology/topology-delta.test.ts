import { describe, expect, it } from 'vitest';
import type { Topology, TopologyEdge, TopologyNode } from '../contract/topology';
import { diffKeyed } from '../realtime/keyed-diff';
import { applyTopologyDelta } from './topology-delta';

const node = (id: string, messagesPerSec: number | null = null): TopologyNode => {
  const [kind, name] = id.split(':') as [TopologyNode['kind'], string];
  return { id, kind, name, hidden: false, detail: {}, metrics: { messagesPerSec, unattributedPerSec: null }, health: null };
};
const edge = (from: string, to: string, rate: number | null): TopologyEdge => ({
  id: `produces|${from}|${to}`, kind: 'produces', from, to, state: 'live', confidence: 0.6, drift: null, evidence: [], metrics: { messagesPerSec: rate, bytesPerSec: null, method: 'sampledShare' },
});
const graph = (nodes: TopologyNode[], edges: TopologyEdge[], at: number): Topology => ({ cluster: 'local', at, observedAt: at, historical: false, nodes, edges, sources: [], cost: null });

describe('applyTopologyDelta', () => {
  it('turns the old graph into the new one through the server diff, keeping untouched objects', () => {
    const signup = node('service:signup-service');
    const before = graph([signup, node('topic:user.registered', 5), node('topic:old')], [edge('service:signup-service', 'topic:user.registered', 5)], 1000);
    const after = graph([signup, node('topic:user.registered', 7), node('topic:orders', 2)], [edge('service:signup-service', 'topic:user.registered', 7)], 6000);
    const delta = { observedAt: 6000, nodes: diffKeyed(before.nodes, after.nodes, (n) => n.id), edges: diffKeyed(before.edges, after.edges, (e) => e.id) };
    const applied = applyTopologyDelta(before, delta);
    expect(applied.at).toBe(6000);
    expect([...applied.nodes].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...after.nodes].sort((a, b) => a.id.localeCompare(b.id)));
    expect(applied.edges).toEqual(after.edges);
    expect(applied.nodes.find((n) => n.id === signup.id)).toBe(signup);
    expect(applied.nodes.some((n) => n.id === 'topic:old')).toBe(false);
  });
});
