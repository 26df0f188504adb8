'use client';
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { ClusterInfo } from '../../lib/contract';
import { clusterHref } from '../../lib/links';
import { ClusterBanner } from './ClusterBanner';
import { ClusterTabs, useClusters } from './ClusterTabs';
import './shell.css';

export type ShellView = 'map' | 'groups' | 'topics' | 'alerts' | 'group' | 'topic' | 'messages' | 'reset' | 'replay' | 'audit';

/** What the shell knows once it has resolved the cluster, for children that need it (the home page's map). */
export interface ShellContext {
  /** The cluster shown: the one in the address, else the first configured one. */
  cluster: string;
  /** Its state from the cluster list; undefined until the list has loaded (or when the id is unknown). */
  info: ClusterInfo | undefined;
}

interface NavItem {
  label: string;
  /** Path below /clusters/:cluster ('' is the map). */
  path: string;
  testId: string;
  /** Views that light this item: a group's page belongs under "Consumer groups". */
  views: ShellView[];
}

const NAV: NavItem[] = [
  { label: 'Map', path: '', testId: 'view-map', views: ['map'] },
  { label: 'Consumer groups', path: '/groups', testId: 'view-groups', views: ['groups', 'group', 'reset'] },
  { label: 'Topics', path: '/topics', testId: 'view-topics', views: ['topics', 'topic', 'messages'] },
  { label: 'Alerts', path: '/alerts', testId: 'view-alerts', views: ['alerts'] },
  { label: 'Replay', path: '/replay', testId: 'view-replay', views: ['replay'] },
  { label: 'Audit', path: '/audit', testId: 'view-audit', views: ['audit'] },
];

/** Where a cluster tab leads from this view: the same list on the other cluster (a group page has no twin there). */
function tabPath(view: ShellView): string {
  if (view === 'group' || view === 'reset') return '/groups';
  if (view === 'topic' || view === 'messages') return '/topics';
  return NAV.find((item) => item.views.includes(view))?.path ?? '';
}

/**
 * The frame of every cluster view: cluster tabs, the views nav, the banner when the cluster is not answering, then
 * the view. With `cluster` (the id from the address) the view renders at once, in parallel with the cluster list;
 * without it (the home page) the shell waits for the list and shows its first cluster. `children` may be a function
 * of the resolved cluster for views that need it.
 */
export function ClusterShell({ cluster, view, children }: { cluster?: string; view: ShellView; children: ReactNode | ((ctx: ShellContext) => ReactNode) }) {
  const { clusters, error } = useClusters();
  if (error && !clusters) return <div className="notice notice-danger" role="alert">{error}</div>;
  if (!clusters && !cluster) return <div className="notice" data-testid="loading">Loading clusters…</div>;
  const current = cluster ?? clusters?.[0]?.id;
  if (!current) return <div className="notice">No cluster is configured. Start Topolog with --brokers host:9092.</div>;
  const info = clusters?.find((c) => c.id === current);
  return (
    <>
      {clusters ? <ClusterTabs clusters={clusters} current={current} path={tabPath(view)} /> : null}
      <nav className="views" aria-label="Views">
        {NAV.map((item) => {
          const active = item.views.includes(view);
          return (
            <Link key={item.testId} href={clusterHref(current, item.path)} className={`view-link${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined} data-testid={item.testId}>
              {item.label}
            </Link>
          );
        })}
      </nav>
      {/* All is well: no banner, the views show their own freshness. Not answering: the banner comes first. */}
      {info && info.state !== 'ok' ? <ClusterBanner cluster={info} live /> : null}
      {typeof children === 'function' ? children({ cluster: current, info }) : children}
    </>
  );
}
