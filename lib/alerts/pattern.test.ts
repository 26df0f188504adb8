import { describe, expect, it } from 'vitest';
import { alertRuleSchema } from '../contract';
import { checkPattern, compilePattern, MAX_PATTERN_LENGTH } from './pattern';

describe('subject patterns', () => {
  it('matches exact names, "*" (never internal topics) and /regex/', () => {
    expect(compilePattern('email-service').matches('email-service')).toBe(true);
    expect(compilePattern('email-service').matches('email-service-2')).toBe(false);
    expect(compilePattern('*').matches('orders')).toBe(true);
    expect(compilePattern('*').matches('__consumer_offsets', true)).toBe(false);
    expect(compilePattern('/^billing-(eu|us)$/').matches('billing-eu')).toBe(true);
    expect(compilePattern('/^BILLING/i').matches('billing-eu')).toBe(true);
    expect(compilePattern('/^__consumer/').matches('__consumer_offsets', true)).toBe(true);
  });

  it('refuses regexes that do not compile, could hang the poller, or are too long', () => {
    expect(checkPattern('/([a-z/')).toMatchObject({ ok: false, message: expect.stringContaining('does not compile') });
    expect(checkPattern('/(a+)+$/')).toMatchObject({ ok: false, message: expect.stringContaining('nests quantifiers') });
    expect(checkPattern('/(x*)*y/')).toMatchObject({ ok: false });
    expect(checkPattern('x'.repeat(MAX_PATTERN_LENGTH + 1))).toMatchObject({ ok: false, message: expect.stringContaining('longer than') });
    expect(checkPattern('')).toMatchObject({ ok: false });
    expect(compilePattern('/(a+)+$/').matches('aaaa')).toBe(false);
    expect(checkPattern('/^orders-(eu|us)-[0-9]+$/')).toEqual({ ok: true });
  });

  it('turns bad rules into clear validation messages', () => {
    const bad = alertRuleSchema.safeParse({ id: 'r', kind: 'group_status', group: '/([/' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('does not compile');
    const unknown = alertRuleSchema.safeParse({ id: 'r', kind: 'lag_minutes' });
    expect(unknown.error?.issues[0]?.message).toBe('kind must be one of group_status, lag_seconds, topic_idle');
    const zero = alertRuleSchema.safeParse({ id: 'r', kind: 'lag_seconds', thresholdSeconds: 0 });
    expect(zero.error?.issues[0]?.message).toBe('thresholdSeconds must be greater than 0');
    const band = alertRuleSchema.safeParse({ id: 'r', kind: 'lag_seconds', thresholdSeconds: 10, clearBelowSeconds: 20 });
    expect(band.error?.issues[0]?.path).toEqual(['clearBelowSeconds']);
    expect(alertRuleSchema.parse({ id: 'r', kind: 'group_status' })).toMatchObject({ group: '*', statuses: ['STOP', 'STALL', 'DATA_LOSS'], forCycles: 3, clearCycles: 3, severity: 'critical', enabled: true });
  });
});
