'use client';
import type { TopicSummary } from '../../lib/contract';

export function TopicsTable({ topics, filter }: { topics: TopicSummary[]; filter: (name: string) => boolean }) {
  const rows = topics.filter((t) => filter(t.name)).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <table className="table" data-testid="topics-table">
      <thead>
        <tr>
          <th>Topic</th>
          <th className="num">Partitions</th>
          <th className="num">RF</th>
          <th className="num" title="Under-replicated partitions">URP</th>
          <th className="num" title="Messages per second produced">msg/s</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((topic) => (
          <tr key={topic.name} data-testid="topic-row" data-topic={topic.name}>
            <td className="mono">
              {topic.name}
              {topic.internal && <span className="tag">internal</span>}
              {topic.offlinePartitions > 0 && <span className="tag tag-danger">{topic.offlinePartitions} offline</span>}
            </td>
            <td className="num">{topic.partitions}</td>
            <td className="num">{topic.replicationFactor}</td>
            <td className={`num ${topic.underReplicatedPartitions > 0 ? 'warn-text' : ''}`}>{topic.underReplicatedPartitions}</td>
            <td className="num" title={topic.produceRate === null ? 'Not measured yet' : undefined}>{topic.produceRate === null ? '—' : topic.produceRate.toFixed(topic.produceRate < 10 ? 1 : 0)}</td>
          </tr>
        ))}
        {rows.length === 0 && (
          <tr>
            <td colSpan={5} className="empty">No topics match.</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
