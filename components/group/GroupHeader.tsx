'use client';
import Link from 'next/link';
import type { GroupData, StatusSpan } from '../../lib/contract';
import { formatAge, formatClock, formatCount, formatDuration, formatRate } from '../../lib/format';
import { describeCatchUp } from '../../lib/lag/catch-up';
import { statusSince } from '../../lib/lag/status-spans';
import { statusTone } from '../../lib/lag/status-tone';
import { mapNodeHref, resetHref, topicHref } from '../../lib/links';
import { WriteLink } from '../replay/WriteLink';
import { StatusBadge } from '../ui/StatusBadge';
import { livePoint } from './use-group-history';

const TYPE_LABEL: Record<string, string> = { classic: 'classic protocol', consumer: 'KIP-848 consumer protocol', share: 'share group', streams: 'streams group', unknown: 'unknown protocol' };

/**
 * The answers first: how far behind (messages and time), since when, is it catching up and when will it be done.
 * Everything else on the page is the evidence behind these cards.
 */
export function GroupHeader({ cluster, data, observedAt, spans, now, readOnly = false }: { cluster: string; data: GroupData; observedAt: number; spans: StatusSpan[]; now: number; readOnly?: boolean }) {
  const { group } = data;
  const point = livePoint(data, observedAt);
  const catchUp = describeCatchUp({ lag: group.lagSum, lagSeconds: group.lagSecondsMax, etaSeconds: group.etaSeconds, consumeRate: point.consumeRate, produceRate: point.produceRate, status: group.status }, now, formatDuration);
  const since = statusSince(spans, group.status);
  return (
    <header className="entity-header">
      <div className="entity-title">
        <p className="entity-kind">Consumer group · {TYPE_LABEL[group.type] ?? group.type} · {group.state}</p>
        <h1 className="mono" data-testid="group-title">{group.id}</h1>
        <div className="entity-links">
          <WriteLink href={resetHref(cluster, group.id)} readOnly={readOnly} testId="group-reset-link" title="Move the group's committed offsets: preview first, then confirm; undoable">Reset offsets…</WriteLink>
          <Link href={mapNodeHref(cluster, { kind: 'consumerGroup', name: group.id })} data-testid="group-map-link">Show on the map →</Link>
          {group.topics.map((t) => (
            <Link key={t} href={topicHref(cluster, t)} className="tag-link mono">{t}</Link>
          ))}
        </div>
      </div>
      <div className="cards">
        <div className={`card card-${statusTone(group.status)}`} data-testid="card-status">
          <span className="card-label">Status</span>
          <span className="card-value"><StatusBadge status={group.status} reason={group.statusReason} /></span>
          <span className="card-note">
            {since !== null ? <>since {formatClock(since)} ({formatAge(since, now).replace(' ago', '')})<br /></> : null}
            {group.statusReason ?? ''}
          </span>
        </div>
        <div className="card" data-testid="card-lag">
          <span className="card-label">Lag</span>
          <span className="card-value" data-testid="header-lag">{formatCount(group.lagSum)}</span>
          <span className="card-note">messages behind{group.lagMax !== null && group.lagMax !== group.lagSum ? `, worst partition ${formatCount(group.lagMax)}` : ''}</span>
        </div>
        <div className="card" data-testid="card-lag-seconds">
          <span className="card-label">Lag in time</span>
          <span className="card-value">{group.lagSecondsMax === null ? '—' : group.lagSecondsMax < 1 ? '0 s' : formatDuration(group.lagSecondsMax)}</span>
          <span className="card-note">age of the oldest unread message</span>
        </div>
        <div className={`card card-${catchUp.tone}`} data-testid="card-eta" data-kind={catchUp.kind}>
          <span className="card-label">Catching up?</span>
          <span className="card-value small-value" data-testid="eta">{catchUp.title}</span>
          <span className="card-note">
            {catchUp.detail}
            {catchUp.doneAt !== null ? <> Done around {formatClock(catchUp.doneAt)}.</> : null}
          </span>
        </div>
        <div className="card" data-testid="card-rates">
          <span className="card-label">Rates</span>
          <span className="card-value small-value">{formatRate(point.consumeRate)} read</span>
          <span className="card-note">over the last minute; {formatRate(point.produceRate)} produced into its partitions · {group.members.length} member{group.members.length === 1 ? '' : 's'}</span>
        </div>
      </div>
    </header>
  );
}
