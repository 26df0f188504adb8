import type { FastifyPluginAsync } from 'fastify';
import type { ClustersResponse, HealthResponse } from '../../lib/contract';
import type { ApiContext } from './context';

/** GET /api/health and GET /api/clusters: the server is up; each cluster's connection state. */
export const healthRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  app.get('/api/health', async (): Promise<HealthResponse> => {
    const clusters = [...ctx.watchers.values()].map((w) => {
      const { id, state, since, error, retryAt } = w.overview.cluster;
      return { id, state, since, error, retryAt };
    });
    return {
      status: clusters.every((c) => c.state === 'ok') ? 'ok' : 'degraded',
      version: ctx.version,
      observedAt: Date.now(),
      clusters,
    };
  });

  app.get('/api/clusters', async (): Promise<ClustersResponse> => ({
    observedAt: Date.now(),
    clusters: [...ctx.watchers.values()].map((w) => w.overview.cluster),
  }));
};
