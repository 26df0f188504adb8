'use client';
import type { TopicData } from './use-topic';
import { formatCount, formatRate } from '../../lib/format';

type Partition = TopicData['partitions'][number];

/** Replicas out of sync or no leader: the partition-level problems a topic page must not bury. */
function problem(p: Partition): string | null {
  if (p.leader < 0) return 'offline: no leader';
  if (p.isr.length < p.replicas.length) return `under-replicated: ${p.isr.length} of ${p.replicas.length} in sync`;
  return null;
}

export function TopicPartitionsTable({ partitions }: { partitions: Partition[] }) {
  return (
    <table className="table" data-testid="topic-partitions-table">
      <thead>
        <tr>
          <th className="num">Partition</th>
          <th className="num">Leader</th>
          <th>Replicas</th>
          <th>In sync</th>
          <th className="num" title="Log start offset: the oldest offset still stored">Low watermark</th>
          <th className="num" title="High watermark: the next offset to be written">High watermark</th>
          <th className="num" title="Messages currently stored (an upper bound on compacted topics)">Messages</th>
          <th className="num">Produce rate</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {partitions.map((p) => {
          const issue = problem(p);
          const stored = p.highWatermark !== null && p.logStartOffset !== null ? p.highWatermark - p.logStartOffset : null;
          return (
            <tr key={p.partition} data-testid="topic-partition-row" className={p.staleSince !== null ? 'stale-row' : undefined}>
              <td className="num">{p.partition}</td>
              <td className="num">{p.leader < 0 ? <span className="warn-text">none</span> : p.leader}</td>
              <td className="mono small">{p.replicas.join(', ')}</td>
              <td className="mono small">{p.isr.join(', ')}</td>
              <td className="num mono">{p.logStartOffset === null ? '—' : p.logStartOffset.toLocaleString()}</td>
              <td className="num mono">{p.highWatermark === null ? '—' : p.highWatermark.toLocaleString()}</td>
              <td className="num">{formatCount(stored)}</td>
              <td className="num">{formatRate(p.produceRate)}</td>
              <td>{issue ? <span className="tag tag-danger">{issue}</span> : null}</td>
            </tr>
          );
        })}
        {partitions.length === 0 ? (
          <tr><td colSpan={9} className="empty">No partition metadata yet: it arrives with the next slow poll.</td></tr>
        ) : null}
      </tbody>
    </table>
  );
}
