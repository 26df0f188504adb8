'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { TopologyMap } from '../topology/TopologyMap';
import { ClusterBanner } from './ClusterBanner';
import { ClusterOverview } from './ClusterOverview';
import { ClusterTabs, useClusters } from './ClusterTabs';

export type ClusterView = 'map' | 'overview';

/** A cluster's page, as the map or as the topics and groups tables; with no id (home) the first configured cluster. */
export function ClusterPage({ cluster, view = 'map', query }: { cluster?: string; view?: ClusterView; query?: string }) {
  const { clusters, error } = useClusters();
  // The map reads the address and the theme as it starts, so it never renders on the server (no hydration mismatch).
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (error && !clusters) return <div className="notice notice-danger" role="alert">{error}</div>;
  // With the cluster in the address the map starts at once, its subscription in parallel with the cluster list
  // (about 0.3 s sooner on a big map); the home page needs the list to know which cluster to show.
  if (!clusters && !(cluster && view === 'map' && mounted)) return <div className="notice" data-testid="loading">Loading clusters…</div>;
  const current = cluster ?? clusters?.[0]?.id;
  if (!current) return <div className="notice">No cluster is configured. Start Topolog with --brokers host:9092.</div>;
  const base = `/clusters/${encodeURIComponent(current)}`;
  const info = clusters?.find((c) => c.id === current);
  return (
    <>
      {clusters ? <ClusterTabs clusters={clusters} current={current} /> : null}
      <nav className="views" aria-label="Views">
        <Link href={base} className={`view-link${view === 'map' ? ' active' : ''}`} data-testid="view-map">
          Map
        </Link>
        <Link href={`${base}/overview`} className={`view-link${view === 'overview' ? ' active' : ''}`} data-testid="view-overview">
          Topics &amp; groups
        </Link>
      </nav>
      {/* The map has no room for the banner when all is well; when the cluster is not answering it comes first. */}
      {view === 'map' && info && info.state !== 'ok' ? <ClusterBanner cluster={info} live /> : null}
      {view === 'map' ? <TopologyMap key={current} cluster={current} reachable={info === undefined || (info.observedAt !== null && info.state === 'ok')} /> : <ClusterOverview key={current} cluster={current} initialQuery={query} />}
    </>
  );
}
