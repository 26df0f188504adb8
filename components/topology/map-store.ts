'use client';
import { createContext, createElement, useContext, useState, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { EdgeFigures, NodeFigures } from '../../lib/topology/view';

export type Selection = { kind: 'node' | 'edge'; id: string } | null;

/** Above this many lit nodes and edges the selected flow is highlighted but not animated. */
const MAX_ANIMATED = 80;

/**
 * What changes while the graph stands still, kept out of React Flow's node array (research/frontend.md §1.4), in two
 * stores so a metrics tick calls only the figure selectors and a click only the selection ones:
 * - figures: live figures keyed by node and edge id; a tick re-renders only nodes whose displayed figures changed;
 * - selection: what is selected, what it lights up, and the search matches.
 */
export interface MapState {
  nodeFigures: ReadonlyMap<string, NodeFigures>;
  edgeFigures: ReadonlyMap<string, EdgeFigures>;
  /** The second line of each node (kind and key facts); changes when members join or leave. */
  nodeNotes: ReadonlyMap<string, string>;
  /** Bumped on every figures update; the tick probe commits with it. */
  version: number;
  /** Bumped only when some node's health level changed: the minimap redraws its colours on it, not on every tick. */
  healthVersion: number;
  setFigures: (nodes: ReadonlyMap<string, NodeFigures>, edges: ReadonlyMap<string, EdgeFigures>, notes: ReadonlyMap<string, string>) => void;
}

export interface SelectionState {
  selection: Selection;
  /** Node and edge ids lit by the selection (its flow up and down); null when nothing is selected. */
  lit: ReadonlySet<string> | null;
  /** Whether the lit flow is small enough to animate: moving dashes on hundreds of paths cost GPU (frontend.md §1.5). */
  animate: boolean;
  /** Node ids matching the search box; null when the box is empty. */
  matches: ReadonlySet<string> | null;
  select: (selection: Selection, lit: ReadonlySet<string> | null) => void;
  setMatches: (matches: ReadonlySet<string> | null) => void;
}

/** Keeps the previous object for every id whose figures are unchanged, so selectors return the same reference. */
function keepUnchanged<T extends object>(prev: ReadonlyMap<string, T>, next: ReadonlyMap<string, T>): Map<string, T> {
  const merged = new Map<string, T>();
  for (const [id, value] of next) {
    const old = prev.get(id);
    merged.set(id, old !== undefined && shallowEqual(old, value) ? old : value);
  }
  return merged;
}

function keepUnchangedText(prev: ReadonlyMap<string, string>, next: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  if (prev.size !== next.size) return next;
  for (const [id, text] of next) if (prev.get(id) !== text) return next;
  return prev;
}

function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function createMapStore(): StoreApi<MapState> {
  return createStore<MapState>()((set) => ({
    nodeFigures: new Map(),
    edgeFigures: new Map(),
    nodeNotes: new Map(),
    version: 0,
    healthVersion: 0,
    setFigures: (nodes, edges, notes) =>
      set((s) => {
        const nodeFigures = keepUnchanged(s.nodeFigures, nodes);
        let healthChanged = nodeFigures.size !== s.nodeFigures.size;
        if (!healthChanged) for (const [id, f] of nodeFigures) if (s.nodeFigures.get(id)?.health !== f.health) healthChanged = true;
        return {
          nodeFigures,
          edgeFigures: keepUnchanged(s.edgeFigures, edges),
          nodeNotes: keepUnchangedText(s.nodeNotes, notes),
          version: s.version + 1,
          healthVersion: healthChanged ? s.healthVersion + 1 : s.healthVersion,
        };
      }),
  }));
}

export function createSelectionStore(): StoreApi<SelectionState> {
  return createStore<SelectionState>()((set) => ({
    selection: null,
    lit: null,
    animate: false,
    matches: null,
    select: (selection, lit) => set({ selection, lit, animate: lit !== null && lit.size <= MAX_ANIMATED }),
    setMatches: (matches) => set({ matches }),
  }));
}

interface MapStores {
  figures: StoreApi<MapState>;
  selection: StoreApi<SelectionState>;
}

const MapStoreContext = createContext<MapStores | null>(null);

export function MapStoreProvider({ children }: { children: ReactNode }) {
  const [stores] = useState<MapStores>(() => ({ figures: createMapStore(), selection: createSelectionStore() }));
  return createElement(MapStoreContext.Provider, { value: stores }, children);
}

function useStores(): MapStores {
  const stores = useContext(MapStoreContext);
  if (!stores) throw new Error('map stores used outside MapStoreProvider');
  return stores;
}

export function useMapStoreApi(): StoreApi<MapState> {
  return useStores().figures;
}

export function useSelectionStoreApi(): StoreApi<SelectionState> {
  return useStores().selection;
}

/** A figure of the map, by selector; re-renders only when the selected value changes. */
export function useMapStore<T>(selector: (state: MapState) => T): T {
  return useStore(useStores().figures, selector);
}

export function useSelectionStore<T>(selector: (state: SelectionState) => T): T {
  return useStore(useStores().selection, selector);
}

/** How a node or edge is drawn against the selection and the search: lit, dimmed or plain. */
export type Emphasis = 'lit' | 'dim' | 'plain';

export function useEmphasis(id: string): Emphasis {
  return useSelectionStore((s) => {
    if (s.lit) return s.lit.has(id) ? 'lit' : 'dim';
    if (s.matches) return s.matches.has(id) ? 'lit' : 'dim';
    return 'plain';
  });
}

/** An edge against the selection (lit when part of the selected flow) and the search (plain when it touches a match). */
export function useEdgeEmphasis(id: string, source: string, target: string): Emphasis {
  return useSelectionStore((s) => {
    if (s.lit) return s.lit.has(id) ? 'lit' : 'dim';
    if (s.matches) return s.matches.has(source) || s.matches.has(target) ? 'plain' : 'dim';
    return 'plain';
  });
}
