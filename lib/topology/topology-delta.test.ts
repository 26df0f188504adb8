import { describe, expect, it } from 'vitest';
import type { Topology, TopologyEdge, TopologyNode } from '../contract/topology';
import { CONFIDENCE_STEP, EVIDENCE_REFRESH_MS, applyTopologyDelta, diffTopology, isEmptyTopologyChange } from './topology-delta';

const node = (id: string, messagesPerSec: number | null = null): TopologyNode => {
  const [kind, name] = id.split(':') as [TopologyNode['kind'], string];
  return { id, kind, name, hidden: false, detail: {}, metrics: { messagesPerSec, unattributedPerSec: null }, health: null };
};
const edge = (from: string, to: string, rate: number | null): TopologyEdge => ({
  id: `produces|${from}|${to}`, kind: 'produces', from, to, state: 'live', confidence: 0.6, drift: null, evidence: [], metrics: { messagesPerSec: rate, bytesPerSec: null, method: 'sampledShare' },
});
const graph = (nodes: TopologyNode[], edges: TopologyEdge[], at: number): Topology => ({ cluster: 'local', at, observedAt: at, historical: false, nodes, edges, sources: [], cost: null });

describe('diffTopology + applyTopologyDelta', () => {
  const delta = (before: Topology, after: Topology) => ({ observedAt: after.observedAt, ...diffTopology(before, after) });

  it('turns the old graph into the new one, keeping untouched objects', () => {
    const signup = node('service:signup-service');
    const before = graph([signup, node('topic:user.registered', 5), node('topic:old')], [edge('service:signup-service', 'topic:user.registered', 5)], 1000);
    const after = graph([signup, node('topic:user.registered', 7), node('topic:orders', 2)], [edge('service:signup-service', 'topic:user.registered', 7)], 6000);
    const applied = applyTopologyDelta(before, delta(before, after));
    expect(applied.at).toBe(6000);
    const byId = (g: Topology) => [...g.nodes].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(applied)).toEqual(byId(after));
    expect(applied.edges).toEqual(after.edges);
    expect(applied.nodes.find((n) => n.id === signup.id)).toBe(signup);
    expect(applied.nodes.some((n) => n.id === 'topic:old')).toBe(false);
  });

  it('sends only the figures of nodes and edges whose shape did not change', () => {
    const withEvidence = (rate: number): TopologyEdge => ({ ...edge('service:signup-service', 'topic:user.registered', rate), evidence: [{ source: 'observed.header', weight: 0.6, firstSeen: 1, lastSeen: 1000, detail: { header: 'ce_source' } }] });
    const group = (lag: number): TopologyNode => ({ ...node('consumerGroup:email-service', 6), health: { status: 'OK', statusReason: null, lag, lagSeconds: 1 } });
    const before = graph([group(3), node('topic:user.registered', 5)], [withEvidence(5)], 1000);
    const after = graph([group(250), node('topic:user.registered', 5)], [withEvidence(9)], 6000);
    const changes = diffTopology(before, after);
    expect(changes.nodes.upsert).toEqual([]);
    expect(changes.edges.upsert).toEqual([]);
    expect(changes.figures.nodes).toEqual([{ id: 'consumerGroup:email-service', messagesPerSec: 6, unattributedPerSec: null, health: { status: 'OK', statusReason: null, lag: 250, lagSeconds: 1 } }]);
    expect(changes.figures.edges).toEqual([{ id: 'produces|service:signup-service|topic:user.registered', messagesPerSec: 9, bytesPerSec: null, confidence: 0.6 }]);
    const applied = applyTopologyDelta(before, { observedAt: 6000, ...changes });
    expect(applied.edges[0]).toEqual(after.edges[0]);
    expect(applied.nodes.find((n) => n.id === 'consumerGroup:email-service')).toEqual(group(250));
    expect(isEmptyTopologyChange(diffTopology(changes.sent, after))).toBe(true);
  });

  it('adds up ageing until it is worth a message, then sends it', () => {
    const aged = (confidence: number): TopologyEdge => ({ ...edge('service:a', 'topic:t', 1), confidence });
    let sent = graph([], [aged(0.6)], 0);
    let sentCount = 0;
    for (let i = 1; i <= 10; i++) {
      const changes = diffTopology(sent, graph([], [aged(0.6 - i * 0.005)], i * 5000));
      sentCount += changes.figures.edges.length;
      sent = changes.sent;
    }
    // 10 steps of 0.005 = 0.05: two messages of 0.02 each, not ten.
    expect(sentCount).toBe(2);
    expect(sent.edges[0]!.confidence).toBeCloseTo(0.56, 5);
  });
});

describe('which edge changes reach live subscribers', () => {
  /** Whether a subscriber holding `sent` gets anything for `next` (the edge whole, or a figure patch). */
  const edgeNeedsResend = (sent: TopologyEdge, next: TopologyEdge) => !isEmptyTopologyChange(diffTopology(graph([], [sent], 0), graph([], [next], 1)));
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
