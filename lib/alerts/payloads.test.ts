import { describe, expect, it } from 'vitest';
import { buildJsonPayload, buildSlackPayload, COLOURS, type AlertNotification, type NotifiedAlert } from './payloads';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, nextAttemptAt } from './retry-schedule';

const T0 = Date.UTC(2026, 0, 1, 3, 0, 0);
const alert: NotifiedAlert = {
  id: 'prod/email-stop|group:email-service/1767236400000',
  cluster: 'prod',
  ruleId: 'email-stop',
  ruleName: 'Email service down',
  kind: 'group_status',
  severity: 'critical',
  subject: { type: 'group', name: 'email-service' },
  state: 'firing',
  since: T0,
  resolvedAt: null,
  value: 3,
  threshold: 3,
  unit: 'cycles',
  status: 'STOP',
  message: 'email-service has been STOP for 3 cycles (15 s): no commits while 120 messages wait',
};
const firing: AlertNotification = { event: 'firing', alert, link: 'http://topolog:3000/clusters/prod/groups/email-service', sentAt: T0 + 1000 };
const resolved: AlertNotification = { event: 'resolved', alert: { ...alert, state: 'resolved', resolvedAt: T0 + 240_000, status: 'OK', message: 'email-service is OK again after 4 min (was STOP)' }, link: null, sentAt: T0 + 241_000 };

describe('webhook payloads', () => {
  it('generic JSON carries the event, a dedupe key shared by firing and resolve, and ISO times', () => {
    const a = buildJsonPayload(firing) as Record<string, any>;
    const b = buildJsonPayload(resolved) as Record<string, any>;
    expect(a).toMatchObject({ version: 1, source: 'topolog', event: 'alert.firing', dedupeKey: alert.id, link: firing.link });
    expect(a.alert).toMatchObject({ rule: { id: 'email-stop', name: 'Email service down', kind: 'group_status' }, since: '2026-01-01T03:00:00.000Z', resolvedAt: null, message: alert.message });
    expect(b.event).toBe('alert.resolved');
    expect(b.dedupeKey).toBe(a.dedupeKey);
    expect(b.alert.resolvedAt).toBe('2026-01-01T03:04:00.000Z');
    expect(JSON.stringify(a)).not.toContain('NaN');
  });

  it('Slack: text plus a coloured attachment, red when critical, green once resolved, escaped', () => {
    const a = buildSlackPayload(firing) as Record<string, any>;
    expect(a.text).toBe('CRITICAL Email service down: group email-service on prod');
    expect(a.attachments[0]).toMatchObject({ color: COLOURS.critical, title_link: firing.link, text: alert.message });
    const warn = buildSlackPayload({ ...firing, alert: { ...alert, severity: 'warning' } }) as Record<string, any>;
    expect(warn.attachments[0].color).toBe(COLOURS.warning);
    const r = buildSlackPayload(resolved) as Record<string, any>;
    expect(r.text).toContain('RESOLVED');
    expect(r.attachments[0].color).toBe(COLOURS.resolved);
    expect(r.attachments[0].fields).toContainEqual({ title: 'Fired for', value: '4 min', short: true });
    expect(r.attachments[0].title_link).toBeUndefined();
    const odd = buildSlackPayload({ ...firing, alert: { ...alert, subject: { type: 'group', name: 'a<b>&c' } } }) as Record<string, any>;
    expect(odd.text).toContain('a&lt;b&gt;&amp;c');
  });
});

describe('retry schedule', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, jitter: 0 };
  it('doubles the delay per attempt up to the cap, and gives up by attempts or age', () => {
    expect(nextAttemptAt(1, T0, T0, policy)).toBe(T0 + 2_000);
    expect(nextAttemptAt(2, T0, T0, policy)).toBe(T0 + 4_000);
    expect(nextAttemptAt(7, T0, T0, policy)).toBe(T0 + 128_000);
    expect(nextAttemptAt(8, T0, T0, policy)).toBeNull();
    expect(nextAttemptAt(3, T0, T0 + 59 * 60_000 + 55_000, policy)).toBeNull();
  });
  it('retries server errors, timeouts and rate limits only', () => {
    expect([500, 503, 429, 408].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 404].some(isRetryableStatus)).toBe(false);
  });
});
