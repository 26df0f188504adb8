'use client';
import { useCallback, useEffect, useState } from 'react';
import { fetchJson } from '../realtime/fetch-json';
import { alertRulesResponseSchema, alertsResponseSchema, apiErrorSchema, webhooksResponseSchema, webhookTestResponseSchema, type AlertInstance, type AlertRuleEntry, type WebhookTestResponse, type WebhookView } from '../../lib/contract';

/**
 * The Alerts page's data. Polls the REST routes every 5 s: alerts change a few times an hour at most, so polling is
 * fine for now; a socket room can replace it when the realtime hub carries alert changes (AlertManager's 'change').
 */
const POLL_MS = 5_000;

const alertsKeys = {
  alerts: (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}/alerts?state=all`,
  rules: '/api/alerts/rules',
  webhooks: '/api/alerts/webhooks',
};

export interface AlertsData {
  alerts: AlertInstance[] | null;
  rules: AlertRuleEntry[] | null;
  webhooks: WebhookView[] | null;
  observedAt: number | null;
  error: string | null;
  reload: () => void;
}

/** A poll must see the server's state now, never a cached answer. */
const NO_STORE: RequestInit = { cache: 'no-store' };

export function useAlerts(cluster: string): AlertsData {
  const [state, setState] = useState<Omit<AlertsData, 'reload'>>({ alerts: null, rules: null, webhooks: null, observedAt: null, error: null });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      try {
        const [a, r, w] = await Promise.all([fetchJson(alertsKeys.alerts(cluster), NO_STORE), fetchJson(alertsKeys.rules, NO_STORE), fetchJson(alertsKeys.webhooks, NO_STORE)]);
        const alerts = alertsResponseSchema.parse(a);
        if (!cancelled) setState({ alerts: alerts.alerts, observedAt: alerts.observedAt, rules: alertRulesResponseSchema.parse(r).rules, webhooks: webhooksResponseSchema.parse(w).webhooks, error: null });
      } catch (err) {
        if (!cancelled) setState((s) => ({ ...s, error: (err as Error).message || 'Cannot reach the Topolog server. Is it still running?' }));
      }
    };
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [cluster, tick]);
  return { ...state, reload };
}

/** Sends a rule to the API; resolves to null on success or to the API's message (400/409) to show inline. */
export async function saveRule(rule: unknown, existingId: string | null): Promise<string | null> {
  const res = await fetch(existingId ? `${alertsKeys.rules}/${encodeURIComponent(existingId)}` : alertsKeys.rules, {
    method: existingId ? 'PUT' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  if (res.ok) return null;
  const err = apiErrorSchema.safeParse(await res.json().catch(() => null));
  return err.success ? `${err.data.message}${err.data.hint ? ` ${err.data.hint}` : ''}` : `The server answered HTTP ${res.status}.`;
}

export async function deleteRule(id: string): Promise<string | null> {
  const res = await fetch(`${alertsKeys.rules}/${encodeURIComponent(id)}`, { method: 'DELETE' });
  if (res.ok) return null;
  const err = apiErrorSchema.safeParse(await res.json().catch(() => null));
  return err.success ? err.data.message : `The server answered HTTP ${res.status}.`;
}

export async function testWebhook(id: string, cluster: string): Promise<WebhookTestResponse | string> {
  try {
    const res = await fetch(`/api/alerts/webhooks/${encodeURIComponent(id)}/test?cluster=${encodeURIComponent(cluster)}`, { method: 'POST' });
    const body: unknown = await res.json();
    const parsed = webhookTestResponseSchema.safeParse(body);
    if (parsed.success) return parsed.data;
    const err = apiErrorSchema.safeParse(body);
    return err.success ? err.data.message : `HTTP ${res.status}`;
  } catch (err) {
    return (err as Error).message;
  }
}
