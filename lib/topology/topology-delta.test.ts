import { describe, expect, it } from 'vitest';
import type { Topology, TopologyEdge, TopologyNode } from '../contract/topology';
import { diffKeyed } from '../realtime/keyed-diff';
import { CONFIDENCE_STEP, EVIDENCE_REFRESH_MS, applyTopologyDelta, edgeNeedsResend } from './topology-delta';

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

describe('edgeNeedsResend', () => {
  const base = (): TopologyEdge => ({
    ...edge('service:signup-service', 'topic:user.registered', 6.7),
    evidence: [{ source: 'observed.header', weight: 0.6, firstSeen: 1000, lastSeen: 50_000, detail: { header: 'ce_source' } }],
  });
  it('re-sends what the map shows: state, rate, drift, evidence sources and details', () => {
    expect(edgeNeedsResend(base(), base())).toBe(false);
    expect(edgeNeedsResend(base(), { ...base(), state: 'recent' })).toBe(true);
    expect(edgeNeedsResend(base(), { ...base(), metrics: { ...base().metrics, messagesPerSec: 7.1 } })).toBe(true);
    expect(edgeNeedsResend(base(), { ...base(), drift: 'observedOnly' })).toBe(true);
    expect(edgeNeedsResend(base(), { ...base(), evidence: [] })).toBe(true);
    expect(edgeNeedsResend(base(), { ...base(), evidence: [{ ...base().evidence[0]!, detail: { header: 'kafka_dlt-original-consumer-group' } }] })).toBe(true);
  });
  it('holds back ageing: small confidence moves and lastSeen ticks of evidence that is still observed', () => {
    expect(edgeNeedsResend(base(), { ...base(), confidence: 0.61 })).toBe(false);
    expect(edgeNeedsResend(base(), { ...base(), confidence: 0.6 + CONFIDENCE_STEP })).toBe(true);
    expect(edgeNeedsResend(base(), { ...base(), evidence: [{ ...base().evidence[0]!, lastSeen: 50_000 + EVIDENCE_REFRESH_MS - 1 }] })).toBe(false);
    expect(edgeNeedsResend(base(), { ...base(), evidence: [{ ...base().evidence[0]!, lastSeen: 50_000 + EVIDENCE_REFRESH_MS }] })).toBe(true);
  });
});
