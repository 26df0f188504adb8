import { describe, expect, it } from 'vitest';
import type { TopicSummary } from './contract';
import { parseTopicsListParams, sortTopics, topicsListQuery } from './topic-list';

function topic(name: string, over: Partial<TopicSummary> = {}): TopicSummary {
  return { name, partitions: 3, replicationFactor: 1, internal: false, underReplicatedPartitions: 0, offlinePartitions: 0, produceRate: null, ...over };
}

describe('topics list', () => {
  it('puts offline, then under-replicated topics first by default', () => {
    const topics = [topic('a'), topic('b', { underReplicatedPartitions: 2 }), topic('c', { offlinePartitions: 1 })];
    expect(sortTopics(topics).map((t) => t.name)).toEqual(['c', 'b', 'a']);
  });
  it('sorts by produce rate with unknown rates last both ways', () => {
    const topics = [topic('a', { produceRate: 5 }), topic('b'), topic('c', { produceRate: 50 })];
    expect(sortTopics(topics, { key: 'produceRate', direction: 'desc' }).map((t) => t.name)).toEqual(['c', 'a', 'b']);
    expect(sortTopics(topics, { key: 'produceRate', direction: 'asc' }).map((t) => t.name)).toEqual(['a', 'c', 'b']);
  });
  it('round-trips its address', () => {
    const params = { q: 'pay', internal: true, sort: { key: 'partitions' as const, direction: 'desc' as const } };
    expect(topicsListQuery(params)).toBe('?q=pay&internal=1&sort=-partitions');
    expect(parseTopicsListParams(Object.fromEntries(new URLSearchParams(topicsListQuery(params))))).toEqual(params);
    expect(topicsListQuery(parseTopicsListParams({}))).toBe('');
  });
});
