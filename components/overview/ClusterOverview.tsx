'use client';
import { useMemo, useState } from 'react';
import { useOverview } from '../realtime/use-overview';
import { ClusterBanner } from './ClusterBanner';
import { GroupsTable } from './GroupsTable';
import { TopicsTable } from './TopicsTable';

/** The live home screen of one cluster: connection state, then its topics and consumer groups side by side. */
export function ClusterOverview({ cluster, initialQuery }: { cluster: string; initialQuery?: string }) {
  const { data, connection, error } = useOverview(cluster);
  const [query, setQuery] = useState(initialQuery ?? '');
  const [showInternal, setShowInternal] = useState(false);
  const filter = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (text: string) => q === '' || text.toLowerCase().includes(q);
  }, [query]);

  if (error) return <div className="notice notice-danger" role="alert">{error}</div>;
  if (!data) return <div className="notice" data-testid="loading">Connecting to Topolog…</div>;

  if (data.cluster.observedAt === null) {
    // Never answered: empty tables would read as "this cluster has no topics", which is not what we know.
    return (
      <div className="overview">
        <ClusterBanner cluster={data.cluster} live={connection === 'live'} />
        <div className="notice" data-testid="no-data">
          No data yet: Topolog has not been able to read this cluster. It keeps retrying, and this page updates by itself
          as soon as the cluster answers.
        </div>
      </div>
    );
  }

  const topics = data.topics.filter((t) => showInternal || !t.internal);
  const hiddenInternal = data.topics.length - topics.length;
  return (
    <div className="overview">
      <ClusterBanner cluster={data.cluster} live={connection === 'live'} />
      <div className="toolbar">
        <input
          className="search"
          type="search"
          placeholder="Filter topics and groups…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Filter topics and groups"
        />
        <label className="check">
          <input type="checkbox" checked={showInternal} onChange={(e) => setShowInternal(e.target.checked)} />
          Show internal topics{hiddenInternal > 0 ? ` (${hiddenInternal} hidden)` : ''}
        </label>
      </div>
      <div className="columns">
        <section className="panel" aria-label="Topics">
          <h2>
            Topics <span className="count" data-testid="topic-count">{topics.length}</span>
          </h2>
          <TopicsTable topics={topics} filter={filter} />
        </section>
        <section className="panel" aria-label="Consumer groups">
          <h2>
            Consumer groups <span className="count" data-testid="group-count">{data.groups.length}</span>
          </h2>
          <GroupsTable groups={data.groups} filter={filter} />
        </section>
      </div>
    </div>
  );
}
