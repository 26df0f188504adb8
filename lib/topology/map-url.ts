import { edgeStateSchema, nodeKindSchema, type EdgeState, type NodeKind } from '../contract/topology';
import { DEFAULT_FILTERS, type HealthLevel, type MapFilters } from './view';

/** Everything a link to the map reproduces: what is selected, searched, filtered, folded, and the moment shown. */
export interface MapUrlState {
  selection: { kind: 'node' | 'edge'; id: string } | null;
  query: string;
  filters: MapFilters;
  /** A past moment in epoch ms; null for live. */
  at: number | null;
}

const HEALTH: readonly HealthLevel[] = ['ok', 'warn', 'critical', 'unknown'];
const FOLDS = { topics: 'topicPrefixes', services: 'servicePrefixes', groups: 'groupsIntoServices' } as const;
const MAX_ID = 2048;

const list = (raw: string | null): string[] => (raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : []);
const oneOf = <T extends string>(allowed: readonly T[], raw: string | null): T[] => [...new Set(list(raw).filter((v): v is T => (allowed as readonly string[]).includes(v)))];
const id = (raw: string | null): string | null => (raw && raw.length <= MAX_ID ? raw : null);

/** Reads the map state from a query string. Unknown or malformed values are dropped, never thrown: a bad link still opens the map. */
export function parseMapUrl(params: URLSearchParams): MapUrlState {
  const node = id(params.get('node'));
  const edge = id(params.get('edge'));
  const folds = new Set(list(params.get('fold')));
  const atRaw = params.get('at');
  const at = atRaw && /^\d{1,15}$/.test(atRaw) ? Number(atRaw) : null;
  return {
    selection: node ? { kind: 'node', id: node } : edge ? { kind: 'edge', id: edge } : null,
    query: (params.get('q') ?? '').slice(0, 200),
    filters: {
      kinds: oneOf<NodeKind>(nodeKindSchema.options, params.get('kinds')),
      health: oneOf<HealthLevel>(HEALTH, params.get('health')),
      states: oneOf<EdgeState>(edgeStateSchema.options, params.get('states')),
      showHidden: params.get('hidden') === '1',
      focus: id(params.get('focus')),
      collapse: {
        topicPrefixes: folds.has('topics'),
        servicePrefixes: folds.has('services'),
        groupsIntoServices: folds.has('groups'),
        expanded: params.getAll('open').filter((v) => v.length <= MAX_ID).sort(),
      },
    },
    at: at !== null && at > 0 ? at : null,
  };
}

/** The query string for a state; defaults are left out, so the plain live map is a bare URL. */
export function formatMapUrl(state: MapUrlState): string {
  const params = new URLSearchParams();
  if (state.selection) params.set(state.selection.kind, state.selection.id);
  if (state.query) params.set('q', state.query);
  const f = state.filters;
  if (f.kinds.length) params.set('kinds', [...f.kinds].sort().join(','));
  if (f.health.length) params.set('health', [...f.health].sort().join(','));
  if (f.states.length) params.set('states', [...f.states].sort().join(','));
  if (f.showHidden) params.set('hidden', '1');
  if (f.focus) params.set('focus', f.focus);
  const folds = (Object.keys(FOLDS) as (keyof typeof FOLDS)[]).filter((k) => f.collapse[FOLDS[k]]);
  if (folds.length) params.set('fold', folds.join(','));
  for (const open of [...f.collapse.expanded].sort()) params.append('open', open);
  if (state.at !== null) params.set('at', String(state.at));
  return params.toString();
}

export const DEFAULT_MAP_STATE: MapUrlState = { selection: null, query: '', filters: DEFAULT_FILTERS, at: null };
