import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { alertStateFilterSchema, type AlertRuleResponse, type AlertRulesResponse, type AlertsResponse, type WebhooksResponse, type WebhookTestResponse } from '../../lib/contract';
import { AlertRuleError } from '../alerts/alert-manager';
import { resolveCluster, sendError, type ApiContext } from './context';

const listQuery = z.object({ state: alertStateFilterSchema.default('all') });
const idParams = z.object({ id: z.string().min(1).max(64) });
const testQuery = z.object({ cluster: z.string().min(1).max(249).optional() });

function sendRuleError(reply: FastifyReply, err: unknown): void {
  if (err instanceof AlertRuleError) return void sendError(reply, err.status, { error: err.code, message: err.message, hint: err.hint });
  throw err;
}

/** Alerts: the alert list per cluster, rules (config: read-only; UI: stored), webhooks and their test, the status log. */
export const alertRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  const manager = ctx.alerts;

  app.get('/api/clusters/:cluster/alerts', async (req, reply): Promise<AlertsResponse | void> => {
    const watcher = resolveCluster(ctx, req.params, reply);
    if (!watcher) return;
    const query = listQuery.safeParse(req.query);
    if (!query.success) return void sendError(reply, 400, { error: 'bad_query', message: 'state must be firing, resolved or all', hint: 'Example: ?state=firing' });
    return { cluster: watcher.config.id, observedAt: watcher.overview.cluster.observedAt ?? Date.now(), alerts: manager.alerts(watcher.config.id, query.data.state) };
  });

  app.get('/api/alerts/rules', async (): Promise<AlertRulesResponse> => ({ observedAt: Date.now(), rules: manager.rules() }));

  app.post('/api/alerts/rules', async (req, reply): Promise<AlertRuleResponse | void> => {
    try {
      const rule = manager.createRule(req.body);
      reply.code(201);
      return { observedAt: Date.now(), rule };
    } catch (err) {
      return sendRuleError(reply, err);
    }
  });

  app.put('/api/alerts/rules/:id', async (req, reply): Promise<AlertRuleResponse | void> => {
    const params = idParams.safeParse(req.params);
    if (!params.success) return void sendError(reply, 400, { error: 'bad_id', message: 'The rule id is missing or too long.', hint: 'GET /api/alerts/rules lists the rules.' });
    try {
      return { observedAt: Date.now(), rule: manager.updateRule(params.data.id, req.body) };
    } catch (err) {
      return sendRuleError(reply, err);
    }
  });

  app.delete('/api/alerts/rules/:id', async (req, reply) => {
    const params = idParams.safeParse(req.params);
    if (!params.success) return void sendError(reply, 400, { error: 'bad_id', message: 'The rule id is missing or too long.', hint: 'GET /api/alerts/rules lists the rules.' });
    try {
      manager.deleteRule(params.data.id);
      return reply.code(204).send();
    } catch (err) {
      return sendRuleError(reply, err);
    }
  });

  app.get('/api/alerts/webhooks', async (): Promise<WebhooksResponse> => ({ observedAt: Date.now(), webhooks: manager.webhooks() }));

  app.post('/api/alerts/webhooks/:id/test', async (req, reply): Promise<WebhookTestResponse | void> => {
    const params = idParams.safeParse(req.params);
    const query = testQuery.safeParse(req.query);
    const id = params.success ? params.data.id : '';
    const cluster = (query.success ? query.data.cluster : undefined) ?? [...ctx.watchers.keys()][0] ?? 'default';
    const result = await manager.testWebhook(id, cluster);
    if (!result) {
      return void sendError(reply, 404, { error: 'unknown_webhook', message: `No webhook "${id}" is configured.`, hint: 'Webhooks are configured under alerts.webhooks in the config file; GET /api/alerts/webhooks lists them.' });
    }
    return result;
  });

};
