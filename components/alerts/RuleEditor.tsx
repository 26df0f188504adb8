'use client';
import { useState, type FormEvent } from 'react';
import { groupStatusSchema, type AlertRule, type AlertRuleKind, type WebhookView } from '../../lib/contract';
import { saveRule } from './use-alerts';

const STATUSES = groupStatusSchema.options;

/** Form state as strings, the way inputs hold them; turned into a rule body on submit. */
interface Draft {
  id: string;
  name: string;
  kind: AlertRuleKind;
  severity: 'critical' | 'warning';
  pattern: string;
  statuses: string[];
  thresholdSeconds: string;
  clearBelowSeconds: string;
  minutes: string;
  forCycles: string;
  clearCycles: string;
  /** null: every webhook. */
  webhooks: string[] | null;
  enabled: boolean;
}

function draftOf(rule: AlertRule | null): Draft {
  return {
    id: rule?.id ?? '',
    name: rule?.name ?? '',
    kind: rule?.kind ?? 'group_status',
    severity: rule?.severity ?? 'critical',
    pattern: rule ? (rule.kind === 'topic_idle' ? rule.topic : rule.group) : '*',
    statuses: rule?.kind === 'group_status' ? rule.statuses : ['STOP', 'STALL', 'DATA_LOSS'],
    thresholdSeconds: rule?.kind === 'lag_seconds' ? String(rule.thresholdSeconds) : '60',
    clearBelowSeconds: rule?.kind === 'lag_seconds' && rule.clearBelowSeconds !== undefined ? String(rule.clearBelowSeconds) : '',
    minutes: rule?.kind === 'topic_idle' ? String(rule.minutes) : '10',
    forCycles: String(rule?.forCycles ?? 3),
    clearCycles: String(rule?.clearCycles ?? 3),
    webhooks: rule?.webhooks ?? null,
    enabled: rule?.enabled ?? true,
  };
}

/** Numbers typed by a person: "" stays absent, anything else goes to the API as a number (it validates). */
function num(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

function bodyOf(d: Draft): Record<string, unknown> {
  const common = { id: d.id.trim(), name: d.name.trim() || undefined, severity: d.severity, forCycles: num(d.forCycles), clearCycles: num(d.clearCycles), webhooks: d.webhooks ?? undefined, enabled: d.enabled };
  if (d.kind === 'group_status') return { ...common, kind: d.kind, group: d.pattern, statuses: d.statuses };
  if (d.kind === 'lag_seconds') return { ...common, kind: d.kind, group: d.pattern, thresholdSeconds: num(d.thresholdSeconds), clearBelowSeconds: num(d.clearBelowSeconds) };
  return { ...common, kind: d.kind, topic: d.pattern, minutes: num(d.minutes) };
}

export function RuleEditor({ rule, webhooks, onDone }: { rule: AlertRule | null; webhooks: WebhookView[]; onDone: (saved: boolean) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(rule));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const message = await saveRule(bodyOf(draft), rule?.id ?? null).catch((err: Error) => err.message);
    setBusy(false);
    if (message) setError(message);
    else onDone(true);
  };

  return (
    <form className="rule-form" onSubmit={submit} data-testid="rule-form">
      <h3>{rule ? `Edit rule ${rule.id}` : 'New alert rule'}</h3>
      <div className="rule-grid">
        <label>
          Id
          <input value={draft.id} onChange={(e) => set('id', e.target.value)} disabled={rule !== null} placeholder="email-down" required data-testid="rule-id" />
        </label>
        <label>
          Name <span className="muted small">(optional)</span>
          <input value={draft.name} onChange={(e) => set('name', e.target.value)} placeholder="Email service is down" />
        </label>
        <label>
          Kind
          <select value={draft.kind} onChange={(e) => set('kind', e.target.value as AlertRuleKind)} data-testid="rule-kind">
            <option value="group_status">group status for N cycles</option>
            <option value="lag_seconds">lag in seconds above an SLO</option>
            <option value="topic_idle">topic with no produce for N minutes</option>
          </select>
        </label>
        <label>
          Severity
          <select value={draft.severity} onChange={(e) => set('severity', e.target.value as Draft['severity'])}>
            <option value="critical">critical</option>
            <option value="warning">warning</option>
          </select>
        </label>
        <label>
          {draft.kind === 'topic_idle' ? 'Topic' : 'Group'} <span className="muted small">(exact name, * for all, or a glob: * any run, ? one character, e.g. billing-*; no regex)</span>
          <input value={draft.pattern} onChange={(e) => set('pattern', e.target.value)} className="mono" data-testid="rule-pattern" />
        </label>
        {draft.kind === 'lag_seconds' ? (
          <>
            <label>
              SLO: fire above (s)
              <input type="number" step="any" value={draft.thresholdSeconds} onChange={(e) => set('thresholdSeconds', e.target.value)} data-testid="rule-threshold" />
            </label>
            <label>
              Resolve at or below (s) <span className="muted small">(default 80 %)</span>
              <input type="number" step="any" value={draft.clearBelowSeconds} onChange={(e) => set('clearBelowSeconds', e.target.value)} />
            </label>
          </>
        ) : null}
        {draft.kind === 'topic_idle' ? (
          <label>
            No produce for (minutes)
            <input type="number" step="any" value={draft.minutes} onChange={(e) => set('minutes', e.target.value)} data-testid="rule-minutes" />
          </label>
        ) : null}
        <label>
          Fire after (cycles)
          <input type="number" value={draft.forCycles} onChange={(e) => set('forCycles', e.target.value)} />
        </label>
        <label>
          Resolve after (cycles)
          <input type="number" value={draft.clearCycles} onChange={(e) => set('clearCycles', e.target.value)} />
        </label>
      </div>
      {draft.kind === 'group_status' ? (
        <fieldset className="rule-statuses">
          <legend>Fire while the group is</legend>
          {STATUSES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={draft.statuses.includes(s)} onChange={(e) => set('statuses', e.target.checked ? [...draft.statuses, s] : draft.statuses.filter((x) => x !== s))} />
              {s}
            </label>
          ))}
        </fieldset>
      ) : null}
      <fieldset className="rule-statuses">
        <legend>Notify</legend>
        <label className="check">
          <input type="checkbox" checked={draft.webhooks === null} onChange={(e) => set('webhooks', e.target.checked ? null : [])} />
          every webhook
        </label>
        {draft.webhooks !== null
          ? webhooks.map((w) => (
              <label key={w.id} className="check">
                <input type="checkbox" checked={draft.webhooks!.includes(w.id)} onChange={(e) => set('webhooks', e.target.checked ? [...draft.webhooks!, w.id] : draft.webhooks!.filter((x) => x !== w.id))} />
                {w.id}
              </label>
            ))
          : null}
        <label className="check">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          enabled
        </label>
      </fieldset>
      {error ? (
        <p className="notice notice-danger" role="alert" data-testid="rule-error">
          {error}
        </p>
      ) : null}
      <div className="rule-actions">
        <button className="button" type="submit" disabled={busy} data-testid="rule-save">
          {busy ? 'Saving…' : rule ? 'Save changes' : 'Create rule'}
        </button>
        <button className="button ghost" type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
