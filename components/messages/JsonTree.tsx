'use client';
import { useDeferredValue, useId, useMemo, useState, type ReactNode } from 'react';
import { RawJsonNumber } from '../../lib/messages/payload';
import './payload.css';

/**
 * A parsed JSON value as a collapsible tree. Objects and arrays open to `defaultExpandDepth`, show `pageSize`
 * children at a time, and the search box (case-insensitive substring over keys and primitive values) highlights
 * matches and opens their ancestors. Everything renders as text: no HTML from the payload ever reaches the DOM.
 */

type JsonObject = Record<string, unknown>;
type Container = unknown[] | JsonObject;

const isContainer = (v: unknown): v is Container => v !== null && typeof v === 'object' && !(v instanceof RawJsonNumber);

/** JSON-pointer-like path: unique per node, cheap to build, stable across renders. */
const childPath = (parent: string, key: string | number) =>
  `${parent}/${typeof key === 'number' ? key : key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

const entriesOf = (v: Container): [string | number, unknown][] =>
  Array.isArray(v) ? v.map((child, i) => [i, child]) : Object.entries(v);

function primitiveText(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  return String(v); // number, boolean, RawJsonNumber (its source)
}

interface SearchIndex {
  count: number;
  /** Paths whose key matched. */
  keyHits: Set<string>;
  /** Paths whose primitive value matched. */
  valueHits: Set<string>;
  /** Containers with a match somewhere below: opened while searching. */
  open: Set<string>;
  /** Container path → index of its last child with a match, so paging reveals it. */
  lastHitChild: Map<string, number>;
}

function buildIndex(root: unknown, q: string): SearchIndex {
  const index: SearchIndex = { count: 0, keyHits: new Set(), valueHits: new Set(), open: new Set(), lastHitChild: new Map() };
  const walk = (v: unknown, path: string, key: string | null): boolean => {
    let hit = false;
    if (key !== null && key.toLowerCase().includes(q)) {
      index.keyHits.add(path);
      index.count++;
      hit = true;
    }
    if (isContainer(v)) {
      let below = false;
      let i = 0;
      for (const [k, child] of entriesOf(v)) {
        if (walk(child, childPath(path, k), typeof k === 'string' ? k : null)) {
          below = true;
          index.lastHitChild.set(path, i);
        }
        i++;
      }
      if (below) index.open.add(path);
      return hit || below;
    }
    if (primitiveText(v).toLowerCase().includes(q)) {
      index.valueHits.add(path);
      index.count++;
      hit = true;
    }
    return hit;
  };
  walk(root, '', null);
  return index;
}

/** `text` with every case-insensitive occurrence of `q` in a <mark>. */
function highlight(text: string, q: string): ReactNode {
  if (!q) return text;
  const lower = text.toLowerCase();
  // Case mapping that changes length (rare: 'İ') would misplace the marks: mark the whole text instead.
  if (lower.length !== text.length) return lower.includes(q) ? <mark>{text}</mark> : text;
  const parts: ReactNode[] = [];
  let from = 0;
  let at = lower.indexOf(q);
  while (at !== -1) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(<mark key={at}>{text.slice(at, at + q.length)}</mark>);
    from = at + q.length;
    at = lower.indexOf(q, from);
  }
  if (parts.length === 0) return text;
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

interface TreeContext {
  query: string;
  index: SearchIndex | null;
  isOpen: (path: string, depth: number) => boolean;
  toggle: (path: string, depth: number) => void;
  limitOf: (path: string) => number;
  showMore: (path: string) => void;
  pageSize: number;
}

function Primitive({ value, path, ctx }: { value: unknown; path: string; ctx: TreeContext }) {
  const q = ctx.index?.valueHits.has(path) ? ctx.query : '';
  if (typeof value === 'string') return <span className="jt-string">&quot;{highlight(value, q)}&quot;</span>;
  if (value instanceof RawJsonNumber) {
    return <span className="jt-number" title="Beyond JavaScript number precision: shown exactly as written">{highlight(value.source, q)}</span>;
  }
  if (typeof value === 'number') return <span className="jt-number">{highlight(String(value), q)}</span>;
  if (typeof value === 'boolean') return <span className="jt-bool">{highlight(String(value), q)}</span>;
  return <span className="jt-null">{highlight('null', q)}</span>;
}

function KeyLabel({ name, path, ctx }: { name: string | number | null; path: string; ctx: TreeContext }) {
  if (name === null) return null;
  if (typeof name === 'number') {
    return (
      <>
        <span className="jt-index">{name}</span>
        <span className="jt-punct">: </span>
      </>
    );
  }
  const q = ctx.index?.keyHits.has(path) ? ctx.query : '';
  return (
    <>
      <span className="jt-key">&quot;{highlight(name, q)}&quot;</span>
      <span className="jt-punct">: </span>
    </>
  );
}

function JsonNode({ name, value, path, depth, ctx }: { name: string | number | null; value: unknown; path: string; depth: number; ctx: TreeContext }) {
  if (!isContainer(value)) {
    return (
      <li className="jt-row">
        <span className="jt-spacer" aria-hidden />
        <KeyLabel name={name} path={path} ctx={ctx} />
        <Primitive value={value} path={path} ctx={ctx} />
      </li>
    );
  }
  const isArray = Array.isArray(value);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  const size = isArray ? value.length : Object.keys(value).length;
  const summary = isArray ? `${size.toLocaleString()} item${size === 1 ? '' : 's'}` : `${size.toLocaleString()} key${size === 1 ? '' : 's'}`;
  if (size === 0) {
    return (
      <li className="jt-row">
        <span className="jt-spacer" aria-hidden />
        <KeyLabel name={name} path={path} ctx={ctx} />
        <span className="jt-punct">{open + close}</span>
      </li>
    );
  }
  const expanded = ctx.isOpen(path, depth);
  const what = name === null ? 'root' : typeof name === 'number' ? `item ${name}` : name;
  const toggle = () => ctx.toggle(path, depth);
  const head = (
    <>
      <button type="button" className="jt-toggle" aria-expanded={expanded} aria-label={`${expanded ? 'Collapse' : 'Expand'} ${what}`} onClick={toggle}>
        <span aria-hidden>{expanded ? '▾' : '▸'}</span>
      </button>
      <span className="jt-head" onClick={toggle}>
        <KeyLabel name={name} path={path} ctx={ctx} />
        <span className="jt-punct">{open}</span>
      </span>
    </>
  );
  if (!expanded) {
    return (
      <li className="jt-row">
        {head}
        <span className="jt-ellipsis" aria-hidden>
          …
        </span>
        <span className="jt-punct">{close}</span>
        <span className="jt-summary">{summary}</span>
      </li>
    );
  }
  let limit = ctx.limitOf(path);
  const lastHit = ctx.index?.lastHitChild.get(path);
  if (lastHit !== undefined && lastHit >= limit) limit = Math.ceil((lastHit + 1) / ctx.pageSize) * ctx.pageSize;
  const entries = isArray ? null : Object.entries(value);
  const shown = Math.min(size, limit);
  const children: ReactNode[] = [];
  for (let i = 0; i < shown; i++) {
    const [k, child] = entries ? entries[i]! : [i, (value as unknown[])[i]];
    const p = childPath(path, k);
    children.push(<JsonNode key={p} name={k} value={child} path={p} depth={depth + 1} ctx={ctx} />);
  }
  return (
    <li className="jt-row jt-open">
      {head}
      <span className="jt-summary">{summary}</span>
      <ul className="jt-children">
        {children}
        {shown < size ? (
          <li className="jt-row">
            <span className="jt-spacer" aria-hidden />
            <button type="button" className="button small jt-more" onClick={() => ctx.showMore(path)}>
              Show {Math.min(ctx.pageSize, size - shown).toLocaleString()} more ({shown.toLocaleString()} of {size.toLocaleString()} shown)
            </button>
          </li>
        ) : null}
      </ul>
      <div className="jt-close">
        <span className="jt-spacer" aria-hidden />
        <span className="jt-punct">{close}</span>
      </div>
    </li>
  );
}

export interface JsonTreeProps {
  /** The parsed value (from `parseJsonForView`, so big numbers arrive as `RawJsonNumber`). */
  value: unknown;
  /** Containers shallower than this start open: 2 opens the root and its children. */
  defaultExpandDepth?: number;
  /** Children shown per container before "show more". */
  pageSize?: number;
  /** Hide the search box (e.g. for a tiny header value). */
  searchable?: boolean;
  /** Starts with this search (e.g. a term the user filtered by). */
  initialQuery?: string;
}

export function JsonTree({ value, defaultExpandDepth = 2, pageSize = 100, searchable = true, initialQuery = '' }: JsonTreeProps) {
  const [query, setQuery] = useState(initialQuery);
  const q = useDeferredValue(query.trim().toLowerCase());
  const index = useMemo(() => (q ? buildIndex(value, q) : null), [value, q]);
  // Toggles made by hand override the default; a new search starts from the default again so its matches show.
  // Both are kept with the value they were made for: a new value (another record) starts afresh.
  const [toggled, setToggled] = useState<{ value: unknown; q: string; open: Map<string, boolean> }>({ value, q: '', open: new Map() });
  const overrides = toggled.value === value && toggled.q === q ? toggled.open : null;
  const [paged, setPaged] = useState<{ value: unknown; limits: Map<string, number> }>({ value, limits: new Map() });
  const limits = paged.value === value ? paged.limits : null;
  const searchId = useId();

  const isOpen = (path: string, depth: number) => overrides?.get(path) ?? (index?.open.has(path) || depth < defaultExpandDepth);
  const ctx: TreeContext = {
    query: q,
    index,
    isOpen,
    toggle: (path, depth) => {
      const next = new Map(overrides ?? []);
      next.set(path, !isOpen(path, depth));
      setToggled({ value, q, open: next });
    },
    limitOf: (path) => limits?.get(path) ?? pageSize,
    showMore: (path) => setPaged({ value, limits: new Map(limits ?? []).set(path, (limits?.get(path) ?? pageSize) + pageSize) }),
    pageSize,
  };

  return (
    <div className="json-tree" data-testid="json-tree">
      {searchable && isContainer(value) ? (
        <div className="jt-search">
          <label htmlFor={searchId} className="pv-sr-only">
            Search keys and values
          </label>
          <input
            id={searchId}
            type="search"
            className="search jt-search-input"
            placeholder="Search keys and values"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="json-search"
            autoComplete="off"
            spellCheck={false}
          />
          {q ? (
            <span className="muted small" aria-live="polite" data-testid="json-search-count">
              {index?.count === 1 ? '1 match' : `${(index?.count ?? 0).toLocaleString()} matches`}
            </span>
          ) : null}
        </div>
      ) : null}
      <ul className="jt-children jt-root">
        <JsonNode name={null} value={value} path="" depth={0} ctx={ctx} />
      </ul>
    </div>
  );
}
