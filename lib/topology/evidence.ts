import type { EdgeKind, EvidenceSource, NodeKind } from '../contract/topology';

/** A node named by kind and name; its id is stable across restarts and clusters share nothing. */
export interface NodeRef {
  kind: NodeKind;
  name: string;
}

export type Detail = Record<string, string | number | boolean | null | string[]>;

export function nodeId(ref: NodeRef): string {
  return `${ref.kind}:${ref.name}`;
}

export function edgeId(kind: EdgeKind, from: NodeRef, to: NodeRef): string {
  return `${kind}|${nodeId(from)}|${nodeId(to)}`;
}

/**
 * One continuous observation of one fact: "source S saw edge E (for reason `key`) from firstSeen to lastSeen".
 * The evidence log is a list of these. A span is only ever extended while the fact keeps being observed; when it
 * reappears after a gap a new span starts, so the graph at any past time can be rebuilt exactly.
 */
export interface EvidenceSpan {
  edgeKind: EdgeKind;
  from: NodeRef;
  to: NodeRef;
  source: EvidenceSource;
  /** Tells apart facts of one source on one edge: a producer id, a header key, "members". */
  key: string;
  weight: number;
  firstSeen: number;
  lastSeen: number;
  detail: Detail;
}

/** That a node (a topic, a group, a connector) existed from firstSeen to lastSeen, with its latest facts. */
export interface NodeSpan {
  node: NodeRef;
  firstSeen: number;
  lastSeen: number;
  detail: Detail;
}

/** The identity of a fact: spans with the same key describe the same fact at different times. */
export function factKey(span: Pick<EvidenceSpan, 'edgeKind' | 'from' | 'to' | 'source' | 'key'>): string {
  return `${edgeId(span.edgeKind, span.from, span.to)}|${span.source}|${span.key}`;
}

export function isDeclared(source: EvidenceSource): boolean {
  return source.startsWith('declared.');
}
