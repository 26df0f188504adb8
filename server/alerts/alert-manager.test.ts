import { afterEach, describe, expect, it } from 'vitest';
import type { GroupStatus, GroupSummary, OverviewData } from '../../lib/contract';
import { useTempStores } from '../store/test-support';
import { AlertManager } from './alert-manager';

// The manager with a real store and no webhooks: what rule edits do to the alerts they already raised.

const { open } = useTempStores();
const managers: AlertManager[] = [];
afterEach(() => {
  for (const m of managers.splice(0)) m.close();
});

const T0 = Date.UTC(2026, 0, 1, 3, 0, 0);
const watcher = { engine: { partitionOffsets: () => undefined } } as never;

function overview(t: number, status: GroupStatus, lagSecondsMax: number): OverviewData {
  const group: GroupSummary = {
    id: 'email-service', type: 'classic', protocolType: 'consumer', state: status === 'STOP' ? 'Empty' : 'Stable', members: [], topics: ['user.registered'], status,
    lagSum: 120, lagMax: 120, lagSecondsMax, etaSeconds: null, statusReason: status === 'STOP' ? 'no consumer' : 'consuming',
  };
  return {
    cluster: { id: 'local', name: 'local', bootstrap: [], state: 'ok', since: 0, error: null, retryAt: null, clusterId: null, controllerId: null, brokers: [], version: null, readOnly: false, pollIntervalMs: 1000, observedAt: t },
    topics: [],
    groups: [group],
  };
}

function manager() {
  let now = T0;
  const m = new AlertManager({ config: { rules: [], webhooks: [] }, store: open(), publicUrl: null, now: () => now });
  managers.push(m);
  return { m, setNow: (t: number) => (now = t) };
}

describe('AlertManager rule edits', () => {
  it('resolves the firing alerts of a rule whose kind changes, and the new kind fires its own alert', () => {
    const { m, setNow } = manager();
    m.createRule({ id: 'email', kind: 'group_status', group: 'email-service', forCycles: 1, clearCycles: 1, webhooks: [] });
    const changes: string[] = [];
    m.on('change', (c) => changes.push(c));
    m.onCycle(watcher, overview(T0, 'STOP', 300));
    const [fired] = m.alerts('local', 'firing');
    expect(fired).toMatchObject({ kind: 'group_status', status: 'STOP' });

    setNow(T0 + 500);
    m.updateRule('email', { kind: 'lag_seconds', group: 'email-service', thresholdSeconds: 60, forCycles: 1, clearCycles: 1, webhooks: [] });
    expect(m.alerts('local', 'firing')).toEqual([]);
    expect(m.alerts('local', 'resolved')).toEqual([
      expect.objectContaining({ id: fired!.id, kind: 'group_status', resolvedAt: T0 + 500, message: expect.stringContaining('the rule "email" was changed (its kind from group_status to lag_seconds)') }),
    ]);
    expect(changes).toEqual(['local', 'local']);

    // The next cycle evaluates the new kind from scratch: a new alert, a new id, a lag message.
    m.onCycle(watcher, overview(T0 + 1000, 'STOP', 300));
    const [again] = m.alerts('local', 'firing');
    expect(again).toMatchObject({ kind: 'lag_seconds', unit: 'seconds', value: 300 });
    expect(again!.id).not.toBe(fired!.id);
    expect(again!.message).toContain('above its SLO');
  });

  it('resolves on a changed pattern, but keeps the alert through an edit of its thresholds', () => {
    const { m, setNow } = manager();
    m.createRule({ id: 'email', kind: 'group_status', group: 'email-*', forCycles: 1, clearCycles: 1, webhooks: [] });
    m.onCycle(watcher, overview(T0, 'STOP', 300));
    const [fired] = m.alerts('local', 'firing');
    m.updateRule('email', { kind: 'group_status', group: 'email-*', statuses: ['STOP'], forCycles: 2, clearCycles: 2, webhooks: [] });
    m.onCycle(watcher, overview(T0 + 1000, 'STOP', 300));
    expect(m.alerts('local', 'firing').map((a) => a.id)).toEqual([fired!.id]);

    setNow(T0 + 1500);
    m.updateRule('email', { kind: 'group_status', group: 'email-service', forCycles: 1, clearCycles: 1, webhooks: [] });
    expect(m.alerts('local', 'firing')).toEqual([]);
    expect(m.alerts('local', 'resolved')[0]).toMatchObject({ id: fired!.id, message: expect.stringContaining('its group pattern from "email-*" to "email-service"') });
  });
});
