'use client';
import { useCallback, useEffect, useState } from 'react';
import { formatMapUrl, parseMapUrl, type MapUrlState } from '../../lib/topology/map-url';

/**
 * The map's view state, mirrored into the query string with replaceState (no navigation, no history entry per
 * keystroke), so copying the address reproduces the view; opening the page reads it back.
 */
export function useMapUrl(): [MapUrlState, (update: (s: MapUrlState) => MapUrlState) => void] {
  const [state, setState] = useState<MapUrlState>(() => parseMapUrl(new URLSearchParams(typeof window === 'undefined' ? '' : window.location.search)));

  useEffect(() => {
    const query = formatMapUrl(state);
    const next = `${window.location.pathname}${query ? `?${query}` : ''}`;
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, '', next);
  }, [state]);

  const update = useCallback((fn: (s: MapUrlState) => MapUrlState) => setState(fn), []);
  return [state, update];
}
