import { describe, expect, it } from 'vitest';
import type { AlertState } from '../../lib/alerts/evaluate';
import { HOUR, MINUTE, T0, useTempStores } from './test-support';

const { open } = useTempStores();

function firing(id: string, since: number): AlertState {
  return {
    key: `r|group:${id}`, id: `prod/r|group:${id}/${since}`, cluster: 'prod', ruleId: 'r', ruleName: 'r', kind: 'group_status', severity: 'critical',
    subject: { type: 'group', name: id }, phase: 'firing', breachCycles: 3, clearCycles: 0, pendingSince: since - 10_000, since,
    value: null, threshold: 3, unit: 'cycles', status: 'STOP', message: `${id} has been STOP`,
  };
}

describe('AlertStore', () => {
  it('keeps UI rules, firing alerts and notification records across a restart', () => {
    const store = open();
    store.alerts.putRule('email-stop', { id: 'email-stop', kind: 'group_status' }, T0);
    expect(store.alerts.putRule('email-stop', { id: 'email-stop', kind: 'group_status', forCycles: 2 }, T0 + 1)).toBe(true);
    store.alerts.saveFiring(firing('email-service', T0));
    store.alerts.saveFiring(firing('billing', T0 + 5_000));
    store.alerts.saveResolved({ ...firing('billing', T0 + 5_000), resolvedAt: T0 + 60_000, message: 'billing is OK again' });
    store.alerts.saveDelivery({ alertId: firing('email-service', T0).id, webhook: 'hook', transition: 'firing', state: 'delivered', attempts: 2, queuedAt: T0, lastAttemptAt: T0 + 2_000, lastError: null, deliveredAt: T0 + 2_000, nextAttemptAt: null });
    store.close();

    const again = open();
    expect(again.alerts.listRules()).toEqual([{ id: 'email-stop', body: { id: 'email-stop', kind: 'group_status', forCycles: 2 }, createdAt: T0 }]);
    expect(again.alerts.firing().map((a) => a.subject.name)).toEqual(['email-service']);
    const listed = again.alerts.list('prod', 'all', 10);
    expect(listed.map((a) => [a.state.subject.name, a.resolvedAt])).toEqual([['email-service', null], ['billing', T0 + 60_000]]);
    expect(again.alerts.list('prod', 'resolved', 10)[0]?.state.message).toBe('billing is OK again');
    expect(again.alerts.hasDelivery(firing('email-service', T0).id, 'hook', 'firing')).toBe(true);
    expect(again.alerts.hasDelivery(firing('email-service', T0).id, 'hook', 'resolved')).toBe(false);
    expect(again.alerts.deliveriesOf([firing('email-service', T0).id]).get(firing('email-service', T0).id)?.[0]).toMatchObject({ attempts: 2, state: 'delivered' });
    expect(again.alerts.deleteRule('email-stop')).toBe(true);
    expect(again.alerts.deleteRule('email-stop')).toBe(false);
  });

  it('prunes resolved alerts past the retention, never firing ones', () => {
    const store = open({ retentionMs: HOUR, fullResolutionMs: 0 });
    store.alerts.saveFiring(firing('old-but-firing', T0));
    store.alerts.saveResolved({ ...firing('old', T0), resolvedAt: T0 + MINUTE });
    store.alerts.saveResolved({ ...firing('recent', T0), resolvedAt: T0 + 2 * HOUR });
    expect(store.alerts.compact(T0 + 2 * HOUR + MINUTE)).toBe(1);
    expect(store.alerts.list('prod', 'all', 10).map((a) => a.state.subject.name)).toEqual(['old-but-firing', 'recent']);
  });
});

describe('StatusLog', () => {
  it('appends only changes, marks groups that disappear, and survives a restart without duplicating', () => {
    const store = open();
    expect(store.statusLog.record('prod', T0, [{ id: 'email', status: 'OK', reason: 'consuming' }, { id: 'new', status: null, reason: null }])).toBe(1);
    expect(store.statusLog.record('prod', T0 + 5_000, [{ id: 'email', status: 'OK', reason: 'consuming; lag 3' }])).toBe(0);
    expect(store.statusLog.record('prod', T0 + 10_000, [{ id: 'email', status: 'STOP', reason: 'no consumer' }])).toBe(1);
    store.close();
    const again = open();
    expect(again.statusLog.record('prod', T0 + 15_000, [{ id: 'email', status: 'STOP', reason: 'no consumer' }])).toBe(0);
    expect(again.statusLog.record('prod', T0 + 20_000, [])).toBe(1);
    expect(again.statusLog.spans('prod', 'email', T0 - 5_000, T0 + 30_000)).toEqual([
      { from: T0 - 5_000, to: T0, status: null, reason: expect.stringContaining('no status recorded') },
      { from: T0, to: T0 + 10_000, status: 'OK', reason: 'consuming' },
      { from: T0 + 10_000, to: T0 + 20_000, status: 'STOP', reason: 'no consumer' },
      { from: T0 + 20_000, to: T0 + 30_000, status: null, reason: 'the group was not listed by the cluster' },
    ]);
    // A window starting inside a span begins with that span's status.
    expect(again.statusLog.spans('prod', 'email', T0 + 12_000, T0 + 14_000)).toEqual([{ from: T0 + 12_000, to: T0 + 14_000, status: 'STOP', reason: 'no consumer' }]);
    expect(again.statusLog.spans('prod', 'unknown', T0, T0 + 1)).toEqual([{ from: T0, to: T0 + 1, status: null, reason: expect.any(String) }]);
  });

  it('keeps the newest row before the retention cutoff so the timeline knows the status at its start', () => {
    const store = open({ retentionMs: HOUR, fullResolutionMs: 0 });
    store.statusLog.record('prod', T0, [{ id: 'g', status: 'OK', reason: null }]);
    store.statusLog.record('prod', T0 + MINUTE, [{ id: 'g', status: 'STALL', reason: null }]);
    store.statusLog.record('prod', T0 + 2 * MINUTE, [{ id: 'g', status: 'OK', reason: null }]);
    expect(store.statusLog.compact(T0 + 3 * HOUR)).toBe(2);
    expect(store.statusLog.spans('prod', 'g', T0 + 2 * HOUR, T0 + 3 * HOUR)).toEqual([{ from: T0 + 2 * HOUR, to: T0 + 3 * HOUR, status: 'OK', reason: null }]);
  });
});
