import type { GroupSummary, TopicConsumer, TopicDetail, TopicProducer, Topology } from '../../lib/contract';
import { maxKnown, sumKnown } from '../../lib/lag/known';
import type { ClusterWatcher } from '../poller/cluster-watcher';
import type { ClusterTopology } from './discovery';

/** Edges that put messages on a topic. */
const WRITING_EDGES = new Set(['produces', 'deadLetters']);

/** How long a built live graph serves topic views: writers change at discovery's pace, not every poll. */
const GRAPH_MAX_AGE_MS = 5000;
const graphs = new WeakMap<ClusterTopology, { at: number; graph: Topology }>();

/**
 * The live graph, rebuilt at most once per GRAPH_MAX_AGE_MS per cluster, shared by the REST route and the topic
 * rooms: a topic page ticks every poll, and building the whole graph for each open page each second would be
 * wasted work on a big cluster.
 */
function cachedLiveGraph(topology: ClusterTopology, now: number): Topology {
  const cached = graphs.get(topology);
  if (cached && now - cached.at < GRAPH_MAX_AGE_MS && now >= cached.at) return cached.graph;
  const graph = topology.graphNow(now, true);
  graphs.set(topology, { at: now, graph });
  return graph;
}

/** Writers of `topic` on the live graph, busiest first. */
function producersOf(graph: Topology, topic: string): { producers: TopicProducer[]; unattributedPerSec: number | null } {
  const node = graph.nodes.find((n) => n.kind === 'topic' && n.name === topic);
  if (!node) return { producers: [], unattributedPerSec: null };
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const producers = graph.edges
    .filter((e) => e.to === node.id && WRITING_EDGES.has(e.kind))
    .map((e): TopicProducer => {
      const writer = byId.get(e.from);
      return {
        id: e.from,
        name: writer?.name ?? e.from,
        kind: writer?.kind ?? 'unknownProducer',
        edgeKind: e.kind,
        state: e.state,
        confidence: e.confidence,
        messagesPerSec: e.metrics.messagesPerSec,
        evidence: [...new Set(e.evidence.map((ev) => ev.source))],
        lastSeen: maxKnown(e.evidence.map((ev) => ev.lastSeen)),
      };
    })
    .sort((a, b) => (b.messagesPerSec ?? -1) - (a.messagesPerSec ?? -1) || a.name.localeCompare(b.name));
  return { producers, unattributedPerSec: node.metrics.unattributedPerSec };
}

/** Groups reading `topic`, with their lag on this topic's partitions only; problems first. */
function consumersOf(watcher: ClusterWatcher, groups: readonly GroupSummary[], topic: string): TopicConsumer[] {
  const readers = new Set(watcher.engine.groupsReading(topic));
  return groups
    .filter((g) => readers.has(g.id) || g.topics.includes(topic))
    .map((g): TopicConsumer => {
      const own = watcher.groupDetail(g.id)?.partitions.filter((p) => p.topic === topic) ?? [];
      return {
        group: g.id,
        lagSum: sumKnown(own.map((p) => p.lag)),
        lagSecondsMax: maxKnown(own.map((p) => p.lagSeconds)),
        status: g.status,
        statusReason: g.statusReason ?? null,
        etaSeconds: g.etaSeconds,
        consumeRate: sumKnown(own.map((p) => p.consumeRate)),
        members: g.members.filter((m) => m.topics.includes(topic)).length,
      };
    })
    .sort((a, b) => (b.lagSecondsMax ?? -1) - (a.lagSecondsMax ?? -1) || a.group.localeCompare(b.group));
}

/** Everything the topic page shows, or undefined for a topic the cluster does not have. */
export function buildTopicDetail(watcher: ClusterWatcher, topology: ClusterTopology | undefined, name: string, now = Date.now()): TopicDetail | undefined {
  const { topics, groups } = watcher.overview;
  const topic = topics.find((t) => t.name === name);
  if (!topic) return undefined;
  const partitions = (watcher.metadata?.partitions ?? [])
    .filter((p) => p.topic === name)
    .sort((a, b) => a.partition - b.partition)
    .map((p) => {
      const offsets = watcher.engine.partitionOffsets(name, p.partition);
      return {
        partition: p.partition,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        logStartOffset: offsets?.logStart ?? null,
        highWatermark: offsets?.hwm ?? null,
        lastStableOffset: offsets?.lso ?? null,
        produceRate: watcher.engine.produceRate(name, p.partition, now),
        staleSince: offsets?.staleSince ?? null,
      };
    });
  const config = watcher.topicConfig(name);
  const writers = topology ? producersOf(cachedLiveGraph(topology, now), name) : { producers: [], unattributedPerSec: null };
  return {
    topic,
    partitions,
    configs: config
      ? {
          compacted: config.compacted,
          retentionMs: config.retentionMs,
          timestampType: config.timestampType,
          cleanupPolicy: config.cleanupPolicy,
          minInsyncReplicas: config.minInsyncReplicas,
          retentionBytes: config.retentionBytes,
          maxMessageBytes: config.maxMessageBytes,
        }
      : null,
    consumers: consumersOf(watcher, groups, name),
    producers: writers.producers,
    unattributedPerSec: writers.unattributedPerSec,
  };
}
