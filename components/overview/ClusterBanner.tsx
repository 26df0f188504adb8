'use client';
import type { ClusterInfo } from '../../lib/contract';
import { formatAge, formatDuration, isStale } from '../../lib/format';
import { StatePill } from '../ui/StatePill';
import { useNow } from '../realtime/use-now';

/**
 * What an on-call engineer needs first: is Topolog connected, since when, and if not, why and what to do. The clock
 * ticks here, not in the overview, so a tick re-renders the banner's ages and not both tables.
 */
export function ClusterBanner({ cluster, live }: { cluster: ClusterInfo; live: boolean }) {
  const now = useNow();
  const stale = isStale(cluster.observedAt, cluster.pollIntervalMs, now);
  return (
    <section className={`banner banner-${cluster.state}`} aria-label="Cluster status" data-testid="cluster-banner">
      <div className="banner-row">
        <h1 className="cluster-name">{cluster.name}</h1>
        <StatePill state={cluster.state} />
        <span className="muted">since {formatAge(cluster.since, now)}</span>
        <span className="spacer" />
        <span className="muted mono">{cluster.bootstrap.join(', ')}</span>
      </div>
      <div className="banner-row small">
        <span hidden={cluster.observedAt === null}>
          {cluster.brokers.length} broker{cluster.brokers.length === 1 ? '' : 's'}
          {cluster.controllerId !== null ? ` · controller ${cluster.controllerId}` : ''}
          {cluster.version ? ` · Kafka ${cluster.version}` : ''}
          {cluster.readOnly ? ' · read-only' : ''}
        </span>
        <span className="spacer" />
        <span className={stale && cluster.observedAt !== null ? 'stale' : 'muted'} data-testid="observed-at">
          {cluster.observedAt === null ? 'no data yet' : `data from ${formatAge(cluster.observedAt, now)}${stale ? ' — STALE' : ''}`}
        </span>
        {!live && <span className="stale">· live updates paused, reconnecting…</span>}
      </div>
      {cluster.error && (
        <div className="banner-error" role="alert" data-testid="cluster-error">
          <strong>{cluster.error.message}</strong>
          <span>{cluster.error.hint}</span>
          {cluster.retryAt !== null && (
            <span className="muted">
              {cluster.retryAt > now ? `Next attempt in ${formatDuration((cluster.retryAt - now) / 1000)}.` : 'Retrying now…'}
              {cluster.error.code ? ` (${cluster.error.code})` : ''}
            </span>
          )}
        </div>
      )}
    </section>
  );
}
