import { describe, expect, it } from 'vitest';
import { useTempStores } from '../store/test-support';
import { WriteGuard, WriteRefused } from './write-guard';

const stores = useTempStores();
const intent = { actor: '10.0.0.7', cluster: 'prod', action: 'replay.start' as const, target: 'topic:orders', params: { n: 1 } };

describe('WriteGuard', () => {
  it('writes the intent before the work runs and the outcome after', async () => {
    const store = stores.open();
    const guard = new WriteGuard(store.audit, () => false);
    let seenDuringWork: unknown = null;
    const value = await guard.run(intent, async (auditId) => {
      seenDuringWork = store.audit.get(auditId)?.outcome;
      return { outcome: 'ok', result: { written: 3 }, value: 'done' };
    });
    expect(value).toBe('done');
    expect(seenDuringWork).toBe('pending');
    expect(store.audit.list({ limit: 5 })).toEqual([expect.objectContaining({ outcome: 'ok', result: { written: 3 }, action: 'replay.start' })]);
  });

  it('refuses a read-only cluster without running the work, and audits the refusal', async () => {
    const store = stores.open();
    const guard = new WriteGuard(store.audit, (c) => c === 'prod');
    let ran = false;
    const err = await guard.run(intent, async () => {
      ran = true;
      return { outcome: 'ok', result: null, value: 1 };
    }).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(err).toBeInstanceOf(WriteRefused);
    expect(err).toMatchObject({ status: 403, code: 'read_only' });
    const [entry] = store.audit.list({ limit: 1 });
    expect(entry).toMatchObject({ outcome: 'refused', target: 'topic:orders' });
    expect((err as WriteRefused).auditId).toBe(entry!.id);
  });

  it('refuses the write when the audit log cannot record it', async () => {
    const store = stores.open();
    const guard = new WriteGuard(store.audit, () => false);
    store.close();
    let ran = false;
    const err = await guard.run(intent, async () => {
      ran = true;
      return { outcome: 'ok', result: null, value: 1 };
    }).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(err).toMatchObject({ status: 503, code: 'audit_unavailable' });
  });

  it('records a failed or refused write as such, keeping the refusal details', async () => {
    const store = stores.open();
    const guard = new WriteGuard(store.audit, () => false);
    await expect(guard.run(intent, async () => { throw new Error('broker said no'); })).rejects.toThrow('broker said no');
    const refusal = await guard.run(intent, async () => { throw new WriteRefused(409, 'group_has_members', 'members', 'stop them', null, { members: ['m1'] }); }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ status: 409, details: { members: ['m1'] } });
    expect(store.audit.list({ limit: 2 }).map((e) => e.outcome)).toEqual(['refused', 'failed']);
    expect(store.audit.list({ limit: 2 })[1]!.result).toEqual({ message: 'broker said no' });
  });
});
