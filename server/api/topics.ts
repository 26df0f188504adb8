import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { TopicDetailResponse, TopicsResponse } from '../../lib/contract';
import { resolveCluster, sendError, type ApiContext } from './context';
import { buildTopicDetail } from '../topology/topic-view';

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
    const detail = buildTopicDetail(watcher, ctx.topologies.get(watcher.config.id), name);
    const { cluster } = watcher.overview;
    if (!detail) {
      return void sendError(reply, 404, {
        error: 'unknown_topic',
        message: `No topic "${name}" on cluster "${cluster.id}".`,
        hint: 'Topic names are case-sensitive; GET /api/clusters/:cluster/topics lists them. A topic created in the last few seconds appears at the next slow poll.',
      });
    }
    return { cluster: cluster.id, observedAt: cluster.observedAt ?? Date.now(), ...detail };
  });
};
