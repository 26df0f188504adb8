'use client';
import { useState } from 'react';
import type { WebhookTestResponse, WebhookView } from '../../lib/contract';
import { testWebhook } from './use-alerts';

/** Configured webhooks (host only: the URL is a secret) with a "Send test" for on-call set-up. */
export function WebhooksPanel({ webhooks, cluster }: { webhooks: WebhookView[]; cluster: string }) {
  const [results, setResults] = useState<Record<string, WebhookTestResponse | string | 'sending'>>({});
  if (webhooks.length === 0) {
    return (
      <p className="empty" data-testid="no-webhooks">
        No webhooks: alerts show here only. Add them under <code>alerts.webhooks</code> in the config file, e.g.{' '}
        <code>{'{ "id": "ops", "url": "https://hooks.slack.com/services/…", "format": "slack" }'}</code>.
      </p>
    );
  }
  const send = async (id: string) => {
    setResults((r) => ({ ...r, [id]: 'sending' }));
    const result = await testWebhook(id, cluster);
    setResults((r) => ({ ...r, [id]: result }));
  };
  return (
    <table className="table" data-testid="alert-webhooks">
      <thead>
        <tr>
          <th>Webhook</th>
          <th>Format</th>
          <th>Host</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {webhooks.map((w) => {
          const r = results[w.id];
          return (
            <tr key={w.id} data-testid="alert-webhook" data-webhook={w.id}>
              <td className="mono">{w.id}</td>
              <td>{w.format === 'slack' ? 'Slack' : 'JSON'}</td>
              <td className="mono">{w.host}</td>
              <td>
                <button className="button ghost" type="button" disabled={r === 'sending'} onClick={() => void send(w.id)} data-testid="webhook-test">
                  {r === 'sending' ? 'Sending…' : 'Send test'}
                </button>{' '}
                {r && r !== 'sending' ? (
                  typeof r === 'string' ? (
                    <span className="warn-text">{r}</span>
                  ) : r.ok ? (
                    <span className="delivery-ok">✓ delivered (HTTP {r.httpStatus}, {Math.round(r.durationMs)} ms)</span>
                  ) : (
                    <span className="delivery-failed">✗ {r.error}</span>
                  )
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
