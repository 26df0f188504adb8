import type { FastifyPluginAsync } from 'fastify';
import { renderMetrics } from '../metrics/cluster-metrics';
import type { ApiContext } from './context';

/** GET /metrics: Prometheus exposition of lag, status and the poller's own health. */
export const metricsRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  app.get('/metrics', async (_req, reply) => {
    void reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    return renderMetrics(ctx.watchers.values());
  });
};
