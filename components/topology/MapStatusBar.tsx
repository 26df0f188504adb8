'use client';
import type { Topology } from '../../lib/contract';
import { formatAge } from '../../lib/format';
import type { MapUrlState } from '../../lib/topology/map-url';
import type { MapFilters, ViewGraph } from '../../lib/topology/view';
import { useNow } from '../realtime/use-now';
import type { LiveConnection } from '../realtime/use-overview';

/**
 * One line under the toolbar: live or which past moment, how fresh the graph is, what is hidden by a focus, and
 * any evidence source that failed, with what it means for the map.
 */
export function MapStatusBar({ topology, connection, error, url, setAt, view, setFilters }: {
  topology: Topology | null;
  connection: LiveConnection;
  error: string | null;
  url: MapUrlState;
  setAt: (at: number | null) => void;
  view: ViewGraph;
  setFilters: (fn: (f: MapFilters) => MapFilters) => void;
}) {
  const now = useNow();
  const failed = topology?.sources.filter((s) => s.enabled && s.error) ?? [];
  const focusName = url.filters.focus ? (view.nodes.find((n) => n.id === url.filters.focus)?.name ?? url.filters.focus) : null;
  return (
    <div className="map-status" data-testid="map-status">
      {url.at === null ? (
        <span className={`map-mode ${connection === 'live' ? 'live' : 'off'}`} data-testid="map-mode">
          <span className="dot" aria-hidden /> {connection === 'live' ? 'Live' : connection === 'connecting' ? 'Connecting…' : 'Disconnected, reconnecting…'}
        </span>
      ) : (
        <span className="map-mode past" data-testid="map-mode">
          Showing {new Date(url.at).toLocaleString()} ({formatAge(url.at, now)}){' '}
          <button type="button" className="button small-button" onClick={() => setAt(null)} data-testid="back-to-live">
            Back to live
          </button>
        </span>
      )}
      {topology && url.at === null ? <span className="muted">graph updated {formatAge(topology.observedAt, now)}</span> : null}
      <span className="muted" data-testid="map-counts">
        {view.nodes.length} nodes · {view.edges.length} flows
      </span>
      {focusName ? (
        <span className="chip" data-testid="focus-chip">
          Focused on <strong>{focusName}</strong>
          <button type="button" className="chip-x" aria-label="Stop focusing" onClick={() => setFilters((f) => ({ ...f, focus: null }))}>
            ✕
          </button>
        </span>
      ) : null}
      <span className="spacer" />
      {failed.map((s) => (
        <span key={s.source} className="warn-text small" title={s.error ?? undefined}>
          {s.source}: {s.error}
        </span>
      ))}
      {error ? (
        <span className="map-error" role="alert" data-testid="map-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
