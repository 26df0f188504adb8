'use client';
import { useNow } from '../realtime/use-now';
import { ClusterShell } from '../overview/ClusterShell';
import { FiringAlerts, ResolvedAlerts } from './AlertList';
import { RulesPanel } from './RulesPanel';
import { WebhooksPanel } from './WebhooksPanel';
import { useAlerts } from './use-alerts';
import './alerts.css';

/** The Alerts view of a cluster: firing first, then recently resolved, then the rules and the webhooks. */
export function AlertsPage({ cluster }: { cluster: string }) {
  return (
    <ClusterShell cluster={cluster} view="alerts">
      <AlertsView cluster={cluster} />
    </ClusterShell>
  );
}

function AlertsView({ cluster }: { cluster: string }) {
  const { alerts, rules, webhooks, error, reload } = useAlerts(cluster);
  const now = useNow(1000);
  const firing = (alerts ?? []).filter((a) => a.state === 'firing').sort((a, b) => (a.severity === b.severity ? b.since - a.since : a.severity === 'critical' ? -1 : 1));
  const resolved = (alerts ?? []).filter((a) => a.state === 'resolved').slice(0, 50);
  return (
    <div className="alerts-page" data-testid="alerts-page">
      {error ? <div className="notice notice-danger" role="alert">{error}</div> : null}
      <section className="panel">
        <h2>
          Firing <span className={`count${firing.length ? ' count-firing' : ''}`} data-testid="firing-count">{alerts ? firing.length : '…'}</span>
        </h2>
        {alerts ? <FiringAlerts alerts={firing} now={now} /> : <p className="empty">Loading alerts…</p>}
      </section>
      <section className="panel">
        <h2>
          Resolved <span className="count">{alerts ? resolved.length : '…'}</span>
        </h2>
        {alerts ? <ResolvedAlerts alerts={resolved} now={now} /> : null}
      </section>
      <section className="panel">
        <h2>
          Rules <span className="count">{rules?.length ?? '…'}</span>
        </h2>
        {rules && webhooks ? <RulesPanel rules={rules} webhooks={webhooks} onChange={reload} /> : <p className="empty">Loading rules…</p>}
      </section>
      <section className="panel">
        <h2>
          Webhooks <span className="count">{webhooks?.length ?? '…'}</span>
        </h2>
        {webhooks ? <WebhooksPanel webhooks={webhooks} cluster={cluster} /> : null}
      </section>
    </div>
  );
}
