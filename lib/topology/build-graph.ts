import type { EdgeMetrics, EdgeState, Drift, Evidence, EvidenceSource, Topology, TopologyEdge, TopologyNode } from '../contract/topology';
import { roundTo } from '../format';
import { isInternalTopicName } from '../topics';
import { edgeId, factKey, isDeclared, nodeId, type Detail, type EvidenceSpan, type NodeRef, type NodeSpan } from './evidence';

export interface GraphSettings {
  /** Observed within this long: live. */
  liveMs: number;
  /** Within this long: recent. */
  recentMs: number;
  /** Within this long: stale; older observed evidence is dropped (declared edges stay, as declared-only). */
  staleMs: number;
  /** Show internal topics, Topolog's own clients and ephemeral tool groups. */
  showHidden: boolean;
}

export const DEFAULT_GRAPH_SETTINGS: GraphSettings = { liveMs: 120_000, recentMs: 3_600_000, staleMs: 86_400_000, showHidden: false };

export interface GraphRates {
  /** messages/s per topic. */
  topics: ReadonlyMap<string, number | null>;
  /** messages/s per edge id, with how it was measured. */
  edges: ReadonlyMap<string, EdgeMetrics>;
}

export interface GraphInput {
  at: number;
  spans: readonly EvidenceSpan[];
  nodes: readonly NodeSpan[];
  rates: GraphRates;
  settings: GraphSettings;
}

/**
 * How fast each kind of evidence loses its meaning once it stops being observed (research/lineage.md §5.2): an
 * assignment or a producer session is re-observed every poll, so missing it for `liveMs` already says a lot; a header
 * sample is taken now and then, a committed offset can sit still for a day.
 */
function decayMs(source: EvidenceSource, s: GraphSettings): number {
  switch (source) {
    case 'observed.groupAssignment':
    case 'observed.producerSession':
      return s.liveMs;
    case 'observed.header':
    case 'observed.transaction':
    case 'observed.connect':
      return s.recentMs;
    case 'observed.committedOffset':
      return s.staleMs;
    case 'declared.asyncapi':
      return Number.POSITIVE_INFINITY;
  }
}

/** Noisy-OR over independent sources: each aged weight is one more chance that the edge is real. */
export function combineConfidence(evidence: readonly Evidence[], at: number, settings: GraphSettings): number {
  let miss = 1;
  for (const e of evidence) {
    const age = Math.max(0, at - e.lastSeen);
    const tau = decayMs(e.source, settings);
    const aged = Number.isFinite(tau) ? e.weight * Math.exp(-age / tau) : e.weight;
    miss *= 1 - aged;
  }
  return roundTo(1 - miss, 3);
}

/** live / recent / stale from the newest observed evidence; declared-only when nothing observed it; null: drop it. */
export function edgeState(evidence: readonly Evidence[], at: number, settings: GraphSettings): EdgeState | null {
  const observed = evidence.filter((e) => !isDeclared(e.source));
  if (observed.length === 0) return evidence.length > 0 ? 'declaredOnly' : null;
  const age = at - Math.max(...observed.map((e) => e.lastSeen));
  if (age <= settings.liveMs) return 'live';
  if (age <= settings.recentMs) return 'recent';
  if (age <= settings.staleMs) return 'stale';
  return evidence.some((e) => isDeclared(e.source)) ? 'declaredOnly' : null;
}

interface EdgeDraft {
  id: string;
  kind: EvidenceSpan['edgeKind'];
  from: NodeRef;
  to: NodeRef;
  evidence: Evidence[];
}

/**
 * The graph at time `at` from the evidence log: spans that started after `at` do not exist yet, and a span that
 * went on past `at` is cut there, so the same log answers "now" and "last Tuesday at 14:00" alike.
 */
