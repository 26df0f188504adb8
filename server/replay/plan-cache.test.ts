import { describe, expect, it } from 'vitest';
import { hashPlan, PLAN_TTL_MS, PlanCache } from './plan-cache';

describe('PlanCache', () => {
  it('hashes what was previewed, whatever the key order', () => {
    expect(hashPlan({ a: 1, b: [{ x: 1, y: 2 }] })).toBe(hashPlan({ b: [{ y: 2, x: 1 }], a: 1 }));
    expect(hashPlan({ a: 1 })).not.toBe(hashPlan({ a: 2 }));
  });

  it('executes a plan once: a repeated execute gets the first answer', async () => {
    const cache = new PlanCache<string>();
    const { planId, planHash } = cache.add('reset g1', { targets: [1, 2] });
    let runs = 0;
    const work = async (plan: string) => `${plan} #${++runs}`;
    const [a, b] = await Promise.all([cache.executeOnce(planId, planHash, work), cache.executeOnce(planId, planHash, work)]);
    expect([a, b, runs]).toEqual(['reset g1 #1', 'reset g1 #1', 1]);
  });

  it('lets a failed execute be tried again', async () => {
    const cache = new PlanCache<string>();
    const { planId, planHash } = cache.add('p', {});
    await expect(cache.executeOnce(planId, planHash, async () => { throw new Error('members present'); })).rejects.toThrow('members present');
    await expect(cache.executeOnce(planId, planHash, async () => 'ok')).resolves.toBe('ok');
  });

  it('refuses unknown, altered and expired plans', async () => {
    let now = 1_000;
    const cache = new PlanCache<string>(() => now);
    const { planId, planHash } = cache.add('p', { a: 1 });
    await expect(cache.executeOnce('nope', planHash, async () => 1)).rejects.toMatchObject({ status: 404, code: 'plan_not_found' });
    await expect(cache.executeOnce(planId, hashPlan({ a: 2 }), async () => 1)).rejects.toMatchObject({ status: 409, code: 'plan_mismatch' });
    now += PLAN_TTL_MS + 1;
    await expect(cache.executeOnce(planId, planHash, async () => 1)).rejects.toMatchObject({ status: 410, code: 'plan_expired' });
  });
});
