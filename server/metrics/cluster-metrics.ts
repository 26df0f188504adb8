import type { ClusterWatcher } from '../poller/cluster-watcher';
import { CYCLE_BUCKETS_SECONDS } from '../poller/cycle-stats';
import { Exposition, type Sample } from './exposition';
import { statusLevel } from '../../lib/lag/group-status';
import { PARTITION_STATUSES } from '../../lib/lag/status';

const GROUP_LEVELS = ['ok', 'warn', 'err', 'evaluating', 'notfound'] as const;
const PARTITION_STATUS_LABELS = PARTITION_STATUSES.map((s) => s.toLowerCase());

/**
 * /metrics in Prometheus text format. Lag series use kafka-lag-exporter's names and labels so existing Grafana
 * dashboards work (research/anchors-lag.md §8.5); statuses are StateSets; unknown values are omitted, not NaN.
 */
export function renderMetrics(watchers: Iterable<ClusterWatcher>): string {
  const out = new Exposition();
  const lag: Sample[] = [];
  const lagSeconds: Sample[] = [];
  const lowerBound: Sample[] = [];
  const offset: Sample[] = [];
  const lost: Sample[] = [];
  const memberInfo: Sample[] = [];
  const partitionStatus: Sample[] = [];
  const maxLag: Sample[] = [];
  const maxLagSeconds: Sample[] = [];
  const sumLag: Sample[] = [];
  const topicSumLag: Sample[] = [];
  const groupStatus: Sample[] = [];
  const groupState: Sample[] = [];
  const members: Sample[] = [];
  const latest: Sample[] = [];
  const earliest: Sample[] = [];
  const lastStable: Sample[] = [];
  const up: Sample[] = [];
  const lastSuccess: Sample[] = [];
  const requests: Sample[] = [];
  const fastRequests: Sample[] = [];
  const errors: Sample[] = [];
  const histograms: { cluster: string; watcher: ClusterWatcher }[] = [];

  for (const watcher of watchers) {
    const cluster_name = watcher.config.id;
    const { cluster, groups } = watcher.overview;
    up.push({ labels: { cluster_name }, value: cluster.state === 'ok' ? 1 : 0 });
    lastSuccess.push({ labels: { cluster_name }, value: cluster.observedAt === null ? null : cluster.observedAt / 1000 });
    for (const r of watcher.adapter.stats.totals()) requests.push({ labels: { cluster_name, api: r.api, broker: r.broker, outcome: r.outcome }, value: r.count });
    for (const [api, n] of Object.entries(watcher.stats.lastFastRequests)) fastRequests.push({ labels: { cluster_name, api }, value: n });
    errors.push({ labels: { cluster_name }, value: watcher.stats.errors });
    histograms.push({ cluster: cluster_name, watcher });

    for (const p of watcher.metadata?.partitions ?? []) {
      const o = watcher.engine.partitionOffsets(p.topic, p.partition);
      const labels = { cluster_name, topic: p.topic, partition: p.partition };
      latest.push({ labels, value: o?.hwm ?? null });
      earliest.push({ labels, value: o?.logStart ?? null });
      lastStable.push({ labels, value: o?.lso ?? null });
    }

    for (const g of groups) {
      const group = g.id;
      const level = statusLevel(g.status).toLowerCase();
      for (const s of GROUP_LEVELS) groupStatus.push({ labels: { cluster_name, group, status: s }, value: s === level ? 1 : 0 });
      groupState.push({ labels: { cluster_name, group, state: g.state }, value: 1 });
      members.push({ labels: { cluster_name, group }, value: g.members.length });
      maxLag.push({ labels: { cluster_name, group }, value: g.lagMax });
      maxLagSeconds.push({ labels: { cluster_name, group }, value: g.lagSecondsMax });
      sumLag.push({ labels: { cluster_name, group }, value: g.lagSum });
      const perTopic = new Map<string, number>();
      for (const p of watcher.groupDetail(group)?.partitions ?? []) {
        const labels = { cluster_name, group, topic: p.topic, partition: p.partition };
        lag.push({ labels, value: p.lag });
        lagSeconds.push({ labels, value: p.lagSeconds });
        lowerBound.push({ labels, value: p.lagSecondsMethod === 'lower_bound' ? 1 : null });
        offset.push({ labels, value: p.committed });
        lost.push({ labels, value: p.messagesLost });
        const current = p.status.toLowerCase();
        for (const s of PARTITION_STATUS_LABELS) partitionStatus.push({ labels: { ...labels, status: s }, value: s === current ? 1 : 0 });
        if (p.memberId) memberInfo.push({ labels: { ...labels, member_host: '', client_id: p.clientId ?? '', consumer_id: p.memberId }, value: 1 });
        if (p.lag !== null) perTopic.set(p.topic, (perTopic.get(p.topic) ?? 0) + p.lag);
      }
      for (const [topic, value] of perTopic) topicSumLag.push({ labels: { cluster_name, group, topic }, value });
    }
  }

  out
    .gauge('kafka_consumergroup_group_lag', 'Group partition lag in messages (high watermark minus committed offset, clamped at 0 and at the log start).', lag)
    .gauge('kafka_consumergroup_group_lag_seconds', 'Group partition lag in seconds: age of the next message the group will read.', lagSeconds)
    .gauge('kafka_consumergroup_group_lag_seconds_lower_bound', 'Set to 1 where lag_seconds is only a lower bound (the commit is older than the kept history).', lowerBound)
    .gauge('kafka_consumergroup_group_offset', 'Committed offset of the group partition.', offset)
    .gauge('kafka_consumergroup_group_messages_lost', 'Messages deleted by retention before the group read them.', lost)
    .gauge('kafka_consumergroup_group_max_lag', 'Maximum partition lag of the group in messages.', maxLag)
    .gauge('kafka_consumergroup_group_max_lag_seconds', 'Maximum partition lag of the group in seconds.', maxLagSeconds)
    .gauge('kafka_consumergroup_group_sum_lag', 'Total lag of the group in messages.', sumLag)
    .gauge('kafka_consumergroup_group_topic_sum_lag', 'Total lag of the group on one topic in messages.', topicSumLag)
    .gauge('kafka_consumergroup_group_status', 'Group status as a state set (ok, warn, err, evaluating, notfound).', groupStatus)
    .gauge('kafka_consumergroup_partition_status', 'Group partition status as a state set.', partitionStatus)
    .gauge('kafka_consumergroup_group_state', 'Broker-reported group state.', groupState)
    .gauge('kafka_consumergroup_group_members', 'Members in the group.', members)
    .gauge('kafka_consumergroup_group_member_info', 'Which member owns a partition (join on it; lag series carry no member labels).', memberInfo)
    .gauge('kafka_partition_latest_offset', 'High watermark of the partition.', latest)
    .gauge('kafka_partition_earliest_offset', 'Log start offset of the partition.', earliest)
    .gauge('kafka_partition_last_stable_offset', 'Last stable offset of the partition (transactional topics).', lastStable)
    .gauge('kafka_lag_monitor_up', '1 when the cluster answered the last poll.', up)
    .gauge('kafka_lag_monitor_last_success_timestamp_seconds', 'When the last poll succeeded.', lastSuccess)
    .counter('kafka_lag_monitor_requests_total', 'Kafka requests sent by the poller.', requests)
    .gauge('kafka_lag_monitor_fast_cycle_requests', 'Kafka requests in the last fast poll cycle, by API.', fastRequests)
    .counter('kafka_lag_monitor_poll_errors_total', 'Poll cycles that failed.', errors);
  for (const { cluster, watcher } of histograms) {
    const s = watcher.stats;
    out.histogram('kafka_lag_monitor_poll_duration_seconds', 'Duration of the fast poll cycle.', { cluster_name: cluster }, CYCLE_BUCKETS_SECONDS.map((le, i) => ({ le, count: s.bucketCounts[i]! })), s.sumSeconds, s.count);
  }
  return out.toString();
}
