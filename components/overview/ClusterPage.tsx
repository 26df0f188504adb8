'use client';
import { ClusterOverview } from './ClusterOverview';
import { ClusterTabs, useClusters } from './ClusterTabs';

/** A cluster's page; with no id (the home page) it shows the first configured cluster. */
export function ClusterPage({ cluster }: { cluster?: string }) {
  const { clusters, error } = useClusters();
  if (error && !clusters) return <div className="notice notice-danger" role="alert">{error}</div>;
  if (!clusters) return <div className="notice" data-testid="loading">Loading clusters…</div>;
  const current = cluster ?? clusters[0]?.id;
  if (!current) return <div className="notice">No cluster is configured. Start Topolog with --brokers host:9092.</div>;
  return (
    <>
      <ClusterTabs clusters={clusters} current={current} />
      <ClusterOverview key={current} cluster={current} />
    </>
  );
}
