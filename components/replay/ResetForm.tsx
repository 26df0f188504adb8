'use client';
import { useId, type ReactNode } from 'react';
import { AGO_PRESETS, agoToTimestamp, partitionKey, type ResetFormState, type ResetModeChoice } from '../../lib/replay/reset-form';

const MODES: { mode: ResetModeChoice; label: string; note: string }[] = [
  { mode: 'earliest', label: 'Earliest', note: 'reprocess everything still in the log' },
  { mode: 'latest', label: 'Latest', note: 'skip everything not read yet' },
  { mode: 'time', label: 'A time', note: 'the first message at or after it' },
  { mode: 'offset', label: 'Exact offset', note: 'the same offset on every chosen partition' },
  { mode: 'shift', label: 'Shift by N', note: 'relative to the committed offset' },
  { mode: 'copy', label: 'Copy another group', note: 'take its committed offsets' },
];

function Radio({ name, checked, onChange, children, testId }: { name: string; checked: boolean; onChange: () => void; children: ReactNode; testId?: string }) {
  return (
    <label className={`choice${checked ? ' chosen' : ''}`}>
      <input type="radio" name={name} checked={checked} onChange={onChange} data-testid={testId} />
      {children}
    </label>
  );
}

/** How far back, as a number and unit, with the usual distances one click away. */
function TimeFields({ s, set, now }: { s: ResetFormState; set: (p: Partial<ResetFormState>) => void; now: number }) {
  const ids = useId();
  const resolved = s.time === 'ago' ? agoToTimestamp(s.agoAmount, s.agoUnit, now) : null;
  return (
    <div className="mode-fields" data-testid="reset-time-fields">
      <div className="inline-fields">
        <Radio name={`${ids}-time`} checked={s.time === 'ago'} onChange={() => set({ time: 'ago' })}>ago</Radio>
        <label>
          <span className="visually-hidden">How long ago</span>
          <input type="number" min={1} className="short" aria-label="How long ago" value={s.agoAmount} onChange={(e) => set({ time: 'ago', agoAmount: e.target.value })} />
        </label>
        <select aria-label="Unit" value={s.agoUnit} onChange={(e) => set({ time: 'ago', agoUnit: e.target.value as ResetFormState['agoUnit'] })}>
          <option value="minutes">minutes ago</option>
          <option value="hours">hours ago</option>
          <option value="days">days ago</option>
        </select>
        <span className="quick-choices" role="group" aria-label="Quick choices">
          {AGO_PRESETS.map((p) => (
            <button key={p.label} type="button" className={`button small${s.time === 'ago' && s.agoAmount === String(p.amount) && s.agoUnit === p.unit ? ' active' : ''}`} onClick={() => set({ time: 'ago', agoAmount: String(p.amount), agoUnit: p.unit })}>
              {p.label} ago
            </button>
          ))}
        </span>
      </div>
      {resolved !== null ? <p className="small muted">≈ {new Date(resolved).toLocaleString()} (pinned when you press Preview)</p> : null}
      <div className="inline-fields">
        <Radio name={`${ids}-time`} checked={s.time === 'at'} onChange={() => set({ time: 'at' })}>at</Radio>
        <label className="field-inline">
          <span>Date and time (local)</span>
          <input type="datetime-local" step={1} value={s.datetime} onChange={(e) => set({ time: 'at', datetime: e.target.value })} />
        </label>
      </div>
    </div>
  );
}

function ModeFields({ s, set, otherGroups, now }: { s: ResetFormState; set: (p: Partial<ResetFormState>) => void; otherGroups: string[] | null; now: number }) {
  switch (s.mode) {
    case 'time':
      return <TimeFields s={s} set={set} now={now} />;
    case 'offset':
      return (
        <div className="mode-fields">
          <label className="field-inline">
            <span>Offset</span>
            <input inputMode="numeric" className="mono" value={s.offset} onChange={(e) => set({ offset: e.target.value })} placeholder="e.g. 1200" />
          </label>
          <p className="small muted">Outside a partition’s log it is clamped to the log start or end; the preview says where.</p>
        </div>
      );
    case 'shift':
      return (
        <div className="mode-fields">
          <label className="field-inline">
            <span>Shift by (messages)</span>
            <input inputMode="numeric" className="mono" value={s.shift} onChange={(e) => set({ shift: e.target.value })} placeholder="-100" />
          </label>
          <p className="small muted">Negative goes back (those messages are read again); positive goes forward (they are skipped).</p>
        </div>
      );
    case 'copy':
      return (
        <div className="mode-fields">
          <label className="field-inline">
            <span>Copy offsets from group</span>
            <select value={s.copyGroup} onChange={(e) => set({ copyGroup: e.target.value })}>
              <option value="">{otherGroups === null ? 'Loading groups…' : 'Choose a group'}</option>
              {(otherGroups ?? []).map((g) => (
                <option key={g} value={g}>{g}</option>
              ))}
            </select>
          </label>
        </div>
      );
    default:
      return null;
  }
}

