'use client';
import { listGate } from '../ui/ListGate';
import { nextSort } from '../../lib/lists/url-params';
import Link from 'next/link';
import { useMemo } from 'react';
import type { TopicSummary } from '../../lib/contract';
import { formatRate } from '../../lib/format';
import { topicHref } from '../../lib/links';
import { firstTopicDirection, matchesTopicSearch, sortTopics, topicsListQuery, type TopicSortKey, type TopicsListParams } from '../../lib/topic-list';
import { useOverview } from '../realtime/use-overview';
import { ListFreshness, StaleNotice, useListStaleness } from '../ui/ListFreshness';
import { SortableHeader } from '../ui/SortableHeader';
import { useUrlState } from '../ui/use-url-state';
import '../ui/list.css';
import './topics.css';

const COLUMNS = 6;

/** Every topic of a cluster, live: broken replication first, internal topics one toggle away. */
export function TopicsList({ cluster, initial }: { cluster: string; initial: TopicsListParams }) {
  const { data, connection, error } = useOverview(cluster);
  const [params, setParams] = useUrlState(initial, topicsListQuery);
  const { stale } = useListStaleness(data?.cluster ?? null);
  const all = data?.topics;
  const visible = useMemo(() => (all ?? []).filter((t) => params.internal || !t.internal), [all, params.internal]);
  const rows = useMemo(() => sortTopics(visible.filter((t) => matchesTopicSearch(t, params.q)), params.sort), [visible, params.q, params.sort]);

  const gate = listGate(error, data);
  if (gate || !data) return gate;

  const update = (patch: Partial<TopicsListParams>) => setParams({ ...params, ...patch });
  const onSort = (key: TopicSortKey) => update({ sort: nextSort(params.sort, key, firstTopicDirection) });
  const hiddenInternal = data.topics.length - visible.length;
  const header = (key: TopicSortKey, label: string, numeric: boolean, title?: string) => <SortableHeader sortKey={key} label={label} current={params.sort} onSort={onSort} numeric={numeric} title={title} />;

  return (
    <section aria-label="Topics" className={stale ? 'list-stale' : undefined} data-testid="topics-list" data-stale={stale ? 'true' : 'false'}>
      <div className="list-head">
        <h1>Topics</h1>
        <span className="count" data-testid="topic-count">
          {rows.length === visible.length ? visible.length : `${rows.length} of ${visible.length}`}
        </span>
        <span className="spacer" />
        <ListFreshness cluster={data.cluster} connection={connection} />
      </div>
      <div className="list-toolbar">
        <input className="search" type="search" placeholder="Filter by topic name…" value={params.q} onChange={(e) => update({ q: e.target.value.slice(0, 200) })} aria-label="Filter topics by name" />
        <label className="check">
          <input type="checkbox" checked={params.internal} onChange={(e) => update({ internal: e.target.checked })} />
          Show internal topics{hiddenInternal > 0 ? ` (${hiddenInternal} hidden)` : ''}
        </label>
      </div>
      <StaleNotice cluster={data.cluster} />
      <div className="panel">
        <table className="table topics-table" data-testid="topics-table">
          <thead>
            <tr>
              {header('name', 'Topic', false)}
              {header('partitions', 'Partitions', true)}
              {header('replicationFactor', 'Replication', true, 'Replication factor')}
              {header('underReplicated', 'Under-replicated', true, 'Partitions with fewer in-sync replicas than replicas')}
              {header('offline', 'Offline', true, 'Partitions without a live leader: nobody can write or read them')}
              {header('produceRate', 'Produce rate', true, 'Messages per second produced (last minute)')}
            </tr>
          </thead>
          <tbody>
            {rows.map((topic) => (
              <TopicRow key={topic.name} cluster={cluster} topic={topic} stale={stale} />
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={COLUMNS} className="empty-state" data-testid="topics-empty">
                  {data.topics.length === 0 ? (
                    <>
                      <strong>No topics on this cluster yet.</strong>Create one, or start a producer with auto-creation on; it appears at the next poll.
                    </>
                  ) : (
                    <>
                      <strong>No topic matches.</strong>
                      <button type="button" className="link-button" onClick={() => update({ q: '' })}>
                        Clear the filter
                      </button>
                      {!params.internal && hiddenInternal > 0 ? ' or show internal topics.' : '.'}
                    </>
                  )}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TopicRow({ cluster, topic, stale }: { cluster: string; topic: TopicSummary; stale: boolean }) {
  const fig = (extra = '') => `num${extra}${stale ? ' figure-stale' : ''}`;
  const rowClass = topic.offlinePartitions > 0 ? 'row-offline' : topic.underReplicatedPartitions > 0 ? 'row-urp' : undefined;
  return (
    <tr data-testid="topic-row" data-topic={topic.name} className={rowClass}>
      <td className="mono topic-name">
        <Link href={topicHref(cluster, topic.name)}>{topic.name}</Link>
        {topic.internal && <span className="tag">internal</span>}
      </td>
      <td className={fig()}>{topic.partitions}</td>
      <td className={fig()}>{topic.replicationFactor}</td>
      <td className={fig(topic.underReplicatedPartitions > 0 ? ' cell-warn' : '')} data-testid="topic-urp">
        {topic.underReplicatedPartitions}
      </td>
      <td className={fig(topic.offlinePartitions > 0 ? ' cell-danger' : '')} data-testid="topic-offline">
        {topic.offlinePartitions}
      </td>
      <td className={fig()} title={topic.produceRate === null ? 'Not measured yet: rates need two polls' : undefined}>
        {formatRate(topic.produceRate)}
      </td>
    </tr>
  );
}
