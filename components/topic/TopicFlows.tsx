'use client';
import Link from 'next/link';
import type { TopicData } from './use-topic';
import { formatAge, formatCount, formatDuration, formatRate } from '../../lib/format';
import { groupHref } from '../../lib/links';
import { StatusBadge } from '../ui/StatusBadge';
import { groupStatusSchema } from '../../lib/contract';

const KIND_LABEL: Record<string, string> = { service: 'service', client: 'client', connector: 'connector', streamApp: 'streams app', externalSystem: 'external system', unknownProducer: 'unknown writer' };
const EVIDENCE_LABEL: Record<string, string> = {
  'observed.producerSession': 'producer session',
  'observed.transaction': 'transaction',
  'observed.header': 'record headers',
  'observed.connect': 'Kafka Connect',
  'declared.asyncapi': 'AsyncAPI',
  'observed.groupAssignment': 'assignment',
  'observed.committedOffset': 'commits',
};

/** Who writes the topic, as discovery sees it, with how sure it is: the producers no broker tool lists. */
export function ProducersTable({ producers, unattributedPerSec, now }: { producers: TopicData['producers']; unattributedPerSec: number | null | undefined; now: number }) {
  if (producers.length === 0) {
    return <p className="empty" data-testid="producers-empty">No writer discovered yet. Idempotent producers show within a poll; others once a sampled record names them in its headers.</p>;
  }
  return (
    <>
      <table className="table" data-testid="producers-table">
        <thead>
          <tr>
            <th>Writer</th>
            <th>Seen by</th>
            <th>State</th>
            <th className="num">Rate</th>
            <th className="num">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {producers.map((p) => (
            <tr key={p.id} data-testid="producer-row" data-producer={p.name}>
              <td>
                <span className="mono">{p.name}</span> <span className="muted small">{KIND_LABEL[p.kind] ?? p.kind}</span>
                {p.edgeKind === 'deadLetters' ? <span className="tag tag-danger">dead letters</span> : null}
              </td>
              <td className="small">{p.evidence.map((e) => EVIDENCE_LABEL[e] ?? e).join(', ')} <span className="muted">({Math.round(p.confidence * 100)} %)</span></td>
              <td className="small">{p.state === 'declaredOnly' ? 'declared only' : p.state}</td>
              <td className="num">{formatRate(p.messagesPerSec)}</td>
              <td className="num small">{p.lastSeen === null ? '—' : formatAge(p.lastSeen, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {unattributedPerSec !== null && unattributedPerSec !== undefined && unattributedPerSec >= 0.1 ? <p className="muted small pad">{formatRate(unattributedPerSec)} of the produce rate comes from writers Topolog cannot name (no idempotent session, no identifying header).</p> : null}
    </>
  );
}

/** The groups that read the topic, with their lag on its partitions: the worst first. */
export function ConsumersTable({ cluster, consumers }: { cluster: string; consumers: TopicData['consumers'] }) {
  if (consumers.length === 0) return <p className="empty" data-testid="consumers-empty">No consumer group reads this topic (no members assigned, no committed offsets).</p>;
  return (
    <table className="table" data-testid="consumers-table">
      <thead>
        <tr>
          <th>Consumer group</th>
          <th>Status</th>
          <th className="num" title="Members assigned partitions of this topic">Members</th>
          <th className="num" title="Lag on this topic's partitions">Lag</th>
          <th className="num">Lag in time</th>
          <th className="num">Reads</th>
          <th className="num">ETA</th>
        </tr>
      </thead>
      <tbody>
        {consumers.map((c) => {
          const status = groupStatusSchema.safeParse(c.status);
          return (
            <tr key={c.group} data-testid="consumer-row" data-group={c.group}>
              <td className="mono"><Link href={groupHref(cluster, c.group)}>{c.group}</Link></td>
              <td><StatusBadge status={status.success ? status.data : null} reason={c.statusReason} /></td>
              <td className="num">{c.members}</td>
              <td className="num">{formatCount(c.lagSum)}</td>
              <td className="num">{c.lagSecondsMax === null ? '—' : c.lagSecondsMax < 1 ? '0 s' : formatDuration(c.lagSecondsMax)}</td>
              <td className="num">{formatRate(c.consumeRate ?? null)}</td>
              <td className="num">{c.etaSeconds === null || c.etaSeconds === undefined ? '—' : c.etaSeconds === 0 ? 'caught up' : formatDuration(c.etaSeconds)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