export function buildGraph(input: GraphInput): { nodes: TopologyNode[]; edges: TopologyEdge[] } {
  const { at, settings } = input;
  const drafts = mergeSpans(withoutSupersededUnknowns(input.spans, at), at);

  const edges: (EdgeDraft & { state: EdgeState })[] = [];
  for (const draft of drafts.values()) {
    const state = edgeState(draft.evidence, at, settings);
    if (state) edges.push({ ...draft, state });
  }
  const drift = classifyDrift(edges);
  // A declared consumer without a group id is drawn topic → service; when the real path topic → group → service
  // exists it confirmed that path and is not drawn twice.
  const kept = edges.filter((e) => !drift.absorbed.has(e.id));

  const nodeInfo = latestNodes(input.nodes, at, settings);
  const refs = new Map<string, NodeRef>();
  for (const info of nodeInfo.values()) refs.set(nodeId(info.node), info.node);
  for (const e of kept) {
    refs.set(nodeId(e.from), e.from);
    refs.set(nodeId(e.to), e.to);
  }
  const hidden = (id: string) => isHidden(refs.get(id)!, nodeInfo.get(id)?.detail);
  const visibleEdges = settings.showHidden ? kept : kept.filter((e) => !hidden(nodeId(e.from)) && !hidden(nodeId(e.to)));

  const outEdges: TopologyEdge[] = visibleEdges.map((e) => ({
    id: e.id,
    kind: e.kind,
    from: nodeId(e.from),
    to: nodeId(e.to),
    state: e.state,
    confidence: combineConfidence(e.evidence, at, settings),
    drift: drift.byEdge.get(e.id) ?? null,
    evidence: e.evidence.sort((a, b) => b.lastSeen - a.lastSeen),
    metrics: e.state === 'declaredOnly' ? NO_METRICS : (input.rates.edges.get(e.id) ?? NO_METRICS),
  }));

  const nodes = buildNodes(refs, nodeInfo, outEdges, input.rates, settings, hidden);
  const present = new Set(nodes.map((n) => n.id));
  return {
    nodes,
    edges: outEdges.filter((e) => present.has(e.from) && present.has(e.to)).sort((a, b) => a.id.localeCompare(b.id)),
  };
}

const NO_METRICS: EdgeMetrics = { messagesPerSec: null, bytesPerSec: null, method: null };

/**
 * A producer session is first seen anonymous and named once a sampled batch (or its transactional id) says who it
 * is. From then on its evidence sits on the named writer's edge; the anonymous edge it left behind would only show a
 * ghost "unknown producer", so it goes.
 */
export function withoutSupersededUnknowns(spans: readonly EvidenceSpan[], at: number): EvidenceSpan[] {
  const named = new Set<string>();
  for (const s of spans) {
    if (s.source === 'observed.producerSession' && s.from.kind !== 'unknownProducer' && s.firstSeen <= at) named.add(`${s.to.name}|${s.key}`);
  }
  if (named.size === 0) return [...spans];
  return spans.filter((s) => !(s.from.kind === 'unknownProducer' && s.source === 'observed.producerSession' && named.has(`${s.to.name}|${s.key}`)));
}

/** One draft per edge, one evidence entry per fact: the fact's spans up to `at` folded into first/last seen. */
function mergeSpans(spans: readonly EvidenceSpan[], at: number): Map<string, EdgeDraft> {
  const facts = new Map<string, { span: EvidenceSpan; firstSeen: number; lastSeen: number }>();
  for (const span of spans) {
    if (span.firstSeen > at) continue;
    const key = factKey(span);
    const lastSeen = Math.min(span.lastSeen, at);
    const fact = facts.get(key);
    if (!fact) facts.set(key, { span, firstSeen: span.firstSeen, lastSeen });
    else {
      fact.firstSeen = Math.min(fact.firstSeen, span.firstSeen);
      // The detail of the latest span describes the fact best.
      if (lastSeen >= fact.lastSeen) {
        fact.lastSeen = lastSeen;
        fact.span = span;
      }
    }
  }
  const drafts = new Map<string, EdgeDraft>();
  for (const { span, firstSeen, lastSeen } of facts.values()) {
    const id = edgeId(span.edgeKind, span.from, span.to);
    let draft = drafts.get(id);
    if (!draft) drafts.set(id, (draft = { id, kind: span.edgeKind, from: span.from, to: span.to, evidence: [] }));
    draft.evidence.push({ source: span.source, weight: span.weight, firstSeen, lastSeen, detail: { key: span.key, ...span.detail } });
  }
  return drafts;
}

