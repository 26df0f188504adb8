import type { FastifyPluginAsync } from 'fastify';
import type { TopicsResponse } from '../../lib/contract';
import { resolveCluster, type ApiContext } from './context';

export const topicRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  app.get('/api/clusters/:cluster/topics', async (req, reply): Promise<TopicsResponse | void> => {
    const watcher = resolveCluster(ctx, req.params, reply);
    if (!watcher) return;
    const { cluster, topics } = watcher.overview;
    return { cluster: cluster.id, observedAt: cluster.observedAt ?? Date.now(), topics };
  });
};
