'use client';
import { useEffect, useState } from 'react';
import { TopologyMap } from '../topology/TopologyMap';
import { ClusterShell } from './ClusterShell';

/** A cluster's live map; with no id (home) the first configured cluster. */
export function ClusterPage({ cluster }: { cluster?: string }) {
  // The map reads the address and the theme as it starts, so it never renders on the server (no hydration mismatch).
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  // With the cluster in the address the shell renders at once and the map starts right after mount, its subscription
  // in parallel with the cluster list (about 0.3 s sooner on a big map); the home page's shell waits for the list to
  // know which cluster to show.
  return (
    <ClusterShell cluster={cluster} view="map">
      {({ cluster: current, info }) =>
        mounted ? (
          <TopologyMap key={current} cluster={current} reachable={info === undefined || (info.observedAt !== null && info.state === 'ok')} />
        ) : (
          <div className="notice" data-testid="loading">Loading clusters…</div>
        )
      }
    </ClusterShell>
  );
}
