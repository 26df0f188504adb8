'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { clustersResponseSchema, type ClusterInfo } from '../../lib/contract';
import { clusterHref } from '../../lib/links';

/** The configured clusters as tabs with their connection state; refreshed every few seconds. */
export function useClusters(): { clusters: ClusterInfo[] | null; error: string | null } {
  const [clusters, setClusters] = useState<ClusterInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      try {
        const res = await fetch('/api/clusters');
        const body = clustersResponseSchema.parse(await res.json());
        if (!cancelled) {
          setClusters(body.clusters);
          setError(null);
        }
      } catch {
        if (!cancelled) setError('Cannot reach the Topolog server. Is it still running?');
      }
    };
    void load();
    const timer = setInterval(load, 5000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);
  return { clusters, error };
}

/** `path` keeps the view when switching cluster: '/groups' on one cluster leads to '/groups' on the other. */
export function ClusterTabs({ clusters, current, path = '' }: { clusters: ClusterInfo[]; current: string; path?: string }) {
  if (clusters.length < 2) return null;
  return (
    <nav className="tabs" aria-label="Clusters">
      {clusters.map((c) => (
        <Link key={c.id} href={clusterHref(c.id, path)} className={`tab ${c.id === current ? 'active' : ''}`} aria-current={c.id === current ? 'page' : undefined}>
          <span className={`dot dot-${c.state}`} aria-hidden /> {c.name}
        </Link>
      ))}
    </nav>
  );
}