/**
 * Declared vs observed (research/lineage.md §4.1). Only edges whose service has an AsyncAPI document, or whose topic
 * some document names, are compared: elsewhere there is no declaration to drift from, and drift stays null.
 */
function classifyDrift(edges: readonly (EdgeDraft & { state: EdgeState })[]): { byEdge: Map<string, Drift>; absorbed: Set<string> } {
  const byEdge = new Map<string, Drift>();
  const absorbed = new Set<string>();
  const declaredServices = new Set<string>();
  const governedTopics = new Set<string>();
  const declared = (e: EdgeDraft) => e.evidence.some((x) => isDeclared(x.source));
  const observed = (e: EdgeDraft) => e.evidence.some((x) => !isDeclared(x.source));
  for (const e of edges) {
    if (!declared(e)) continue;
    for (const ref of [e.from, e.to]) {
      if (ref.kind === 'topic') governedTopics.add(ref.name);
      else if (ref.kind !== 'consumerGroup') declaredServices.add(nodeId(ref));
    }
  }
  if (declaredServices.size === 0 && governedTopics.size === 0) return { byEdge, absorbed };

  // Which services read a topic through which groups, as observed.
  const groupServices = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.kind !== 'memberOf' || !observed(e)) continue;
    const set = groupServices.get(nodeId(e.from)) ?? new Set<string>();
    set.add(nodeId(e.to));
    groupServices.set(nodeId(e.from), set);
  }
  const observedReads = new Map<string, string[]>(); // "topic id|service id" → observed consumes edge ids
  for (const e of edges) {
    if (e.kind !== 'consumes' || !observed(e)) continue;
    const readers = e.to.kind === 'consumerGroup' ? [...(groupServices.get(nodeId(e.to)) ?? [])] : [nodeId(e.to)];
    for (const service of readers) {
      const key = `${nodeId(e.from)}|${service}`;
      observedReads.set(key, [...(observedReads.get(key) ?? []), e.id]);
    }
  }
  const confirmedByDirect = new Set<string>();
  for (const e of edges) {
    if (e.kind !== 'consumes' || !declared(e) || observed(e) || e.to.kind === 'consumerGroup') continue;
    const reads = observedReads.get(`${nodeId(e.from)}|${nodeId(e.to)}`);
    if (reads) {
      absorbed.add(e.id);
      for (const id of reads) confirmedByDirect.add(id);
    }
  }

  const compared = (e: EdgeDraft): boolean => {
    const refs = [e.from, e.to];
    if (refs.some((r) => r.kind === 'topic' && governedTopics.has(r.name))) return true;
    if (refs.some((r) => declaredServices.has(nodeId(r)))) return true;
    if (e.kind === 'consumes' && e.to.kind === 'consumerGroup') return [...(groupServices.get(nodeId(e.to)) ?? [])].some((s) => declaredServices.has(s));
    return false;
  };
  for (const e of edges) {
    if (e.kind !== 'produces' && e.kind !== 'consumes') continue;
    if (declared(e) && observed(e)) byEdge.set(e.id, 'confirmed');
    else if (declared(e)) byEdge.set(e.id, 'declaredOnly');
    else if (confirmedByDirect.has(e.id)) byEdge.set(e.id, 'confirmed');
    else if (compared(e)) byEdge.set(e.id, 'observedOnly');
  }
  return { byEdge, absorbed };
}

