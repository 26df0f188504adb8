'use client';
import Link from 'next/link';
import { useMemo } from 'react';
import type { EvidenceSource, Topology, TopologyEdge } from '../../lib/contract';
import { formatAge, formatCount, formatDuration, formatRate } from '../../lib/format';
import { kindLabel } from '../../lib/topology/node-facts';
import type { MapFilters, ViewGraph, ViewNode } from '../../lib/topology/view';
import { groupHref, replayNewHref, resetHref, topicHref } from '../../lib/links';
import { useMapStore, type Selection } from './map-store';

const SOURCE_LABEL: Record<EvidenceSource, string> = {
  'observed.groupAssignment': 'Group assignment: a member of the group is assigned partitions of the topic',
  'observed.committedOffset': 'Committed offsets: the group commits on the topic',
  'observed.producerSession': 'Producer session (DescribeProducers): an idempotent producer writes here',
  'observed.transaction': 'Transaction: the transactional id names the writer',
  'observed.header': 'Record headers: sampled records name their writer',
  'observed.connect': 'Kafka Connect: the connector is configured with this topic',
  'declared.asyncapi': 'AsyncAPI document: declared, not observed',
};
const METHOD_LABEL: Record<string, string> = {
  sequence: 'exact, from producer sequence numbers',
  sampledShare: "estimated: the topic's rate × this writer's share of sampled records",
  committedOffsets: "the group's commit rate on the topic",
  topicRate: "the topic's whole produce rate",
};

function detailValue(v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.join(', ') : '—';
  if (v === null || v === undefined || v === '') return '—';
  return String(v);
}

