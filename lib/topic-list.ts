import type { TopicSummary } from './contract';
import { compareStrings } from './compare';
import type { SortDirection } from './groups/sort-groups';
import { buildQuery, firstParam, formatSortParam, parseSortParam, type RawParam } from './lists/url-params';

export const TOPIC_SORT_KEYS = ['problems', 'name', 'partitions', 'replicationFactor', 'underReplicated', 'offline', 'produceRate'] as const;
export type TopicSortKey = (typeof TOPIC_SORT_KEYS)[number];
export interface TopicSort {
  key: TopicSortKey;
  direction: SortDirection;
}

/** Offline partitions first, then under-replicated, then by name: the broken topics are the ones to see at 3 a.m. */
export const DEFAULT_TOPIC_SORT: TopicSort = { key: 'problems', direction: 'asc' };

export interface TopicsListParams {
  q: string;
  /** Show internal topics (__consumer_offsets, ...), hidden by default. */
  internal: boolean;
  sort: TopicSort;
}

export function parseTopicsListParams(search: Record<string, RawParam>): TopicsListParams {
  const internal = firstParam(search.internal, 5);
  return { q: firstParam(search.q), internal: internal === '1' || internal === 'true', sort: parseSortParam(search.sort, TOPIC_SORT_KEYS, DEFAULT_TOPIC_SORT) };
}

export function topicsListQuery(params: TopicsListParams): string {
  const sortIsDefault = params.sort.key === DEFAULT_TOPIC_SORT.key && params.sort.direction === DEFAULT_TOPIC_SORT.direction;
  return buildQuery([
    ['q', params.q],
    ['internal', params.internal ? '1' : null],
    ['sort', sortIsDefault ? null : formatSortParam(params.sort)],
  ]);
}

export function firstTopicDirection(key: TopicSortKey): SortDirection {
  return key === 'name' || key === 'problems' ? 'asc' : 'desc';
}

function numberOf(topic: TopicSummary, key: Exclude<TopicSortKey, 'problems' | 'name'>): number | null {
  switch (key) {
    case 'partitions':
      return topic.partitions;
    case 'replicationFactor':
      return topic.replicationFactor;
    case 'underReplicated':
      return topic.underReplicatedPartitions;
    case 'offline':
      return topic.offlinePartitions;
    case 'produceRate':
      return topic.produceRate;
  }
}

function compareProblemsFirst(a: TopicSummary, b: TopicSummary): number {
  return b.offlinePartitions - a.offlinePartitions || b.underReplicatedPartitions - a.underReplicatedPartitions || compareStrings(a.name, b.name);
}

/** A sorted copy; unknown numbers (a produce rate not measured yet) last in either direction. */
export function sortTopics(topics: readonly TopicSummary[], sort: TopicSort = DEFAULT_TOPIC_SORT): TopicSummary[] {
  const { key, direction } = sort;
  const sign = direction === 'asc' ? 1 : -1;
  return [...topics].sort((a, b) => {
    if (key === 'problems') return sign * compareProblemsFirst(a, b);
    if (key === 'name') return sign * compareStrings(a.name, b.name);
    const x = numberOf(a, key);
    const y = numberOf(b, key);
    if (x === null || y === null) return x === null ? (y === null ? compareStrings(a.name, b.name) : 1) : -1;
    return sign * (x - y) || compareStrings(a.name, b.name);
  });
}

export function matchesTopicSearch(topic: TopicSummary, q: string): boolean {
  return q === '' || topic.name.toLowerCase().includes(q.toLowerCase());
}
