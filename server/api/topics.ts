import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { TopicDetailResponse, TopicsResponse } from '../../lib/contract';
import { resolveCluster, sendError, type ApiContext } from './context';

const topicParams = z.object({ cluster: z.string(), topic: z.string().min(1).max(249) });

export const topicRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  app.get('/api/clusters/:cluster/topics', async (req, reply): Promise<TopicsResponse | void> => {
    const watcher = resolveCluster(ctx, req.params, reply);
    if (!watcher) return;
    const { cluster, topics } = watcher.overview;
    return { cluster: cluster.id, observedAt: cluster.observedAt ?? Date.now(), topics };
  });

  app.get('/api/clusters/:cluster/topics/:topic', async (req, reply): Promise<TopicDetailResponse | void> => {
    const watcher = resolveCluster(ctx, req.params, reply);
    if (!watcher) return;
    const { topic: name } = topicParams.parse(req.params);
    const { cluster, topics, groups } = watcher.overview;
    const topic = topics.find((t) => t.name === name);
    if (!topic) {
      return void sendError(reply, 404, {
        error: 'unknown_topic',
        message: `No topic "${name}" on cluster "${cluster.id}".`,
        hint: 'Topic names are case-sensitive; GET /api/clusters/:cluster/topics lists them.',
      });
    }
    const now = Date.now();
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
    const readers = new Set(watcher.engine.groupsReading(name));
    const consumers = groups
      .filter((g) => readers.has(g.id) || g.topics.includes(name))
      .map((g) => {
        const own = watcher.groupDetail(g.id)?.partitions.filter((p) => p.topic === name) ?? [];
        const lags = own.map((p) => p.lag).filter((l): l is number => l !== null);
        const seconds = own.map((p) => p.lagSeconds).filter((s): s is number => s !== null);
        return {
          group: g.id,
          lagSum: lags.length ? lags.reduce((a, b) => a + b, 0) : null,
          lagSecondsMax: seconds.length ? Math.max(...seconds) : null,
          status: g.status,
          members: g.members.filter((m) => m.topics.includes(name)).length,
        };
      });
    const config = watcher.topicConfig(name);
    return {
      cluster: cluster.id,
      observedAt: cluster.observedAt ?? now,
      topic,
      partitions,
      configs: config ? { compacted: config.compacted, retentionMs: config.retentionMs, timestampType: config.timestampType } : null,
      consumers,
      producers: [],
    };
  });
};
