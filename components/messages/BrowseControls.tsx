'use client';
import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { BrowseDirection, BrowseStart, FilterError } from '../../lib/contract';
import {
  browseQuery,
  defaultDirection,
  directionChoosable,
  FILTER_MAX_LENGTH,
  formatPartitionList,
  fromDatetimeLocal,
  normalizeBrowseParams,
  PAGE_SIZES,
  parseNonNegativeInt,
  toDatetimeLocal,
  type BrowseParams,
  type PageSize,
} from '../../lib/messages/browse-params';

const FILTER_PLACEHOLDER = 'value.status == "FAILED" && headers["ce_type"].startsWith("order.")\nkeyText == "order-42" || valueText.contains("timeout")';

/** "Europe/Berlin, UTC+02:00": the zone a datetime-local value is read in. Client-only (the server's zone differs). */
function useLocalZone(): string | null {
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => {
    const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const minutes = -new Date().getTimezoneOffset();
    const sign = minutes >= 0 ? '+' : '-';
    const abs = Math.abs(minutes);
    const offset = `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    setZone(name ? `${name}, ${offset}` : offset);
  }, []);
  return zone;
}

/**
 * A filter error pointed at: the message, then the offending line of the expression with a caret under the
 * column, all as text. Without a position (too long, not a bool) the message is about the whole expression.
 */
export function FilterErrorView({ expression, error, source }: { expression: string; error: FilterError; source?: string }) {
  const lines = expression.split('\n');
  const pos = error.position;
  const lineText = pos ? lines[pos.line - 1] : undefined;
  return (
    <div className="filter-error" role="alert" data-testid="messages-filter-error">
      <p className="filter-error-message">
        <strong>The filter {source ? `(${source}) ` : ''}does not work:</strong> {error.message}
        {pos ? <span className="muted"> (line {pos.line}, column {pos.column})</span> : null}
      </p>
      {pos && lineText !== undefined ? (
        <pre className="filter-error-source" aria-label={`Line ${pos.line} of the filter, with a caret under column ${pos.column}`}>
          {/* Tabs become one space in both lines so the caret stays under its column. */}
          {lineText.replace(/\t/g, ' ')}
          {'\n'}
          <span className="filter-error-caret">{`${' '.repeat(Math.max(0, pos.column - 1))}^`}</span>
        </pre>
      ) : null}
    </div>
  );
}

function FilterHelp() {
  return (
    <details className="filter-help" data-testid="messages-filter-help">
      <summary>Filter help</summary>
      <div className="filter-help-body">
        <p>
          A <a href="https://cel.dev" target="_blank" rel="noreferrer">CEL</a> expression that is true for the records to show. It runs on the server,
          record by record, within a scan budget.
        </p>
        <table className="filter-vars">
          <tbody>
            <tr><td className="mono">key</td><td>the key: parsed JSON when it is JSON, else its text (or bytes)</td></tr>
            <tr><td className="mono">value</td><td>the value, the same way; <span className="mono">value.status</span> reads a JSON field</td></tr>
            <tr><td className="mono">keyText</td><td>the key as UTF-8 text</td></tr>
            <tr><td className="mono">valueText</td><td>the value as UTF-8 text</td></tr>
            <tr><td className="mono">headers</td><td>map of header name to text value: <span className="mono">headers[&quot;ce_type&quot;]</span></td></tr>
            <tr><td className="mono">partition</td><td>partition number</td></tr>
            <tr><td className="mono">offset</td><td>offset in the partition</td></tr>
            <tr><td className="mono">timestamp</td><td>epoch milliseconds</td></tr>
            <tr>
              <td className="mono">record.*</td>
              <td>
                Kafbat-compatible names: <span className="mono">record.key</span>, <span className="mono">record.value</span>, <span className="mono">record.keyAsText</span>,{' '}
                <span className="mono">record.valueAsText</span>, <span className="mono">record.headers</span>, <span className="mono">record.partition</span>,{' '}
                <span className="mono">record.offset</span>, <span className="mono">record.timestampMs</span>
              </td>
            </tr>
          </tbody>
        </table>
        <p className="small">Examples:</p>
        <pre className="filter-examples">{`value.status == "FAILED"
headers["ce_type"].startsWith("order.")
has(value.customer) && value.customer.id == 42
valueText.contains("timeout") && timestamp > 1714521600000
partition == 3 && offset >= 1000`}</pre>
        <p className="small muted">Enter or Ctrl+Enter applies; Shift+Enter adds a line.</p>
      </div>
    </details>
  );
}

interface Draft {
  start: BrowseStart;
  offset: string;
  time: string;
  direction: BrowseDirection;
  filter: string;
}

function draftOf(p: BrowseParams): Draft {
  return {
    start: p.start,
    offset: p.offset !== null ? String(p.offset) : '',
    time: p.time !== null ? toDatetimeLocal(p.time) : '',
    direction: p.direction,
    filter: p.filter,
  };
}

/**
 * Where to read and what to keep: partitions, start (newest, oldest, an offset, a time), direction, page size, the
 * CEL filter, and the live-tail switch. Partitions, page size and the switch act at once; the rest (what needs
 * typing) acts on Apply, Enter or Ctrl+Enter. Whenever the applied state changes, the form starts again from it.
 */
export function BrowseControls({
  params,
  partitionCount,
  onApply,
  filterError,
}: {
  params: BrowseParams;
  partitionCount: number | null;
  onApply: (next: BrowseParams) => void;
  /** The last filter error (from a page or the tail) and the expression it is about. */
  filterError: { expression: string; error: FilterError } | null;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(params));
  const [problem, setProblem] = useState<string | null>(null);
  // A newly applied state (Apply, a shared link, Back, "show it") resets the form to it; focus stays where it is.
  const appliedKey = browseQuery({ ...params, tail: false });
  const [seenKey, setSeenKey] = useState(appliedKey);
  if (seenKey !== appliedKey) {
    setSeenKey(appliedKey);
    setDraft(draftOf(params));
    setProblem(null);
  }
  const zone = useLocalZone();
  const ids = useId();
  const tailing = params.tail;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  /** The draft as a state to apply, or the sentence that says what is missing. */
  const build = (d: Draft, overrides: Partial<BrowseParams> = {}): BrowseParams | string => {
    const filter = d.filter.trim();
    if (filter.length > FILTER_MAX_LENGTH) return `The filter is ${filter.length.toLocaleString('en-US')} characters long; the limit is ${FILTER_MAX_LENGTH.toLocaleString('en-US')}.`;
    const next: BrowseParams = { ...params, start: d.start, direction: directionChoosable(d.start) ? d.direction : defaultDirection(d.start), filter, offset: null, time: null, ...overrides };
    if (next.tail) return normalizeBrowseParams({ ...next, start: params.start, offset: params.offset, time: params.time, direction: params.direction });
    if (next.start === 'offset') {
      const offset = parseNonNegativeInt(d.offset.trim());
      if (offset === null) return 'Enter the offset to start from: a whole number, 0 or more.';
      next.offset = offset;
    }
    if (next.start === 'time') {
      const time = fromDatetimeLocal(d.time);
      if (time === null) return 'Enter the date and time to start from.';
      next.time = time;
    }
    return normalizeBrowseParams(next);
  };

  const apply = (overrides: Partial<BrowseParams> = {}, d: Draft = draft) => {
    const next = build(d, overrides);
    if (typeof next === 'string') {
      setProblem(next);
      return;
    }
    setProblem(null);
    onApply(next);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply();
  };

  const onFilterKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing || e.shiftKey) return;
    e.preventDefault();
    apply();
  };

  const onStart = (start: BrowseStart) => {
    const d: Draft = { ...draft, start, direction: defaultDirection(start) };
    // A time to edit rather than an empty field: one hour ago, in local time.
    if (start === 'time' && d.time === '') d.time = toDatetimeLocal(Date.now() - 3_600_000);
    setDraft(d);
    setProblem(null);
    // Newest and oldest need nothing more: act at once. Offset and time wait for their value.
    if (start === 'newest' || start === 'oldest') apply({}, d);
  };

  const built = build(draft);
  const pending = typeof built === 'string' || built.filter !== params.filter || built.start !== params.start || built.offset !== params.offset || built.time !== params.time || built.direction !== params.direction;

  const count = partitionCount;
  const options = count !== null ? Array.from({ length: count }, (_, i) => i) : (params.partitions ?? []);
  const selected = params.partitions ?? [];

  return (
    <form className="browse-controls panel" onSubmit={submit} aria-label="What to show" data-testid="messages-controls">
      <div className="browse-row">
        <div className="control control-partitions">
          <label htmlFor={`${ids}-partitions`}>
            Partitions{' '}
            <span className="muted small">{params.partitions === null ? (count !== null ? `all ${count}` : 'all') : `${formatPartitionList(params.partitions)} selected`}</span>
          </label>
          <select
            id={`${ids}-partitions`}
            multiple
            size={Math.max(2, Math.min(5, options.length))}
            value={selected.map(String)}
            onChange={(e) => {
              const picked = Array.from(e.target.selectedOptions, (o) => Number(o.value));
              apply({ partitions: picked.length === 0 || (count !== null && picked.length === count) ? null : picked });
            }}
            data-testid="messages-partitions"
            aria-describedby={`${ids}-partitions-hint`}
          >
            {options.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <span id={`${ids}-partitions-hint`} className="muted small">
            {count === null ? 'Partition count not known yet. ' : ''}None selected = all. Ctrl/⌘-click picks several.{' '}
            {params.partitions !== null ? (
              <button type="button" className="link-button" onClick={() => apply({ partitions: null })} data-testid="messages-partitions-all">
                All
              </button>
            ) : null}
          </span>
        </div>

        <div className="control">
          <label htmlFor={`${ids}-start`}>Start</label>
          <select id={`${ids}-start`} value={draft.start} onChange={(e) => onStart(e.target.value as BrowseStart)} disabled={tailing} data-testid="messages-start" title={tailing ? 'The live tail always reads new records' : undefined}>
            <option value="newest">Newest (newest first)</option>
            <option value="oldest">Oldest (oldest first)</option>
            <option value="offset">From offset…</option>
            <option value="time">From time…</option>
          </select>
          {draft.start === 'offset' ? (
            <input
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              className="mono"
              value={draft.offset}
              onChange={(e) => set('offset', e.target.value)}
              placeholder="offset, e.g. 1200"
              aria-label="Start offset (in each selected partition)"
              disabled={tailing}
              data-testid="messages-offset"
            />
          ) : null}
          {draft.start === 'time' ? (
            <>
              {/* Local time is the browser's: the server's render leaves it empty (its zone differs) until mounted. */}
              <input type="datetime-local" step={1} value={zone === null ? '' : draft.time} onChange={(e) => set('time', e.target.value)} aria-label="Start time, local" disabled={tailing} data-testid="messages-time" />
              <span className="muted small" data-testid="messages-time-zone">{zone ? `local time: ${zone}` : 'local time'}</span>
            </>
          ) : null}
        </div>

        {directionChoosable(draft.start) ? (
          <div className="control">
            <label htmlFor={`${ids}-direction`}>Read</label>
            <select id={`${ids}-direction`} value={draft.direction} onChange={(e) => set('direction', e.target.value as BrowseDirection)} disabled={tailing} data-testid="messages-direction">
              <option value="forward">forward (oldest first, from there on)</option>
              <option value="backward">backward (newest first, before it)</option>
            </select>
          </div>
        ) : null}

        <div className="control">
          <label htmlFor={`${ids}-limit`}>Page size</label>
          <select id={`${ids}-limit`} value={params.limit} onChange={(e) => apply({ limit: Number(e.target.value) as PageSize })} disabled={tailing} data-testid="messages-limit">
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>

        <div className="control control-tail">
          <label className="tail-switch">
            <input type="checkbox" role="switch" checked={tailing} onChange={(e) => apply({ tail: e.target.checked })} data-testid="messages-tail-toggle" aria-describedby={`${ids}-tail-hint`} />
            <span>Live tail</span>
          </label>
          <span id={`${ids}-tail-hint`} className="muted small">
            {tailing ? 'New records as they arrive; start and page size do not apply.' : 'Show new records as they are written.'}
          </span>
        </div>
      </div>

      <div className="browse-filter">
        <label htmlFor={`${ids}-filter`} className="filter-label">
          Filter <span className="muted small">(CEL, optional)</span>
        </label>
        <textarea
          id={`${ids}-filter`}
          className="mono filter-input"
          value={draft.filter}
          onChange={(e) => set('filter', e.target.value)}
          onKeyDown={onFilterKey}
          placeholder={FILTER_PLACEHOLDER}
          rows={Math.min(8, Math.max(2, draft.filter.split('\n').length))}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          aria-invalid={filterError !== null && filterError.expression === draft.filter.trim()}
          data-testid="messages-filter"
        />
        <div className="filter-actions">
          <button type="submit" className="button primary" data-testid="messages-apply">
            Apply
          </button>
          {draft.filter !== '' ? (
            <button type="button" className="button ghost small" onClick={() => apply({ filter: '' }, { ...draft, filter: '' })} data-testid="messages-filter-clear">
              Clear filter
            </button>
          ) : null}
          {pending ? <span className="warn-text small" data-testid="messages-pending">Not applied yet: press Apply (or Enter).</span> : null}
          <FilterHelp />
        </div>
      </div>
      {problem ? (
        <p className="notice notice-warn small" role="alert" data-testid="messages-controls-error">
          {problem}
        </p>
      ) : null}
      {filterError ? <FilterErrorView expression={filterError.expression} error={filterError.error} /> : null}
    </form>
  );
}
