import type { FastifyPluginAsync } from 'fastify';
import type { GroupsResponse } from '../../lib/contract';
import { resolveCluster, type ApiContext } from './context';

export const groupRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  app.get('/api/clusters/:cluster/groups', async (req, reply): Promise<GroupsResponse | void> => {
    const watcher = resolveCluster(ctx, req.params, reply);
    if (!watcher) return;
    const { cluster, groups } = watcher.overview;
    return { cluster: cluster.id, observedAt: cluster.observedAt ?? Date.now(), groups };
  });
};
