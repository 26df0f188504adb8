'use client';
import { useState } from 'react';
import type { AlertRule, AlertRuleEntry, WebhookView } from '../../lib/contract';
import { RuleEditor } from './RuleEditor';
import { deleteRule } from './use-alerts';

function condition(rule: AlertRule): string {
  if (rule.kind === 'group_status') return `group ${rule.group} is ${rule.statuses.join(' or ')} for ${rule.forCycles} cycles (resolve after ${rule.clearCycles})`;
  if (rule.kind === 'lag_seconds') return `group ${rule.group} lag > ${rule.thresholdSeconds} s for ${rule.forCycles} cycles (resolve at ≤ ${rule.clearBelowSeconds ?? Math.round(rule.thresholdSeconds * 8) / 10} s for ${rule.clearCycles})`;
  return `topic ${rule.topic} has no produce for ${rule.minutes} min`;
}

/** The rules table: config rules read-only, UI rules editable; the editor opens inline. */
export function RulesPanel({ rules, webhooks, onChange }: { rules: AlertRuleEntry[]; webhooks: WebhookView[]; onChange: () => void }) {
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const remove = async (id: string) => {
    if (!window.confirm(`Delete the rule "${id}"? Its firing alerts resolve at the next cycle.`)) return;
    const message = await deleteRule(id);
    setError(message);
    onChange();
  };
  return (
    <>
      {rules.length === 0 ? (
        <p className="empty" data-testid="no-rules">
          No alert rules. Add one below, or put rules under <code>alerts.rules</code> in the config file.
        </p>
      ) : (
        <table className="table" data-testid="alert-rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Fires when</th>
              <th>Severity</th>
              <th>Notifies</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map(({ rule, source }) => (
              <tr key={rule.id} data-testid="alert-rule" data-rule={rule.id} className={rule.enabled ? undefined : 'rule-disabled'}>
                <td>
                  <span className="mono">{rule.id}</span> {rule.name ? <span className="muted">{rule.name}</span> : null} {source === 'config' ? <span className="tag">from config</span> : null}
                  {!rule.enabled ? <span className="tag">disabled</span> : null}
                </td>
                <td>{condition(rule)}</td>
                <td><span className={`tag tag-${rule.severity}`}>{rule.severity}</span></td>
                <td>{rule.webhooks === undefined ? 'every webhook' : rule.webhooks.length ? rule.webhooks.join(', ') : <span className="muted">app only</span>}</td>
                <td className="rule-row-actions">
                  {source === 'ui' ? (
                    <>
                      <button className="button ghost" type="button" onClick={() => setEditing(rule)}>Edit</button>
                      <button className="button ghost" type="button" onClick={() => void remove(rule.id)}>Delete</button>
                    </>
                  ) : (
                    <span className="muted small" title="Rules from the config file change there">read-only</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error ? <p className="notice notice-danger" role="alert">{error}</p> : null}
      {editing ? (
        <RuleEditor
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? null : editing}
          webhooks={webhooks}
          onDone={(saved) => {
            setEditing(null);
            if (saved) onChange();
          }}
        />
      ) : (
        <div className="rule-actions">
          <button className="button" type="button" onClick={() => setEditing('new')} data-testid="rule-new">Add a rule</button>
        </div>
      )}
    </>
  );
}