/** The newest facts of each node that existed at `at` (within the stale window: a deleted topic fades out too). */
function latestNodes(spans: readonly NodeSpan[], at: number, settings: GraphSettings): Map<string, NodeSpan> {
  const result = new Map<string, NodeSpan>();
  for (const span of spans) {
    if (span.firstSeen > at || at - span.lastSeen > settings.staleMs) continue;
    const id = nodeId(span.node);
    const current = result.get(id);
    if (!current || Math.min(span.lastSeen, at) >= Math.min(current.lastSeen, at)) result.set(id, span);
  }
  return result;
}

function isHidden(ref: NodeRef, detail: Detail | undefined): boolean {
  if (detail?.hidden === true) return true;
  return ref.kind === 'topic' && isInternalTopicName(ref.name);
}

function buildNodes(
  refs: ReadonlyMap<string, NodeRef>,
  info: ReadonlyMap<string, NodeSpan>,
  edges: readonly TopologyEdge[],
  rates: GraphRates,
  settings: GraphSettings,
  hidden: (id: string) => boolean,
): TopologyNode[] {
  const flowing = (e: TopologyEdge) => e.state === 'live' || e.state === 'recent';
  const sumInto = new Map<string, number>();
  const sumFrom = new Map<string, number>();
  const sumConsumed = new Map<string, number>();
  for (const e of edges) {
    const rate = e.metrics.messagesPerSec;
    if (rate === null || !flowing(e)) continue;
    if (e.kind === 'produces') {
      sumInto.set(e.to, (sumInto.get(e.to) ?? 0) + rate);
      sumFrom.set(e.from, (sumFrom.get(e.from) ?? 0) + rate);
    } else if (e.kind === 'consumes') sumConsumed.set(e.to, (sumConsumed.get(e.to) ?? 0) + rate);
  }
  const nodes: TopologyNode[] = [];
  for (const [id, ref] of refs) {
    const isHiddenNode = hidden(id);
    if (isHiddenNode && !settings.showHidden) continue;
    let messagesPerSec: number | null = null;
    let unattributedPerSec: number | null = null;
    if (ref.kind === 'topic') {
      messagesPerSec = rates.topics.get(ref.name) ?? null;
      // What no known writer accounts for: non-idempotent producers without identifying headers.
      if (messagesPerSec !== null) unattributedPerSec = roundTo(Math.max(0, messagesPerSec - (sumInto.get(id) ?? 0)), 3);
    } else if (ref.kind === 'consumerGroup' || (ref.kind === 'connector' && sumConsumed.has(id))) {
      messagesPerSec = sumConsumed.has(id) ? roundTo(sumConsumed.get(id)!, 3) : null;
    } else if (sumFrom.has(id)) {
      messagesPerSec = roundTo(sumFrom.get(id)!, 3);
    }
    const { hidden: _ignored, ...detail } = info.get(id)?.detail ?? {};
    nodes.push({ id, kind: ref.kind, name: ref.name, hidden: isHiddenNode, detail, metrics: { messagesPerSec, unattributedPerSec }, health: null });
  }
  return nodes.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The live graph without topics the cluster no longer has: their evidence stays in the log for the time scrubber, but
 * a deleted topic drawn on the live map reads as still there. Declared topics stay (drift shows them as declared
 * only). `existing` null: metadata not read yet, keep all.
 */
export function withoutDeletedTopics(graph: Pick<Topology, 'nodes' | 'edges'>, existing: ReadonlySet<string> | null): Pick<Topology, 'nodes' | 'edges'> {
  if (existing === null) return graph;
  // A topic a document declares stays: "declared but not there" is exactly what the drift view is for.
  const declared = new Set<string>();
  for (const e of graph.edges) if (e.evidence.some((ev) => ev.source === 'declared.asyncapi')) declared.add(e.from).add(e.to);
  const gone = new Set(graph.nodes.filter((n) => n.kind === 'topic' && !existing.has(n.name) && !declared.has(n.id)).map((n) => n.id));
  if (gone.size === 0) return graph;
  return { nodes: graph.nodes.filter((n) => !gone.has(n.id)), edges: graph.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to)) };
}
