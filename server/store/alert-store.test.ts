import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { AlertState } from '../../lib/alerts/evaluate';
import { AlertStore } from './alert-store';
import { applyMigrations } from './migrations';
import { HOUR, MINUTE, T0, useTempStores } from './test-support';
import { MAX_SPAN_ROWS, MISSING_GRACE_CYCLES } from './status-log';

const { open, dataDir } = useTempStores();

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
    store.alerts.putRule('email-stop', { id: 'email-stop', kind: 'group_status', forCycles: 2 }, T0 + 1);
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

  it('loads the deliveries of many alerts with one query', () => {
    const path = join(dataDir(), 'count.db');
    const db = new DatabaseSync(path);
    applyMigrations(db, path);
    // Counts every statement run through this connection.
    let runs = 0;
    const counted = (st: StatementSync) =>
      new Proxy(st, { get: (target, key) => (['all', 'get', 'run', 'iterate'].includes(String(key)) ? (...args: unknown[]) => ((runs += 1), (target as any)[key](...args)) : (target as any)[key]?.bind?.(target) ?? (target as any)[key]) });
    const proxy = new Proxy(db, { get: (target, key) => (key === 'prepare' ? (sql: string) => counted(target.prepare(sql)) : (target as any)[key]?.bind?.(target) ?? (target as any)[key]) });
    const alerts = new AlertStore(proxy, HOUR);
    const ids = Array.from({ length: 500 }, (_, i) => `a${i}`);
    for (const [i, id] of ids.entries()) {
      if (i % 2 === 0) continue;
      for (const webhook of ['hook', 'slack']) alerts.saveDelivery({ alertId: id, webhook, transition: 'firing', state: 'delivered', attempts: 1, queuedAt: T0 + i, lastAttemptAt: T0 + i, lastError: null, deliveredAt: T0 + i, nextAttemptAt: null });
    }
    runs = 0;
    const found = alerts.deliveriesOf(ids);
    expect(runs).toBe(1);
    expect(found.size).toBe(500);
    expect(found.get('a0')).toEqual([]);
    expect(found.get('a1')?.map((d) => [d.alertId, d.webhook])).toEqual([['a1', 'hook'], ['a1', 'slack']]);
    expect([...found.values()].flat()).toHaveLength(500);
    db.close();
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
    // Gone: the "not listed" row waits for MISSING_GRACE_CYCLES cycles, then is dated from the first one.
    expect(again.statusLog.record('prod', T0 + 20_000, [])).toBe(0);
    expect(again.statusLog.record('prod', T0 + 25_000, [])).toBe(0);
    expect(again.statusLog.record('prod', T0 + 30_000, [])).toBe(1);
    expect(again.statusLog.record('prod', T0 + 35_000, [])).toBe(0);
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

  it('writes no "not listed" row for a group missing for one cycle, and one after MISSING_GRACE_CYCLES cycles', () => {
    expect(MISSING_GRACE_CYCLES).toBe(3);
    const store = open();
    const email = { id: 'email', status: 'OK' as const, reason: 'consuming' };
    expect(store.statusLog.record('prod', T0, [email])).toBe(1);
    expect(store.statusLog.record('prod', T0 + 5_000, [])).toBe(0); // missing once
    expect(store.statusLog.record('prod', T0 + 10_000, [email])).toBe(0); // back, same status: nothing to write
    expect(store.statusLog.record('prod', T0 + 15_000, [])).toBe(0);
    expect(store.statusLog.record('prod', T0 + 20_000, [])).toBe(0);
    expect(store.statusLog.record('prod', T0 + 25_000, [email])).toBe(0); // the count starts again
    expect(store.statusLog.spans('prod', 'email', T0, T0 + 30_000)).toEqual([{ from: T0, to: T0 + 30_000, status: 'OK', reason: 'consuming' }]);
    for (const t of [30_000, 35_000]) expect(store.statusLog.record('prod', T0 + t, [])).toBe(0);
    expect(store.statusLog.record('prod', T0 + 40_000, [])).toBe(1);
    expect(store.statusLog.spans('prod', 'email', T0, T0 + 50_000)).toEqual([
      { from: T0, to: T0 + 30_000, status: 'OK', reason: 'consuming' },
      { from: T0 + 30_000, to: T0 + 50_000, status: null, reason: 'the group was not listed by the cluster' },
    ]);
  });

  it('compaction drops a gone group entirely: its newest row before the cutoff is null', () => {
    const store = open({ retentionMs: HOUR, fullResolutionMs: 0 });
    store.statusLog.record('prod', T0, [{ id: 'console-consumer-1', status: 'OK', reason: null }, { id: 'stays', status: 'OK', reason: null }]);
    for (let i = 1; i <= MISSING_GRACE_CYCLES; i += 1) store.statusLog.record('prod', T0 + i * MINUTE, [{ id: 'stays', status: 'OK', reason: null }]);
    expect(store.statusLog.spans('prod', 'console-consumer-1', T0, T0 + 10 * MINUTE).map((s) => s.status)).toEqual(['OK', null]);
    // Two rows for the gone group, one for the other, all before the cutoff: the gone group's both go, "stays" keeps its one.
    expect(store.statusLog.compact(T0 + 3 * HOUR)).toBe(2);
    expect(store.statusLog.spans('prod', 'console-consumer-1', T0 + 2 * HOUR, T0 + 3 * HOUR)).toEqual([
      { from: T0 + 2 * HOUR, to: T0 + 3 * HOUR, status: null, reason: expect.stringContaining('no status recorded') },
    ]);
    expect(store.statusLog.spans('prod', 'stays', T0 + 2 * HOUR, T0 + 3 * HOUR)).toEqual([{ from: T0 + 2 * HOUR, to: T0 + 3 * HOUR, status: 'OK', reason: null }]);
  });

  it('shows the newest changes of a group that flapped more than MAX_SPAN_ROWS times in the range', () => {
    const store = open();
    const changes = MAX_SPAN_ROWS + 500;
    for (let i = 0; i < changes; i += 1) store.statusLog.record('prod', T0 + i * 1_000, [{ id: 'flappy', status: i % 2 === 0 ? 'OK' : 'STALL', reason: `change ${i}` }]);
    const to = T0 + changes * 1_000;
    const spans = store.statusLog.spans('prod', 'flappy', T0 - 1_000, to);
    // The newest change is there and lasts to the end of the range.
    expect(spans.at(-1)).toEqual({ from: T0 + (changes - 1) * 1_000, to, status: 'STALL', reason: `change ${changes - 1}` });
    // The part too old to show says so instead of claiming a status.
    expect(spans[0]).toEqual({ from: T0 - 1_000, to: T0 + 500 * 1_000, status: null, reason: expect.stringContaining('only the newest are shown') });
    expect(spans).toHaveLength(MAX_SPAN_ROWS + 1);
    spans.slice(1).forEach((s, i) => expect(s.from).toBe(spans[i]!.to));
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
