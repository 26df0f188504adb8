'use client';
import { ReactFlowProvider } from '@xyflow/react';
import './map.css';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { Topology } from '../../lib/contract';
import type { MapUrlState } from '../../lib/topology/map-url';
import { neighbourhood, searchNodes, type MapFilters, type ViewGraph } from '../../lib/topology/view';
import { useTopology } from '../realtime/use-topology';
import { DetailsPanel } from './DetailsPanel';
import { MapCanvas } from './MapCanvas';
import { MapStatusBar } from './MapStatusBar';
import { MapToolbar } from './MapToolbar';
import { MapStoreProvider, useSelectionStoreApi, type Selection } from './map-store';
import { TimeScrubber } from './TimeScrubber';
import { useMapGraph } from './use-map-graph';
import { useMapUrl } from './use-map-url';

/** The live topology map of one cluster: the screen people open Topolog for. */
export function TopologyMap({ cluster, reachable }: { cluster: string; reachable: boolean }) {
  return (
    <MapStoreProvider>
      <ReactFlowProvider>
        <MapScreen cluster={cluster} reachable={reachable} />
      </ReactFlowProvider>
    </MapStoreProvider>
  );
}

/** Node and edge ids lit by a selection: a node's whole flow upstream and downstream, or an edge and its ends. */
function litBy(view: ViewGraph, selection: Selection): Set<string> | null {
  if (!selection) return null;
  if (selection.kind === 'edge') {
    const edge = view.edges.find((e) => e.id === selection.id);
    return edge ? new Set([edge.id, edge.from, edge.to]) : null;
  }
  if (!view.nodes.some((n) => n.id === selection.id)) return null;
  const { upstream, downstream } = neighbourhood(view, selection.id);
  const lit = new Set<string>([selection.id, ...upstream, ...downstream]);
  // An edge is part of the flow when it runs along it: into the node from upstream, or out of it downstream.
  const up = new Set([...upstream, selection.id]);
  const down = new Set([...downstream, selection.id]);
  for (const e of view.edges) if ((up.has(e.from) && up.has(e.to)) || (down.has(e.from) && down.has(e.to))) lit.add(e.id);
  return lit;
}

function MapScreen({ cluster, reachable }: { cluster: string; reachable: boolean }) {
  const [url, setUrl] = useMapUrl();
  const { data, connection, error, loading } = useTopology(cluster, url.at, url.filters.showHidden);
  const graph = useMapGraph(data, url.filters);
  const store = useSelectionStoreApi();

  // Selection and search light up parts of the map through the store: only the affected nodes re-render.
  useEffect(() => {
    store.getState().select(url.selection, litBy(graph.view, url.selection));
  }, [store, url.selection, graph.view]);
  // Searched again when the view or the query changes, not on every tick (member names come with the shape).
  const latestData = useRef(data);
  latestData.current = data;
  const matches = useMemo(() => (url.query.trim() ? searchNodes(graph.view, url.query, latestData.current ?? undefined) : []), [graph.view, url.query]);
  useEffect(() => {
    store.getState().setMatches(url.query.trim() ? new Set(matches) : null);
  }, [store, matches, url.query]);

  const setFilters = useCallback((fn: (f: MapFilters) => MapFilters) => setUrl((s) => ({ ...s, filters: fn(s.filters) })), [setUrl]);
  const select = useCallback((selection: Selection) => setUrl((s) => ({ ...s, selection })), [setUrl]);
  const setAt = useCallback((at: number | null) => setUrl((s) => ({ ...s, at })), [setUrl]);
  const setQuery = useCallback((query: string) => setUrl((s) => ({ ...s, query })), [setUrl]);
  // Esc: back to the whole map (folds and internal topics are a way of looking at it, so they stay).
  const clear = useCallback(() => setUrl((s) => ({ ...s, selection: null, query: '', filters: { ...s.filters, focus: null, kinds: [], health: [], states: [] } })), [setUrl]);

  return (
    <div className="map-screen" data-testid="topology-map" data-mode={url.at === null ? 'live' : 'past'} data-loading={loading} data-nodes={graph.nodes.length} data-edges={graph.edges.length}>
      <MapToolbar url={url} matches={matches} graph={graph} ready={data !== null} cluster={cluster} setQuery={setQuery} setFilters={setFilters} select={select} />
      <MapStatusBar topology={data} connection={connection} error={error} url={url} setAt={setAt} view={graph.view} setFilters={setFilters} />
      <div className="map-body">
        <MapCanvas graph={graph} url={url} matches={matches} select={select} clear={clear} empty={emptyReason(data, graph.view, url, reachable)} />
        {url.selection ? <DetailsPanel cluster={cluster} topology={data} view={graph.view} selection={url.selection} select={select} setFilters={setFilters} now={data?.at ?? null} focus={url.filters.focus} /> : null}
      </div>
      <TimeScrubber at={url.at} setAt={setAt} loading={loading} />
    </div>
  );
}

/** Why the map is empty, in words that say what to do; null when there is something to draw. */
function emptyReason(data: Topology | null, view: ViewGraph, url: MapUrlState, reachable: boolean): string | null {
  if (!data) return null;
  if (view.nodes.length > 0) return null;
  if (data.nodes.length === 0 && url.at === null && !reachable) {
    return 'No data yet: Topolog cannot read this cluster (see above). It keeps retrying, and the map fills in by itself as soon as the cluster answers.';
  }
  if (data.nodes.length === 0) {
    return url.at === null
      ? 'No flows discovered yet. Discovery runs after every poll: topics and groups appear within seconds, writers as soon as they produce.'
      : 'Nothing was recorded at that moment. Topolog keeps the topology for 24 hours; pick a later time or go back to live.';
  }
  return 'No node matches the filters. Press Esc to clear them and see the whole map.';
}
