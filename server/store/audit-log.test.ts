import { describe, expect, it } from 'vitest';
import { useTempStores } from './test-support';

const stores = useTempStores();
const intent = { actor: '127.0.0.1', cluster: 'c1', action: 'reset' as const, target: 'group:billing', params: { spec: { mode: 'earliest' } } };

describe('AuditLog', () => {
  it('records an intent as pending, then its outcome, and survives reopening', () => {
    const store = stores.open();
    const id = store.audit.intent(intent);
    expect(store.audit.get(id)).toMatchObject({ id, outcome: 'pending', finishedAt: null, params: { spec: { mode: 'earliest' } } });
    store.audit.finish(id, 'partial', { failed: [{ topic: 't', partition: 1 }] });
    store.close();
    const again = stores.open();
    expect(again.audit.get(id)).toMatchObject({ outcome: 'partial', result: { failed: [{ topic: 't', partition: 1 }] } });
    expect(again.audit.get(id)!.finishedAt).not.toBeNull();
  });

  it('lists newest first, by cluster, a page at a time', () => {
    const store = stores.open();
    const ids = [1, 2, 3, 4, 5].map((i) => store.audit.intent({ ...intent, cluster: i % 2 ? 'c1' : 'c2', target: `group:g${i}` }));
    store.audit.refused({ ...intent, action: 'produce', target: 'topic:t' }, { code: 'read_only' });
    expect(store.audit.list({ limit: 3 }).map((e) => e.target)).toEqual(['topic:t', 'group:g5', 'group:g4']);
    expect(store.audit.list({ cluster: 'c1', limit: 10 }).map((e) => e.target)).toEqual(['topic:t', 'group:g5', 'group:g3', 'group:g1']);
    expect(store.audit.list({ cluster: 'c1', before: ids[4], limit: 10 }).map((e) => e.target)).toEqual(['group:g3', 'group:g1']);
    expect(store.audit.list({ limit: 1 })[0]).toMatchObject({ outcome: 'refused', result: { code: 'read_only' } });
  });

  it('throws when the row cannot be written, so the caller can refuse the action', () => {
    const store = stores.open();
    store.close();
    expect(() => store.audit.intent(intent)).toThrow();
  });

  it('pages through one action among many others without skipping or repeating', () => {
    const store = stores.open();
    const ids: number[] = [];
    for (let i = 0; i < 250; i++) {
      const id = store.audit.intent({ ...intent, action: i % 10 === 0 ? 'undo' : 'produce', target: `t${i}` });
      if (i % 10 === 0) ids.push(id);
    }
    const seen: number[] = [];
    let before: number | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const page = store.audit.page({ limit: 4, action: 'undo', before });
      seen.push(...page.entries.map((e) => e.id));
      expect(page.entries.every((e) => e.action === 'undo')).toBe(true);
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    expect(seen).toEqual([...ids].reverse());
  });
});