function DetailList({ detail }: { detail: Record<string, unknown> }) {
  const entries = Object.entries(detail).filter(([k]) => k !== 'hidden');
  if (!entries.length) return null;
  return (
    <dl className="kv">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd className="mono">{detailValue(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The side panel for what is selected: its figures, where it came from, and what to do next. */
export function DetailsPanel({ cluster, topology, view, selection, select, setFilters, now, focus }: {
  cluster: string;
  focus: string | null;
  topology: Topology | null;
  view: ViewGraph;
  selection: NonNullable<Selection>;
  select: (s: Selection) => void;
  setFilters: (fn: (f: MapFilters) => MapFilters) => void;
  now: number | null;
}) {
  // The panel re-renders with every tick; what it derives from the view's shape is kept until the shape changes.
  const names = useMemo(() => new Map(view.nodes.map((n) => [n.id, n.name])), [view]);
  const body = selection.kind === 'node'
    ? <NodeDetails cluster={cluster} topology={topology} view={view} id={selection.id} names={names} select={select} setFilters={setFilters} focus={focus} />
    : <EdgeDetails topology={topology} view={view} id={selection.id} names={names} select={select} now={now} />;
  return (
    <aside className="map-details" aria-label="Details" data-testid="details-panel" data-selected={selection.id}>
      <button type="button" className="details-close" aria-label="Close details" onClick={() => select(null)}>
        ✕
      </button>
      {body}
    </aside>
  );
}

function NodeDetails({ cluster, topology, view, id, names, select, setFilters, focus }: {
  cluster: string;
  focus: string | null;
  topology: Topology | null;
  view: ViewGraph;
  id: string;
  names: Map<string, string>;
  select: (s: Selection) => void;
  setFilters: (fn: (f: MapFilters) => MapFilters) => void;
}) {
  const figures = useMapStore((s) => s.nodeFigures.get(id));
  const viewNode: ViewNode | undefined = view.nodes.find((n) => n.id === id);
  if (!viewNode) return <p className="muted">This node is not on the map now (filtered out, folded, or gone).</p>;
  const node = topology?.nodes.find((n) => n.id === id);
  const incoming = view.edges.filter((e) => e.to === id);
  const outgoing = view.edges.filter((e) => e.from === id);
  const focused = focus === id;
  const pageLink = viewNode.collapsed ? null : viewNode.kind === 'topic' ? topicHref(cluster, viewNode.name) : viewNode.kind === 'consumerGroup' ? groupHref(cluster, viewNode.name) : null;
  // A topic that some topic dead-letters into is a DLQ: offer to redrive it back to where its records came from.
  const dlqEdge = viewNode.kind === 'topic' ? topology?.edges.find((e) => e.kind === 'deadLetters' && e.to === id) : undefined;
  const dlqOriginal = dlqEdge ? topology?.nodes.find((n) => n.id === dlqEdge.from)?.name ?? null : null;
  return (
    <>
      <p className="details-kind">{viewNode.collapsed ? `${figures?.memberCount ?? viewNode.members.length} ${kindLabel(viewNode.kind, 2)}, folded` : kindLabel(viewNode.kind)}</p>
      <h2 className="details-title" data-testid="details-title">{viewNode.name}</h2>
      <dl className="kv figures">
        {figures?.status ? (
          <div>
            <dt>status</dt>
            <dd>
              <span className={`badge badge-status status-${figures.health}`} data-testid="details-status">{figures.status.replace('_', ' ')}</span>
              {figures.statusReason ? <span className="muted small"> {figures.statusReason}</span> : null}
            </dd>
          </div>
        ) : null}
        {figures?.messagesPerSec !== null && figures?.messagesPerSec !== undefined ? (
          <div><dt>{viewNode.kind === 'consumerGroup' ? 'consuming' : viewNode.kind === 'topic' ? 'produced into' : 'writing'}</dt><dd>{formatRate(figures.messagesPerSec)}</dd></div>
        ) : null}
        {figures?.lag !== null && figures?.lag !== undefined ? <div><dt>lag</dt><dd data-testid="details-lag">{formatCount(figures.lag)} messages</dd></div> : null}
        {figures?.lagSeconds !== null && figures?.lagSeconds !== undefined ? <div><dt>lag in time</dt><dd>{formatDuration(figures.lagSeconds)} behind</dd></div> : null}
        {figures?.unattributedPerSec ? <div><dt>no known writer</dt><dd>{formatRate(figures.unattributedPerSec)} of the rate</dd></div> : null}
      </dl>
      <div className="details-actions">
        <button type="button" className="button" data-testid="focus-button" onClick={() => setFilters((f) => ({ ...f, focus: f.focus === id ? null : id }))}>
          {focused ? 'Show the whole map' : 'Focus on its flow'}
        </button>
        {viewNode.collapsed ? (
          <button type="button" className="button" data-testid="unfold-button" onClick={() => setFilters((f) => ({ ...f, collapse: { ...f.collapse, expanded: [...f.collapse.expanded, id] } }))}>
            Unfold
          </button>
        ) : null}
        {pageLink ? <Link className="button ghost" href={pageLink} data-testid="details-page-link">{viewNode.kind === 'topic' ? 'Open the topic page →' : 'Open the group page →'}</Link> : null}
        {!viewNode.collapsed && viewNode.kind === 'consumerGroup' ? <Link className="button ghost" href={resetHref(cluster, viewNode.name)} data-testid="details-reset-link">Reset offsets…</Link> : null}
        {!viewNode.collapsed && viewNode.kind === 'topic' ? <Link className="button ghost" href={replayNewHref(cluster, { topic: viewNode.name })} data-testid="details-replay-link">Replay…</Link> : null}
        {!viewNode.collapsed && dlqOriginal ? <Link className="button ghost" href={replayNewHref(cluster, { topic: viewNode.name, redrive: true })} data-testid="details-redrive-link">Redrive to {dlqOriginal}</Link> : null}
      </div>
      {viewNode.collapsed ? (
        <section>
          <h3>Inside</h3>
          <ul className="plain-list">
            {viewNode.members.map((m) => (
              <li key={m} className="mono">{topology?.nodes.find((n) => n.id === m)?.name ?? m}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <FlowList title="Reads from / fed by" edges={incoming} names={names} other={(e) => e.from} select={select} />
      <FlowList title="Writes to / feeds" edges={outgoing} names={names} other={(e) => e.to} select={select} />
      {node ? (
        <section>
          <h3>Facts</h3>
          <DetailList detail={node.detail} />
        </section>
      ) : null}
    </>
  );
}

function FlowList({ title, edges, names, other, select }: {
  title: string;
  edges: ViewGraph['edges'];
  names: Map<string, string>;
  other: (e: ViewGraph['edges'][number]) => string;
  select: (s: Selection) => void;
}) {
  const figures = useMapStore((s) => s.edgeFigures); // a handful of rows: re-rendering them per tick is cheap
  if (!edges.length) return null;
  return (
    <section>
      <h3>{title}</h3>
      <ul className="plain-list flows">
        {edges.map((e) => {
          const f = figures.get(e.id);
          return (
            <li key={e.id}>
              <button type="button" className="linkish" onClick={() => select({ kind: 'edge', id: e.id })} data-testid="flow-link" data-edge={e.id}>
                {names.get(other(e)) ?? other(e)}
              </button>
              <span className="muted small"> {e.kind} · {f?.state ?? '—'}{f?.messagesPerSec !== null && f?.messagesPerSec !== undefined ? ` · ${formatRate(f.messagesPerSec)}` : ''}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function EdgeDetails({ topology, view, id, names, select, now }: {
  topology: Topology | null;
  view: ViewGraph;
  id: string;
  names: Map<string, string>;
  select: (s: Selection) => void;
  now: number | null;
}) {
  const figures = useMapStore((s) => s.edgeFigures.get(id));
  const edge = view.edges.find((e) => e.id === id);
  if (!edge) return <p className="muted">This flow is not on the map now (filtered out, folded, or gone).</p>;
  const byId = new Map((topology?.edges ?? []).map((e) => [e.id, e]));
  const members = edge.members.map((m) => byId.get(m)).filter((e): e is TopologyEdge => e !== undefined);
  const at = now ?? Date.now();
  return (
    <>
      <p className="details-kind">{edge.kind} flow</p>
      <h2 className="details-title" data-testid="details-title">
        <button type="button" className="linkish" onClick={() => select({ kind: 'node', id: edge.from })}>{names.get(edge.from) ?? edge.from}</button>
        {' → '}
        <button type="button" className="linkish" onClick={() => select({ kind: 'node', id: edge.to })}>{names.get(edge.to) ?? edge.to}</button>
      </h2>
      <dl className="kv figures">
        <div><dt>state</dt><dd data-testid="details-state">{figures?.state ?? '—'}</dd></div>
        <div><dt>confidence</dt><dd>{figures ? `${Math.round(figures.confidence * 100)} %` : '—'}</dd></div>
        {figures?.drift ? <div><dt>declared vs seen</dt><dd>{figures.drift === 'confirmed' ? 'declared and seen' : figures.drift === 'declaredOnly' ? 'declared, never seen' : 'seen, not declared'}</dd></div> : null}
        <div><dt>rate</dt><dd>{formatRate(figures?.messagesPerSec ?? null)}{members[0]?.metrics.method ? <span className="muted small"> ({METHOD_LABEL[members[0].metrics.method] ?? members[0].metrics.method})</span> : null}</dd></div>
      </dl>
      <section>
        <h3>Evidence</h3>
        {members.length === 0 ? <p className="muted">No evidence in this graph.</p> : null}
        {members.map((m) => (
          <div key={m.id} className="evidence-group">
            {members.length > 1 ? <p className="mono small">{m.from} → {m.to}</p> : null}
            <ul className="plain-list evidence" data-testid="evidence-list">
              {m.evidence.map((ev, i) => (
                <li key={`${ev.source}-${i}`} data-source={ev.source}>
                  <strong>{SOURCE_LABEL[ev.source]}</strong>
                  <div className="muted small">
                    last seen {formatAge(ev.lastSeen, at)} · first seen {formatAge(ev.firstSeen, at)} · weight {ev.weight}
                  </div>
                  <DetailList detail={ev.detail} />
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
    </>
  );
}
