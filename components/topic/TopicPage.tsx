'use client';
import Link from 'next/link';
import type { ClusterInfo } from '../../lib/contract';
import { rangeMs } from '../../lib/charts/ranges';
import { formatAge, formatBytes, formatCount, formatDuration, formatRate } from '../../lib/format';
import { clusterHref, mapNodeHref, messagesHref, replayNewHref } from '../../lib/links';
import { WriteLink } from '../replay/WriteLink';
import { useDeadLetter } from '../replay/use-dead-letter';
import { RangePicker, useRangeParam } from '../charts/RangePicker';
import { TimeSeriesChart, type ChartLine } from '../charts/TimeSeriesChart';
import { ClusterShell } from '../overview/ClusterShell';
import { useNow } from '../realtime/use-now';
import { ConsumersTable, ProducersTable } from './TopicFlows';
import { TopicPartitionsTable } from './TopicPartitionsTable';
import { useTopic, useTopicRateHistory, type TopicData } from './use-topic';
import '../ui/entity.css';

/** A module constant: a new array each render would defeat the chart's memo (the page ticks every second). */
const PRODUCE_LINES: ChartLine[] = [{ key: 'produceRate', label: 'produced', color: 'var(--accent)' }];

const retention = (ms: number | null | undefined) => (ms === null || ms === undefined ? 'unlimited' : formatDuration(ms / 1000));

function Configs({ configs, replicationFactor }: { configs: TopicData['configs']; replicationFactor: number }) {
  if (!configs) return <p className="empty">Configs not read yet (they arrive with the slow poll), or this user may not describe them.</p>;
  const minIsr = configs.minInsyncReplicas ?? null;
  // With acks=all a write needs min.insync.replicas in sync: RF - minISR is how many brokers may fail before writes stop.
  const tolerance = minIsr !== null ? replicationFactor - minIsr : null;
  return (
    <dl className="kv-grid" data-testid="topic-configs">
      <div><dt>cleanup.policy</dt><dd className="mono">{configs.cleanupPolicy ?? (configs.compacted ? 'compact' : 'delete')}</dd></div>
      <div><dt>retention.ms</dt><dd>{retention(configs.retentionMs)}</dd></div>
      <div><dt>retention.bytes</dt><dd>{configs.retentionBytes === null || configs.retentionBytes === undefined ? 'unlimited' : formatBytes(configs.retentionBytes)} <span className="muted small">per partition</span></dd></div>
      <div>
        <dt>min.insync.replicas</dt>
        <dd>
          {minIsr ?? '—'}{' '}
          {tolerance !== null ? <span className={`small ${tolerance <= 0 ? 'warn-text' : 'muted'}`}>{tolerance <= 0 ? 'no broker may fail before acks=all writes stop' : `${tolerance} broker${tolerance === 1 ? '' : 's'} may fail before acks=all writes stop`}</span> : null}
        </dd>
      </div>
      <div><dt>max.message.bytes</dt><dd>{formatBytes(configs.maxMessageBytes ?? null)}</dd></div>
      <div><dt>message.timestamp.type</dt><dd className="mono">{configs.timestampType ?? '—'}</dd></div>
    </dl>
  );
}

