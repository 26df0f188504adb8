'use client';
import { memo, useState } from 'react';
import type { EdgeState, NodeKind } from '../../lib/contract';
import type { MapUrlState } from '../../lib/topology/map-url';
import { kindLabel } from '../../lib/topology/node-facts';
import type { HealthLevel, MapFilters } from '../../lib/topology/view';
import { downloadMap } from './export-map';
import { useMapStoreApi, type Selection } from './map-store';
import { SEARCH_INPUT_ID } from './use-map-keys';
import type { MapGraph } from './use-map-graph';

const KINDS: NodeKind[] = ['service', 'topic', 'consumerGroup', 'connector', 'streamApp', 'externalSystem', 'unknownProducer', 'client'];
const HEALTH: [HealthLevel, string][] = [['critical', 'critical'], ['warn', 'warning'], ['ok', 'healthy'], ['unknown', 'unknown']];
const STATES: [EdgeState, string][] = [['live', 'live'], ['recent', 'recent'], ['stale', 'stale'], ['declaredOnly', 'declared only']];

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** Search, filters, folding, internal topics and export: everything that changes what the map shows. */
export const MapToolbar = memo(function MapToolbar({ url, matches, graph, ready, cluster, setQuery, setFilters, select }: {
  url: MapUrlState;
  matches: string[];
  graph: MapGraph;
  /** A graph is loaded (export needs one). */
  ready: boolean;
  cluster: string;
  setQuery: (q: string) => void;
  setFilters: (fn: (f: MapFilters) => MapFilters) => void;
  select: (s: Selection) => void;
}) {
  const store = useMapStoreApi();
  const [exportError, setExportError] = useState<string | null>(null);
  const exportAs = (format: 'svg' | 'png') => {
    setExportError(null);
    const title = `${cluster} — ${url.at === null ? `live, ${new Date().toLocaleString()}` : new Date(url.at).toLocaleString()}`;
    downloadMap(format, graph, store.getState(), title).catch((err: unknown) => setExportError((err as Error).message));
  };
  const f = url.filters;
  const active = f.kinds.length + f.health.length + f.states.length;
  const folds = [f.collapse.topicPrefixes, f.collapse.servicePrefixes, f.collapse.groupsIntoServices].filter(Boolean).length;

  return (
    <div className="map-toolbar" role="toolbar" aria-label="Map tools">
      <div className="map-search">
        <input
          id={SEARCH_INPUT_ID}
          className="search"
          type="search"
          placeholder="Search services, topics, groups…  ( / )"
          value={url.query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Search the map"
          data-testid="map-search"
          autoComplete="off"
        />
        {url.query.trim() ? (
          <span className="muted small" data-testid="search-count">
            {matches.length === 0 ? 'no match' : `${matches.length} match${matches.length === 1 ? '' : 'es'} · Enter selects`}
          </span>
        ) : null}
      </div>

      <details className="menu" data-testid="filter-menu">
        <summary className="button">Filter{active ? ` (${active})` : ''}</summary>
        <div className="menu-body">
          <fieldset>
            <legend>Show kinds</legend>
            {KINDS.map((k) => (
              <label key={k} className="check">
                <input type="checkbox" checked={f.kinds.includes(k)} onChange={() => setFilters((x) => ({ ...x, kinds: toggle(x.kinds, k) }))} data-testid={`filter-kind-${k}`} />
                {kindLabel(k, 2)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Health</legend>
            {HEALTH.map(([h, label]) => (
              <label key={h} className="check">
                <input type="checkbox" checked={f.health.includes(h)} onChange={() => setFilters((x) => ({ ...x, health: toggle(x.health, h) }))} data-testid={`filter-health-${h}`} />
                <span className={`legend-swatch health-${h}`} /> {label}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Flows</legend>
            {STATES.map(([s, label]) => (
              <label key={s} className="check">
                <input type="checkbox" checked={f.states.includes(s)} onChange={() => setFilters((x) => ({ ...x, states: toggle(x.states, s) }))} data-testid={`filter-state-${s}`} />
                {label}
              </label>
            ))}
          </fieldset>
          <p className="muted small">Nothing ticked in a group means no filter on it.</p>
          <button type="button" className="button" disabled={active === 0} onClick={() => setFilters((x) => ({ ...x, kinds: [], health: [], states: [] }))}>
            Clear filters
          </button>
        </div>
      </details>

      <details className="menu" data-testid="fold-menu">
        <summary className="button">Fold{folds ? ` (${folds})` : ''}</summary>
        <div className="menu-body">
          <label className="check">
            <input type="checkbox" checked={f.collapse.topicPrefixes} onChange={(e) => setFilters((x) => ({ ...x, collapse: { ...x.collapse, topicPrefixes: e.target.checked, expanded: [] } }))} data-testid="fold-topics" />
            Topics by name prefix (orders.*)
          </label>
          <label className="check">
            <input type="checkbox" checked={f.collapse.servicePrefixes} onChange={(e) => setFilters((x) => ({ ...x, collapse: { ...x.collapse, servicePrefixes: e.target.checked, expanded: [] } }))} data-testid="fold-services" />
            Services by name prefix
          </label>
          <label className="check">
            <input type="checkbox" checked={f.collapse.groupsIntoServices} onChange={(e) => setFilters((x) => ({ ...x, collapse: { ...x.collapse, groupsIntoServices: e.target.checked } }))} data-testid="fold-groups" />
            Consumer groups into their service
          </label>
          <p className="muted small">Click a folded node to list or unfold what is inside.</p>
        </div>
      </details>

      <label className="check">
        <input type="checkbox" checked={f.showHidden} onChange={(e) => setFilters((x) => ({ ...x, showHidden: e.target.checked }))} data-testid="show-hidden" />
        Internal topics &amp; tools
      </label>

      <span className="spacer" />
      {url.selection ? (
        <button type="button" className="button ghost" onClick={() => select(null)}>
          Clear selection (Esc)
        </button>
      ) : null}
      <details className="menu menu-right" data-testid="export-menu">
        <summary className="button">Export</summary>
        <div className="menu-body">
          <button type="button" className="button" data-testid="export-svg" disabled={!ready} onClick={() => exportAs('svg')}>
            SVG (vector)
          </button>
          <button type="button" className="button" data-testid="export-png" disabled={!ready} onClick={() => exportAs('png')}>
            PNG (image)
          </button>
          <p className="muted small">The whole map as filtered now, in the current theme.</p>
          {exportError ? (
            <p className="map-error small" role="alert" data-testid="export-error">
              {exportError}
            </p>
          ) : null}
        </div>
      </details>
    </div>
  );
});
