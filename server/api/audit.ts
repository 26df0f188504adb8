import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { auditActionSchema, type AuditListResponse } from '../../lib/contract';
import { clusterParamsSchema, sendError, type ApiContext } from './context';

const auditQuerySchema = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  action: auditActionSchema.optional(),
});

/** The audit log of write actions, newest first, a page at a time (`before` = the last id of the previous page). */
export const auditRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  const list = (cluster: string | undefined, query: unknown, reply: Parameters<typeof sendError>[0]): AuditListResponse | void => {
    const q = auditQuerySchema.safeParse(query);
    if (!q.success) {
      const issue = q.error.issues[0]!;
      sendError(reply, 400, { error: 'bad_request', message: `${issue.path.join('.')}: ${issue.message}`, hint: 'before is an entry id, limit 1 to 500, action one of ' + auditActionSchema.options.join(', ') + '.' });
      return;
    }
    return ctx.store.audit.page({ cluster, before: q.data.before, limit: q.data.limit, action: q.data.action });
  };

  app.get('/api/audit', async (req, reply) => list(undefined, req.query, reply));

  app.get('/api/clusters/:cluster/audit', async (req, reply) => {
    const params = clusterParamsSchema.safeParse(req.params);
    const id = params.success ? params.data.cluster : '';
    if (!ctx.watchers.has(id)) {
      return sendError(reply, 404, { error: 'unknown_cluster', message: `No cluster "${id}" is configured.`, hint: `Configured clusters: ${[...ctx.watchers.keys()].join(', ')}.` });
    }
    return list(id, req.query, reply);
  });
};