function TopicView({ cluster, topic, info }: { cluster: string; topic: string; info: ClusterInfo | undefined }) {
  const live = useTopic(cluster, topic);
  const deadLetter = useDeadLetter(cluster, topic);
  const now = useNow(1000);
  const [range, setRange] = useRangeParam();
  const pollIntervalMs = info?.pollIntervalMs ?? 5000;
  const rates = useTopicRateHistory(cluster, topic, rangeMs(range), pollIntervalMs, live.data && live.observedAt !== null ? { rate: live.data.topic.produceRate, observedAt: live.observedAt } : null);
  if (!live.data) {
    return live.error ? (
      <div className="notice notice-danger" role="alert" data-testid="topic-error">{live.error} <a href={clusterHref(cluster, '/topics')}>All topics</a></div>
    ) : (
      <div className="notice" data-testid="loading">Loading {topic}…</div>
    );
  }
  const d = live.data;
  const t = d.topic;
  // The topic room only sends on change, so freshness comes from the cluster, not from the last update.
  const clusterSeen = info?.observedAt ?? null;
  const stale = live.connection !== 'live' || (clusterSeen !== null && now - clusterSeen > 3 * pollIntervalMs);
  const worst = d.consumers[0];
  const problems = t.underReplicatedPartitions + t.offlinePartitions;
  return (
    <div className={`entity-page${stale ? ' is-stale' : ''}`} data-testid="topic-page">
      {stale ? <p className="notice notice-warn" role="status">{live.connection !== 'live' ? 'Disconnected from the Topolog server: figures are frozen.' : `Figures from ${formatAge(clusterSeen ?? 0, now)}: the cluster is not answering.`}</p> : null}
      <header className="entity-header">
        <div className="entity-title">
          <p className="entity-kind">Topic{t.internal ? ' · internal' : ''} · {t.partitions} partitions · replication {t.replicationFactor}</p>
          <h1 className="mono" data-testid="topic-title">{t.name}</h1>
          <div className="entity-links">
            <Link href={messagesHref(cluster, t.name)} className="button small" title="Browse, filter, tail, produce and export this topic's records" data-testid="topic-messages-link">Messages <span aria-hidden>→</span></Link>
            <WriteLink href={replayNewHref(cluster, { topic: t.name })} readOnly={info?.readOnly ?? false} testId="topic-replay-link" title="Copy a range of this topic's records into a topic, previewed by a dry run">Replay…</WriteLink>
            {deadLetter && deadLetter.originals[0] ? (
              <WriteLink href={replayNewHref(cluster, { topic: t.name, redrive: true })} readOnly={info?.readOnly ?? false} testId="topic-redrive-link" className="button small primary" title={`A dead-letter topic (by ${deadLetter.evidence.join(', ')}): send its records back to ${deadLetter.originals[0].topic}`}>{`Redrive to ${deadLetter.originals[0].topic}`}</WriteLink>
            ) : null}
            <Link href={mapNodeHref(cluster, { kind: 'topic', name: t.name })} data-testid="topic-map-link">Show on the map →</Link>
          </div>
        </div>
        <div className="cards">
          <div className="card">
            <span className="card-label">Produced</span>
            <span className="card-value" data-testid="topic-rate">{formatRate(t.produceRate)}</span>
            <span className="card-note">messages per second, last minute</span>
          </div>
          <div className={`card card-${problems > 0 ? 'danger' : 'ok'}`} data-testid="card-replication">
            <span className="card-label">Replication</span>
            <span className="card-value small-value">{t.offlinePartitions > 0 ? `${t.offlinePartitions} offline` : t.underReplicatedPartitions > 0 ? `${t.underReplicatedPartitions} under-replicated` : 'All in sync'}</span>
            <span className="card-note">{t.partitions} partitions × {t.replicationFactor} replicas</span>
          </div>
          <div className="card">
            <span className="card-label">Writers</span>
            <span className="card-value">{d.producers.length}</span>
            <span className="card-note">{d.producers.slice(0, 3).map((p) => p.name).join(', ') || 'none discovered yet'}</span>
          </div>
          <div className={`card${worst && worst.lagSecondsMax !== null && worst.lagSecondsMax > 60 ? ' card-warn' : ''}`}>
            <span className="card-label">Readers</span>
            <span className="card-value">{d.consumers.length}</span>
            <span className="card-note">{worst ? `most behind: ${worst.group} (${formatCount(worst.lagSum)} messages)` : 'no consumer group'}</span>
          </div>
        </div>
      </header>
      <section className="panel">
        <h2>Produce rate <RangePicker range={range} onRange={setRange} /></h2>
        {rates.error ? <p className="notice notice-warn small">History unavailable: {rates.error}</p> : null}
        <div className="chart-block">
          <TimeSeriesChart testId="chart-produce-rate" points={rates.points} lines={PRODUCE_LINES} from={rates.from} to={rates.to} format={formatRate} />
        </div>
      </section>
      <div className="columns-even">
        <section className="panel">
          <h2>Written by <span className="count">{d.producers.length}</span></h2>
          <ProducersTable producers={d.producers} unattributedPerSec={d.unattributedPerSec} now={now} />
        </section>
        <section className="panel">
          <h2>Read by <span className="count">{d.consumers.length}</span></h2>
          <ConsumersTable cluster={cluster} consumers={d.consumers} />
        </section>
      </div>
      <section className="panel">
        <h2>Partitions <span className="count">{d.partitions.length}</span></h2>
        <TopicPartitionsTable partitions={d.partitions} />
      </section>
      <section className="panel">
        <h2>Key configs</h2>
        <Configs configs={d.configs} replicationFactor={t.replicationFactor} />
      </section>
    </div>
  );
}

/** `/clusters/:cluster/topics/:topic`: a topic's partitions, configs, writers and readers, live. */
export function TopicPage({ cluster, topic }: { cluster: string; topic: string }) {
  return (
    <ClusterShell cluster={cluster} view="topic">
      {({ info }) => <TopicView key={`${cluster}/${topic}`} cluster={cluster} topic={topic} info={info} />}
    </ClusterShell>
  );
}