function ScopeFields({ s, set, partitions }: { s: ResetFormState; set: (p: Partial<ResetFormState>) => void; partitions: Map<string, number[]> }) {
  const ids = useId();
  const toggle = (list: string[], item: string) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  const topics = [...partitions.keys()];
  return (
    <fieldset className="form-block">
      <legend>Which partitions</legend>
      <div className="choices">
        <Radio name={`${ids}-scope`} checked={s.scope === 'group'} onChange={() => set({ scope: 'group' })}>Whole group <span className="muted small">({topics.length} topic{topics.length === 1 ? '' : 's'})</span></Radio>
        <Radio name={`${ids}-scope`} checked={s.scope === 'topics'} onChange={() => set({ scope: 'topics' })}>Chosen topics</Radio>
        <Radio name={`${ids}-scope`} checked={s.scope === 'partitions'} onChange={() => set({ scope: 'partitions' })}>Chosen partitions</Radio>
      </div>
      {s.scope === 'topics' ? (
        <div className="checks">
          {topics.map((t) => (
            <label key={t} className="check-item">
              <input type="checkbox" checked={s.topics.includes(t)} onChange={() => set({ topics: toggle(s.topics, t) })} />
              <span className="mono">{t}</span>
            </label>
          ))}
        </div>
      ) : null}
      {s.scope === 'partitions' ? (
        <div className="checks">
          {topics.map((t) => (
            <div key={t} className="check-topic">
              <span className="mono">{t}</span>
              {partitions.get(t)!.map((p) => (
                <label key={p} className="check-item">
                  <input type="checkbox" checked={s.partitions.includes(partitionKey(t, p))} onChange={() => set({ partitions: toggle(s.partitions, partitionKey(t, p)) })} aria-label={`${t} partition ${p}`} />
                  {p}
                </label>
              ))}
            </div>
          ))}
        </div>
      ) : null}
      {topics.length === 0 ? <p className="small muted">The group has no committed offsets the poller has seen yet; the whole-group preview asks Kafka directly.</p> : null}
    </fieldset>
  );
}

/** Where to move the group's offsets and for which partitions; Preview asks the server for a dry run. */
export function ResetForm({ state, onChange, partitions, otherGroups, now, busy, error, onPreview }: {
  state: ResetFormState;
  onChange: (next: ResetFormState) => void;
  partitions: Map<string, number[]>;
  otherGroups: string[] | null;
  now: number;
  busy: boolean;
  error: string | null;
  onPreview: () => void;
}) {
  const ids = useId();
  const set = (p: Partial<ResetFormState>) => onChange({ ...state, ...p });
  return (
    <form
      className="panel replay-form"
      data-testid="reset-form"
      onSubmit={(e) => {
        e.preventDefault();
        onPreview();
      }}
    >
      <h2>1 · Choose where to move the offsets</h2>
      <fieldset className="form-block">
        <legend>Reset to</legend>
        <div className="choices">
          {MODES.map((m) => (
            <Radio key={m.mode} name={`${ids}-mode`} checked={state.mode === m.mode} onChange={() => set({ mode: m.mode })} testId={`reset-mode-${m.mode}`}>
              <span>
                <strong>{m.label}</strong>
                <span className="choice-note">{m.note}</span>
              </span>
            </Radio>
          ))}
        </div>
        <ModeFields s={state} set={set} otherGroups={otherGroups} now={now} />
      </fieldset>
      <ScopeFields s={state} set={set} partitions={partitions} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy} data-testid="reset-preview">
          {busy ? 'Previewing…' : 'Preview'}
        </button>
        <span className="small muted">A dry run: nothing is written until you confirm.</span>
        {error ? <span className="small warn-text" role="alert">{error}</span> : null}
      </div>
    </form>
  );
}
