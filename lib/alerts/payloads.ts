import type { AlertInstance, AlertTransition, WebhookFormat } from '../contract';
import { formatDuration } from '../format';
import { groupHref, topicHref } from '../links';
import { formatAlertValue } from './format-value';

/**
 * What a webhook receives. The generic JSON payload is stable and versioned for scripts (dedupe on
 * `dedupeKey` + `event`); the Slack payload is an incoming-webhook message: `text` for the notification line and
 * a coloured attachment (red or amber while firing by severity, green once resolved) with a link to the app.
 */

export type NotifiedAlert = Omit<AlertInstance, 'deliveries'>;
export type NotificationEvent = AlertTransition | 'test';

export interface AlertNotification {
  event: NotificationEvent;
  alert: NotifiedAlert;
  /** The alert's page in Topolog, when the server knows its public address. */
  link: string | null;
  sentAt: number;
}

export const COLOURS = { critical: '#c62828', warning: '#b26a00', resolved: '#1f9d55', test: '#3d5afe' } as const;

export function subjectPath(alert: Pick<NotifiedAlert, 'cluster' | 'subject'>): string {
  return alert.subject.type === 'group' ? groupHref(alert.cluster, alert.subject.name) : topicHref(alert.cluster, alert.subject.name);
}

export function buildPayload(format: WebhookFormat, notification: AlertNotification): unknown {
  return format === 'slack' ? buildSlackPayload(notification) : buildJsonPayload(notification);
}

export function buildJsonPayload({ event, alert, link, sentAt }: AlertNotification): unknown {
  return {
    version: 1,
    source: 'topolog',
    event: event === 'test' ? 'test' : `alert.${event}`,
    /** Same for the firing and the resolve of one alert: receivers pair them on it. */
    dedupeKey: alert.id,
    sentAt: new Date(sentAt).toISOString(),
    link,
    alert: {
      id: alert.id,
      cluster: alert.cluster,
      rule: { id: alert.ruleId, name: alert.ruleName, kind: alert.kind },
      severity: alert.severity,
      subject: alert.subject,
      state: alert.state,
      since: new Date(alert.since).toISOString(),
      resolvedAt: alert.resolvedAt === null ? null : new Date(alert.resolvedAt).toISOString(),
      value: alert.value,
      threshold: alert.threshold,
      unit: alert.unit,
      status: alert.status,
      message: alert.message,
    },
  };
}

/** Slack's mrkdwn needs &, < and > escaped, or a group name like "a<b" breaks the message. */
function escapeSlack(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function headline({ event, alert }: AlertNotification): string {
  const subject = `${alert.subject.type} ${alert.subject.name}`;
  if (event === 'test') return `Test from Topolog: this webhook works (${alert.cluster})`;
  if (event === 'resolved') return `RESOLVED ${alert.ruleName}: ${subject} on ${alert.cluster}`;
  return `${alert.severity === 'critical' ? 'CRITICAL' : 'WARNING'} ${alert.ruleName}: ${subject} on ${alert.cluster}`;
}

export function buildSlackPayload(notification: AlertNotification): unknown {
  const { event, alert, link, sentAt } = notification;
  const colour = event === 'test' ? COLOURS.test : event === 'resolved' ? COLOURS.resolved : COLOURS[alert.severity];
  const fields = [
    { title: 'Subject', value: escapeSlack(`${alert.subject.type} ${alert.subject.name}`), short: true },
    { title: 'Cluster', value: escapeSlack(alert.cluster), short: true },
  ];
  if (alert.value !== null || alert.threshold !== null) {
    fields.push({ title: 'Value / threshold', value: `${formatAlertValue(alert.unit, alert.value)} / ${formatAlertValue(alert.unit, alert.threshold)}`, short: true });
  }
  if (event === 'resolved' && alert.resolvedAt !== null) {
    fields.push({ title: 'Fired for', value: formatDuration((alert.resolvedAt - alert.since) / 1000), short: true });
  }
  return {
    text: escapeSlack(headline(notification)),
    attachments: [
      {
        color: colour,
        fallback: escapeSlack(`${headline(notification)}: ${alert.message}`),
        title: escapeSlack(`${alert.subject.name}: ${event === 'resolved' ? 'resolved' : event === 'test' ? 'test' : alert.severity}`),
        ...(link ? { title_link: link } : {}),
        text: escapeSlack(alert.message),
        fields,
        footer: `Topolog · rule ${escapeSlack(alert.ruleId)}`,
        // The moment of the event (fired, resolved), not of this delivery: a retried message keeps its time.
        ts: Math.floor((event === 'resolved' ? (alert.resolvedAt ?? sentAt) : event === 'test' ? sentAt : alert.since) / 1000),
      },
    ],
  };
}

/** A made-up alert for "Send test": realistic enough to check the receiver's formatting. */
export function testNotification(cluster: string, link: string | null, now: number): AlertNotification {
  return {
    event: 'test',
    link,
    sentAt: now,
    alert: {
      id: `${cluster}/test/${now}`,
      cluster,
      ruleId: 'test',
      ruleName: 'Webhook test',
      kind: 'group_status',
      severity: 'warning',
      subject: { type: 'group', name: 'example-group' },
      state: 'firing',
      since: now,
      resolvedAt: null,
      value: null,
      threshold: null,
      unit: 'cycles',
      status: null,
      message: 'This is a test notification from Topolog. Real alerts look like this one.',
    },
  };
}
