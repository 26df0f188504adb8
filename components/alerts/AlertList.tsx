'use client';
import Link from 'next/link';
import type { AlertInstance, DeliveryStatus } from '../../lib/contract';
import { formatAlertValue } from '../../lib/alerts/format-value';
import { subjectPath } from '../../lib/alerts/payloads';
import { formatAge, formatDuration } from '../../lib/format';

function ValueVsThreshold({ alert }: { alert: AlertInstance }) {
  if (alert.value === null && alert.threshold === null) return <span className="muted">—</span>;
  return (
    <span className="num">
      {formatAlertValue(alert.unit, alert.value)} <span className="muted">/ {formatAlertValue(alert.unit, alert.threshold)}</span>
    </span>
  );
}

function Delivery({ d }: { d: DeliveryStatus }) {
  const what = d.transition === 'resolved' ? 'resolve' : 'firing';
  if (d.state === 'delivered') return <li className="delivery delivery-ok" title={d.deliveredAt ? new Date(d.deliveredAt).toLocaleString() : undefined}>✓ {d.webhook} ({what})</li>;
  if (d.state === 'queued') {
    return (
      <li className="delivery delivery-retry" title={d.lastError ?? undefined}>
        ↻ {d.webhook} ({what}){d.attempts > 0 ? `: retrying, attempt ${d.attempts + 1}` : ': sending'}
        {d.lastError ? <span className="delivery-error"> — {d.lastError}</span> : null}
      </li>
    );
  }
  return (
    <li className="delivery delivery-failed">
      ✗ {d.webhook} ({what}): {d.state === 'dropped' ? 'dropped' : `gave up after ${d.attempts} attempts`}
      {d.lastError ? <span className="delivery-error"> — {d.lastError}</span> : null}
    </li>
  );
}

function Subject({ alert }: { alert: AlertInstance }) {
  return (
    <Link href={subjectPath(alert)} className="mono" data-testid="alert-subject">
      {alert.subject.name}
    </Link>
  );
}

/** Firing alerts: the on-call view. Red for critical, amber for warning. */
export function FiringAlerts({ alerts, now }: { alerts: AlertInstance[]; now: number }) {
  if (alerts.length === 0) return <p className="empty" data-testid="no-firing">Nothing is firing.</p>;
  return (
    <ul className="alert-cards" data-testid="firing-alerts">
      {alerts.map((a) => (
        <li key={a.id} className={`alert-card alert-${a.severity}`} data-testid="alert-firing" data-rule={a.ruleId} data-subject={a.subject.name}>
          <div className="alert-head">
            <span className={`tag tag-${a.severity}`}>{a.severity}</span>
            <Subject alert={a} />
            <span className="muted">{a.ruleName}</span>
            <span className="spacer" />
            <span title={new Date(a.since).toLocaleString()}>
              firing for {formatDuration((now - a.since) / 1000)} <span className="muted small">(since {new Date(a.since).toLocaleTimeString()})</span>
            </span>
          </div>
          <p className="alert-message">{a.message}</p>
          <div className="alert-foot">
            <span className="muted small">value / threshold</span> <ValueVsThreshold alert={a} />
            {a.deliveries.length > 0 ? <ul className="deliveries">{a.deliveries.map((d) => <Delivery key={`${d.webhook}/${d.transition}`} d={d} />)}</ul> : <span className="muted small">not sent to any webhook</span>}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Recently resolved alerts, newest first, with how long they fired. */
export function ResolvedAlerts({ alerts, now }: { alerts: AlertInstance[]; now: number }) {
  if (alerts.length === 0) return <p className="empty">No alert has resolved within the history retention.</p>;
  return (
    <table className="table" data-testid="resolved-alerts">
      <thead>
        <tr>
          <th>Subject</th>
          <th>Rule</th>
          <th>Resolved</th>
          <th className="num">Fired for</th>
          <th>Message</th>
          <th>Notified</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <tr key={a.id} data-testid="alert-resolved" data-rule={a.ruleId} data-subject={a.subject.name}>
            <td><Subject alert={a} /></td>
            <td>{a.ruleName} <span className={`tag tag-${a.severity}`}>{a.severity}</span></td>
            <td title={a.resolvedAt ? new Date(a.resolvedAt).toLocaleString() : undefined}>{a.resolvedAt ? formatAge(a.resolvedAt, now) : '—'}</td>
            <td className="num">{a.resolvedAt ? formatDuration((a.resolvedAt - a.since) / 1000) : '—'}</td>
            <td>{a.message}</td>
            <td>
              <ul className="deliveries">{a.deliveries.map((d) => <Delivery key={`${d.webhook}/${d.transition}`} d={d} />)}</ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
