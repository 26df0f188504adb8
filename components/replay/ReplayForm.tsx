'use client';
import { useId, type ReactNode } from 'react';
import type { FilterError } from '../../lib/contract';
import type { RangeChoice, ReplayFormState } from '../../lib/replay/replay-form';
import { FilterErrorView } from '../messages/BrowseControls';

function Field({ label, children, note }: { label: string; children: (id: string) => ReactNode; note?: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {note ? <span className="small muted">{note}</span> : null}
    </div>
  );
}

function Check({ checked, onChange, children, testId }: { checked: boolean; onChange: (v: boolean) => void; children: ReactNode; testId?: string }) {
  return (
    <label className="check-item">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      {children}
    </label>
  );
}

const RANGES: { value: RangeChoice; label: string }[] = [
  { value: 'all', label: 'Everything in the log' },
  { value: 'offsets', label: 'Offsets' },
  { value: 'time', label: 'Time' },
];

/** Source, range, filter, target and options of a re-produce job; "Dry run" asks the server what it would write. */
export function ReplayForm({ state, onChange, topics, busy, error, filterError, onDryRun }: {
  state: ReplayFormState;
  onChange: (next: ReplayFormState) => void;
  topics: { name: string; partitions: number }[] | null;
  busy: boolean;
  error: string | null;
  filterError: { expression: string; error: FilterError } | null;
  onDryRun: () => void;
}) {
  const ids = useId();
  const set = (p: Partial<ReplayFormState>) => onChange({ ...state, ...p });
  const same = state.sourceTopic.trim() !== '' && state.sourceTopic.trim() === state.targetTopic.trim();
  return (
    <form
      className="panel replay-form"
      data-testid="replay-form"
      onSubmit={(e) => {
        e.preventDefault();
        onDryRun();
      }}
    >
      <h2>1 · What to copy, and where</h2>
      <datalist id={`${ids}-topics`}>
        {(topics ?? []).map((t) => (
          <option key={t.name} value={t.name} />
        ))}
      </datalist>
      <div className="form-grid">
        <fieldset className="form-block">
          <legend>Source</legend>
          <Field label="Source topic">{(id) => <input id={id} className="mono" list={`${ids}-topics`} value={state.sourceTopic} onChange={(e) => set({ sourceTopic: e.target.value })} autoComplete="off" data-testid="replay-source" />}</Field>
          <Field label="Partitions" note="comma-separated; empty for all">{(id) => <input id={id} className="mono short-wide" value={state.partitions} onChange={(e) => set({ partitions: e.target.value })} placeholder="all" />}</Field>
          <div className="choices" role="radiogroup" aria-label="Range">
            {RANGES.map((r) => (
              <label key={r.value} className={`choice${state.range === r.value ? ' chosen' : ''}`}>
                <input type="radio" name={`${ids}-range`} checked={state.range === r.value} onChange={() => set({ range: r.value })} />
                {r.label}
              </label>
            ))}
          </div>
          {state.range === 'offsets' ? (
            <div className="inline-fields">
              <Field label="From offset">{(id) => <input id={id} className="mono short-wide" inputMode="numeric" value={state.fromOffset} onChange={(e) => set({ fromOffset: e.target.value })} placeholder="log start" />}</Field>
              <Field label="To offset (exclusive)">{(id) => <input id={id} className="mono short-wide" inputMode="numeric" value={state.toOffset} onChange={(e) => set({ toOffset: e.target.value })} placeholder="log end" />}</Field>
            </div>
          ) : null}
          {state.range === 'time' ? (
            <div className="inline-fields">
              <Field label="From (local time)">{(id) => <input id={id} type="datetime-local" step={1} value={state.fromTime} onChange={(e) => set({ fromTime: e.target.value })} />}</Field>
              <Field label="To (local time)">{(id) => <input id={id} type="datetime-local" step={1} value={state.toTime} onChange={(e) => set({ toTime: e.target.value })} />}</Field>
            </div>
          ) : null}
          <Field label="Filter (CEL, optional)" note={<>the messages page’s language, e.g. <span className="mono">{'value.status == "FAILED"'}</span>; empty copies every record</>}>
            {(id) => (
              <textarea
                id={id}
                className="mono filter-input"
                rows={Math.min(6, Math.max(2, state.filter.split('\n').length))}
                value={state.filter}
                onChange={(e) => set({ filter: e.target.value })}
                spellCheck={false}
                aria-invalid={filterError !== null && filterError.expression === state.filter.trim()}
                data-testid="replay-filter"
              />
            )}
          </Field>
          {filterError && filterError.expression === state.filter.trim() ? <FilterErrorView expression={filterError.expression} error={filterError.error} /> : null}
        </fieldset>
        <fieldset className="form-block">
          <legend>Target</legend>
          <Field label="Target topic" note={same ? <span className="warn-text">Same as the source: the copies would be copied again. Tick “allow” below only if you mean it.</span> : 'on this cluster'}>
            {(id) => <input id={id} className="mono" list={`${ids}-topics`} value={state.targetTopic} onChange={(e) => set({ targetTopic: e.target.value })} autoComplete="off" data-testid="replay-target" />}
          </Field>
          <div className="choices" role="radiogroup" aria-label="Partitioning">
            <label className={`choice${state.partitioning === 'same' ? ' chosen' : ''}`}>
              <input type="radio" name={`${ids}-part`} checked={state.partitioning === 'same'} onChange={() => set({ partitioning: 'same' })} />
              Same partition as the source
            </label>
            <label className={`choice${state.partitioning === 'key' ? ' chosen' : ''}`}>
              <input type="radio" name={`${ids}-part`} checked={state.partitioning === 'key'} onChange={() => set({ partitioning: 'key' })} />
              Partition by key
            </label>
          </div>
          <div className="checks">
            <Check checked={state.keepKey} onChange={(v) => set({ keepKey: v })}>Keep key</Check>
            <Check checked={state.keepHeaders} onChange={(v) => set({ keepHeaders: v })}>Keep headers</Check>
            <Check checked={state.keepTimestamp} onChange={(v) => set({ keepTimestamp: v })}>Keep timestamp</Check>
          </div>
          <p className="small muted">Every copy also gets provenance headers (job id, source topic/partition/offset).</p>
          <div className="inline-fields">
            <Field label="Rate limit (records/s)">{(id) => <input id={id} className="mono short-wide" inputMode="numeric" value={state.rateLimit} onChange={(e) => set({ rateLimit: e.target.value })} placeholder="none" />}</Field>
            <Field label="Max records">{(id) => <input id={id} className="mono short-wide" inputMode="numeric" value={state.maxRecords} onChange={(e) => set({ maxRecords: e.target.value })} placeholder="no cap" />}</Field>
          </div>
          <div className="checks">
            <Check checked={state.allowSameTopic} onChange={(v) => set({ allowSameTopic: v })}>Allow target = source</Check>
            <Check checked={state.allowCompactedTarget} onChange={(v) => set({ allowCompactedTarget: v })}>Allow a compacted target</Check>
          </div>
        </fieldset>
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy} data-testid="replay-dry-run">
          {busy ? 'Running the dry run…' : 'Dry run'}
        </button>
        <span className="small muted">Reads the range and counts what would be written; writes nothing.</span>
        {error ? <span className="small warn-text" role="alert">{error}</span> : null}
      </div>
    </form>
  );
}
