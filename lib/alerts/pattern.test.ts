import { describe, expect, it } from 'vitest';
import { alertRuleSchema } from '../contract';
import { checkPattern, compilePattern, globMatches, MAX_PATTERN_LENGTH, MAX_SUBJECT_LENGTH } from './pattern';

const REFUSED = 'regex patterns are not supported (they can hang the server); use a glob such as billing-*';

describe('subject patterns', () => {
  it('matches exact names, "*" (never internal topics) and globs', () => {
    expect(compilePattern('email-service').matches('email-service')).toBe(true);
    expect(compilePattern('email-service').matches('email-service-2')).toBe(false);
    expect(compilePattern('*').matches('orders')).toBe(true);
    expect(compilePattern('*').matches('')).toBe(true);
    expect(compilePattern('*').matches('__consumer_offsets', true)).toBe(false);
    expect(compilePattern('**').matches('__consumer_offsets', true)).toBe(false);
    expect(compilePattern('**').matches('orders')).toBe(true);
    expect(compilePattern('billing-*').matches('billing-eu')).toBe(true);
    expect(compilePattern('billing-*').matches('BILLING-eu')).toBe(false);
    // A glob that names internal topics explicitly may match them.
    expect(compilePattern('__consumer*').matches('__consumer_offsets', true)).toBe(true);
    // Regex metacharacters are plain characters in a name.
    expect(compilePattern('a.b(c)+$').matches('a.b(c)+$')).toBe(true);
    expect(compilePattern('a.b(c)+$').matches('axb(c)+$')).toBe(false);
  });

  it.each([
    ['billing-*', 'billing-', true],
    ['billing-*', 'billing-eu', true],
    ['billing-*', 'billing', false],
    ['billing-*', 'xbilling-eu', false],
    ['*-eu', 'billing-eu', true],
    ['*-eu', 'billing-eu-2', false],
    ['*-eu-*', 'a-eu-b-eu-c', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['a*b*c', 'abcabcab', false],
    ['a*b*c', 'abcabcabc', true],
    ['?', 'a', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['svc-??', 'svc-eu', true],
    ['svc-??', 'svc-e', false],
    ['svc-?*', 'svc-', false],
    ['svc-?*', 'svc-e', true],
    ['*?', '', false],
    ['*?', 'x', true],
    ['***', '', true],
    ['a**b', 'ab', true],
    ['a**b', 'axxb', true],
    ['*a', 'aaaa', true],
    ['*a*a*a*a*b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa', false],
    ['exact', 'exact', true],
    ['exact', 'exac', false],
    ['', '', true],
  ])('glob %j against %j → %s', (pattern, name, expected) => {
    expect(globMatches(pattern, name)).toBe(expected);
  });

  it('matches a 1024-character subject quickly, and never a longer one with a wildcard', () => {
    const long = `${'a'.repeat(MAX_SUBJECT_LENGTH - 1)}b`;
    expect(long).toHaveLength(1024);
    const worst = `${'*a'.repeat(99)}*c`; // 199 characters: the backtracking worst case, no match
    expect(worst.length).toBeLessThanOrEqual(MAX_PATTERN_LENGTH);
    const started = performance.now();
    expect(compilePattern('a*b').matches(long)).toBe(true);
    expect(compilePattern('*?b').matches(long)).toBe(true);
    expect(compilePattern(worst).matches(long)).toBe(false);
    for (let i = 0; i < 20; i += 1) compilePattern(worst).matches(long);
    expect(performance.now() - started).toBeLessThan(500);
    expect(compilePattern('a*b').matches(`a${long}`)).toBe(false);
    expect(compilePattern('*').matches(`a${long}`)).toBe(true);
  });

  it('refuses regexes (the three that bypassed the old guard, and any other), and too long or empty patterns', () => {
    for (const hostile of ['/((a+))+$/', '/((a+)b?)+$/', '/(a|a)+$/', '/(a+)+$/', '/^billing-/', '/^BILLING/i', '/([a-z/']) {
      const started = performance.now();
      expect(checkPattern(hostile)).toEqual({ ok: false, message: REFUSED });
      expect(compilePattern(hostile).matches(`${'a'.repeat(26)}!`)).toBe(false);
      expect(performance.now() - started).toBeLessThan(50);
    }
    expect(checkPattern('x'.repeat(MAX_PATTERN_LENGTH + 1))).toMatchObject({ ok: false, message: expect.stringContaining('longer than') });
    expect(checkPattern('')).toMatchObject({ ok: false });
    expect(checkPattern('billing-*')).toEqual({ ok: true });
    expect(checkPattern('/')).toEqual({ ok: true }); // a group may be named "/"
  });

  it('turns bad rules into clear validation messages', () => {
    for (const hostile of ['/((a+))+$/', '/((a+)b?)+$/', '/(a|a)+$/']) {
      const bad = alertRuleSchema.safeParse({ id: 'r', kind: 'group_status', group: hostile });
      expect(bad.success).toBe(false);
      expect(bad.error?.issues[0]).toMatchObject({ path: ['group'], message: REFUSED });
      expect(alertRuleSchema.safeParse({ id: 'r', kind: 'topic_idle', minutes: 5, topic: hostile }).error?.issues[0]?.message).toBe(REFUSED);
    }
    const unknown = alertRuleSchema.safeParse({ id: 'r', kind: 'lag_minutes' });
    expect(unknown.error?.issues[0]?.message).toBe('kind must be one of group_status, lag_seconds, topic_idle');
    const zero = alertRuleSchema.safeParse({ id: 'r', kind: 'lag_seconds', thresholdSeconds: 0 });
    expect(zero.error?.issues[0]?.message).toBe('thresholdSeconds must be greater than 0');
    const band = alertRuleSchema.safeParse({ id: 'r', kind: 'lag_seconds', thresholdSeconds: 10, clearBelowSeconds: 20 });
    expect(band.error?.issues[0]?.path).toEqual(['clearBelowSeconds']);
    expect(alertRuleSchema.parse({ id: 'r', kind: 'group_status' })).toMatchObject({ group: '*', statuses: ['STOP', 'STALL', 'DATA_LOSS'], forCycles: 3, clearCycles: 3, severity: 'critical', enabled: true });
    expect(alertRuleSchema.parse({ id: 'r', kind: 'group_status', group: 'billing-*' })).toMatchObject({ group: 'billing-*' });
  });
});
