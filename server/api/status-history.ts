import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { GroupStatusHistoryResponse } from '../../lib/contract';
import { cutUnobserved } from '../../lib/lag/observed';
import { resolveCluster, sendError, type ApiContext } from './context';

const params = z.object({ cluster: z.string(), group: z.string().min(1).max(1024) });
// The same range rules as server/api/history.ts (epoch ms, from < to, default the last hour).
const rangeQuery = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
});

/** `GET /api/clusters/:cluster/groups/:group/status-history?from&to`: the group's status timeline from the status log. */
export const statusHistoryRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  app.get('/api/clusters/:cluster/groups/:group/status-history', async (req, reply): Promise<GroupStatusHistoryResponse | void> => {
    const watcher = resolveCluster(ctx, req.params, reply);
    if (!watcher) return;
    const parsedParams = params.safeParse(req.params);
    const parsed = rangeQuery.safeParse(req.query);
    const now = Date.now();
    const to = parsed.success ? (parsed.data.to ?? now) : now;
    // The default hour before `to` stops at the epoch: a negative from would break the response contract (epochMs).
    const from = parsed.success ? (parsed.data.from ?? Math.max(0, to - 3_600_000)) : 0;
    if (!parsedParams.success || !parsed.success || from >= to) {
      return void sendError(reply, 400, { error: 'bad_range', message: 'from and to are epoch milliseconds with from < to.', hint: 'Example: ?from=1767225600000&to=1767229200000' });
    }
    const store = watcher.store;
    if (!store) return void sendError(reply, 503, { error: 'no_history', message: 'This server keeps no history.', hint: 'Start it with a writable --data-dir.' });
    const { group } = parsedParams.data;
    // A status is not claimed for time nobody was watching (Topolog stopped, the cluster not answering).
    const spans = cutUnobserved(store.statusLog.spans(watcher.config.id, group, from, to), store.observed.between(watcher.config.id, from, to), watcher.overview.cluster.pollIntervalMs);
    return { cluster: watcher.config.id, observedAt: now, group, from, to, spans };
  });
};
