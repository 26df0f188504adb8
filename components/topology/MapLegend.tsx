'use client';
import { useState } from 'react';

/** What the colours and line styles mean, one click away, open by default so a first-time user can read the map. */
export function MapLegend() {
  const [open, setOpen] = useState(true);
  return (
    <div className="map-legend" data-testid="map-legend">
      <button type="button" className="map-legend-toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
        Legend {open ? '▾' : '▸'}
      </button>
      {open ? (
        <div className="map-legend-body">
          <div className="legend-row"><span className="legend-swatch health-ok" /> healthy</div>
          <div className="legend-row"><span className="legend-swatch health-warn" /> lag growing</div>
          <div className="legend-row"><span className="legend-swatch health-critical" /> stalled, stopped or losing data</div>
          <div className="legend-row"><span className="legend-swatch health-unknown" /> no health (not a consumer, or not known yet)</div>
          <svg width="170" height="62" aria-hidden className="legend-lines">
            <line x1="2" y1="6" x2="40" y2="6" className="legend-live" /><text x="48" y="10">flowing now</text>
            <line x1="2" y1="22" x2="40" y2="22" className="legend-recent" /><text x="48" y="26">seen in the last hour</text>
            <line x1="2" y1="38" x2="40" y2="38" className="legend-stale" /><text x="48" y="42">not seen for hours</text>
            <line x1="2" y1="54" x2="40" y2="54" className="legend-declared" /><text x="48" y="58">declared only</text>
          </svg>
          <div className="legend-row muted">thicker line = more messages/s</div>
        </div>
      ) : null}
    </div>
  );
}
