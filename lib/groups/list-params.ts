import type { GroupStatus, GroupSummary } from '../contract';
import { buildQuery, firstParam, formatSortParam, parseSortParam, type RawParam } from '../lists/url-params';
import { DEFAULT_GROUP_SORT, GROUP_SORT_KEYS, statusRank, type GroupSort } from './sort-groups';

/** The status chips: everything, everything that needs a look, or one status (lower case in the address). */
export type StatusFilter = 'all' | 'problems' | Lowercase<GroupStatus>;

const STATUS_FILTERS: readonly StatusFilter[] = ['all', 'problems', 'stop', 'stall', 'data_loss', 'rewind', 'warn', 'no_commit', 'evaluating', 'ok'];

export interface GroupsListParams {
  /** Matches group names and the topics they read, case-insensitive. */
  q: string;
  status: StatusFilter;
  /** Only groups reading this topic; '' for any. */
  topic: string;
  sort: GroupSort;
}

export const DEFAULT_GROUPS_LIST_PARAMS: GroupsListParams = { q: '', status: 'all', topic: '', sort: DEFAULT_GROUP_SORT };

export function parseGroupsListParams(search: Record<string, RawParam>): GroupsListParams {
  const status = firstParam(search.status, 20).toLowerCase() as StatusFilter;
  return {
    q: firstParam(search.q),
    status: STATUS_FILTERS.includes(status) ? status : 'all',
    topic: firstParam(search.topic, 249),
    sort: parseSortParam(search.sort, GROUP_SORT_KEYS, DEFAULT_GROUP_SORT),
  };
}

/** The address's query string for these params; defaults are left out so a plain list has a plain address. */
export function groupsListQuery(params: GroupsListParams): string {
  const sortIsDefault = params.sort.key === DEFAULT_GROUP_SORT.key && params.sort.direction === DEFAULT_GROUP_SORT.direction;
  return buildQuery([
    ['q', params.q],
    ['status', params.status === 'all' ? null : params.status],
    ['topic', params.topic],
    ['sort', sortIsDefault ? null : formatSortParam(params.sort)],
  ]);
}

/** Problems: broken (STOP, STALL, DATA_LOSS, REWIND) or WARN; what the on-call engineer has to look at. */
export function isProblem(status: GroupStatus | null): boolean {
  return statusRank(status) <= 1;
}

export function matchesStatus(group: GroupSummary, filter: StatusFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'problems') return isProblem(group.status);
  return group.status !== null && group.status.toLowerCase() === filter;
}

/** Name and topic filters (not status): the status chips count what these leave. */
export function matchesSearch(group: GroupSummary, q: string, topic: string): boolean {
  if (topic !== '' && !group.topics.includes(topic)) return false;
  const needle = q.toLowerCase();
  return needle === '' || group.id.toLowerCase().includes(needle) || group.topics.some((t) => t.toLowerCase().includes(needle));
}

export interface StatusChip {
  filter: StatusFilter;
  label: string;
  count: number;
}

/** All, Problems, then each status present (and OK always), with how many groups each would show. */
export function statusChips(groups: readonly GroupSummary[]): StatusChip[] {
  const counts = new Map<StatusFilter, number>();
  for (const g of groups) {
    if (g.status === null) continue;
    const key = g.status.toLowerCase() as StatusFilter;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const chips: StatusChip[] = [
    { filter: 'all', label: 'All', count: groups.length },
    { filter: 'problems', label: 'Problems', count: groups.filter((g) => isProblem(g.status)).length },
  ];
  for (const filter of STATUS_FILTERS.slice(2)) {
    const count = counts.get(filter) ?? 0;
    if (count > 0 || filter === 'ok') chips.push({ filter, label: filter.toUpperCase().replace('_', ' '), count });
  }
  return chips;
}
