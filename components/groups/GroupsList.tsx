'use client';
import { listGate } from '../ui/ListGate';
import { nextSort } from '../../lib/lists/url-params';
import { useMemo, useState } from 'react';
import { compareStrings } from '../../lib/compare';
import { groupsListQuery, matchesSearch, matchesStatus, statusChips, type GroupsListParams } from '../../lib/groups/list-params';
import { firstDirection, sortGroups, type GroupSortKey } from '../../lib/groups/sort-groups';
import { useOverview } from '../realtime/use-overview';
import { ListFreshness, StaleNotice, useListStaleness } from '../ui/ListFreshness';
import { useUrlState } from '../ui/use-url-state';
import { GROUP_COLUMNS, GroupsListTable } from './GroupsListTable';
import { StatusChips } from './StatusChips';
import { useGroupTrends } from './use-group-trends';
import '../ui/list.css';
import './groups.css';

/** Rows drawn at first: problem groups are on top, and 10,000 table rows would make every update slow. */
const PAGE_ROWS = 200;

/** Every consumer group of a cluster, live: problem groups first, filters and sort in the address. */
export function GroupsList({ cluster, initial }: { cluster: string; initial: GroupsListParams }) {
  const { data, connection, error } = useOverview(cluster);
  const [params, setParams] = useUrlState(initial, groupsListQuery);
  const [limit, setLimit] = useState(PAGE_ROWS);
  const { stale, now } = useListStaleness(data?.cluster ?? null);

  const groups = data?.groups;
  const searched = useMemo(() => (groups ?? []).filter((g) => matchesSearch(g, params.q, params.topic)), [groups, params.q, params.topic]);
  const chips = useMemo(() => statusChips(searched), [searched]);
  const rows = useMemo(() => sortGroups(searched.filter((g) => matchesStatus(g, params.status)), params.sort), [searched, params.status, params.sort]);
  const topics = useMemo(() => [...new Set((groups ?? []).flatMap((g) => g.topics))].sort(compareStrings), [groups]);
  // The sparklines' history is asked for the rows drawn, in their order: the first page, more after "Show more".
  const visible = useMemo(() => rows.slice(0, limit).map((g) => g.id), [rows, limit]);
  const trends = useGroupTrends(cluster, data, visible);

  const gate = listGate(error, data);
  if (gate || !data) return gate;

  const update = (patch: Partial<GroupsListParams>) => setParams({ ...params, ...patch });
  const onSort = (key: GroupSortKey) => update({ sort: nextSort(params.sort, key, firstDirection) });
  const filtered = params.q !== '' || params.topic !== '' || params.status !== 'all';
  const clear = () => update({ q: '', topic: '', status: 'all' });

  return (
    <section aria-label="Consumer groups" className={stale ? 'list-stale' : undefined} data-testid="groups-list" data-stale={stale ? 'true' : 'false'}>
      <div className="list-head">
        <h1>Consumer groups</h1>
        <span className="count" data-testid="group-count">
          {rows.length === data.groups.length ? data.groups.length : `${rows.length} of ${data.groups.length}`}
        </span>
        <span className="spacer" />
        <ListFreshness cluster={data.cluster} connection={connection} />
      </div>
      <div className="list-toolbar">
        <input className="search" type="search" placeholder="Filter by group or topic name…" value={params.q} onChange={(e) => update({ q: e.target.value.slice(0, 200) })} aria-label="Filter groups by name or topic" />
        <select value={params.topic} onChange={(e) => update({ topic: e.target.value })} aria-label="Only groups reading topic">
          <option value="">All topics</option>
          {/* A topic from the address that no group reads (any more) stays selectable, so the filter is visible. */}
          {params.topic !== '' && !topics.includes(params.topic) ? <option value={params.topic}>{params.topic}</option> : null}
          {topics.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <StatusChips chips={chips} value={params.status} onChange={(status) => update({ status })} />
      </div>
      <StaleNotice cluster={data.cluster} />
      <div className="panel">
        <GroupsListTable
          cluster={cluster}
          groups={rows.slice(0, limit)}
          sort={params.sort}
          onSort={onSort}
          trends={trends}
          tableStale={stale}
          now={now}
          footer={
            rows.length === 0 ? (
              <tr>
                <td colSpan={GROUP_COLUMNS} className="empty-state" data-testid="groups-empty">
                  {data.groups.length === 0 ? (
                    <>
                      <strong>No consumer groups on this cluster yet.</strong>A group appears here at the next poll after a consumer with a <code>group.id</code> joins or commits offsets.
                    </>
                  ) : (
                    <>
                      <strong>No consumer group matches these filters.</strong>
                      <button type="button" className="link-button" onClick={clear}>
                        Clear the filters
                      </button>{' '}
                      to see all {data.groups.length}.
                    </>
                  )}
                </td>
              </tr>
            ) : rows.length > limit ? (
              <tr>
                <td colSpan={GROUP_COLUMNS} className="more-row">
                  Showing {limit} of {rows.length}.{' '}
                  <button type="button" className="link-button" onClick={() => setLimit((n) => n + 1000)}>
                    Show {Math.min(1000, rows.length - limit)} more
                  </button>
                  {filtered ? null : <span className="muted"> · or narrow the list with the filters above</span>}
                </td>
              </tr>
            ) : null
          }
        />
      </div>
    </section>
  );
}
