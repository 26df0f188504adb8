import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Topology } from '../../lib/contract';
import { resolveCluster, sendError, type ApiContext } from './context';

const topologyQuery = z.object({
  /** A past moment: epoch milliseconds or an ISO 8601 time. */
  at: z.string().min(1).max(64).optional(),
  /** "true" shows internal topics, Topolog's own clients and ephemeral tool groups. */
  hidden: z.enum(['true', 'false']).optional(),
});

function parseAt(raw: string): number | null {
  const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

export const topologyRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  app.get('/api/clusters/:cluster/topology', async (req, reply): Promise<Topology | void> => {
    const watcher = resolveCluster(ctx, req.params, reply);
    if (!watcher) return;
    const topology = ctx.topologies.get(watcher.config.id);
    if (!topology) return sendError(reply, 503, { error: 'no_topology', message: 'Topology discovery is not running for this cluster.', hint: 'It starts with the server; check the server log.' });
    const parsed = topologyQuery.safeParse(req.query);
    if (!parsed.success) return sendError(reply, 400, { error: 'bad_query', message: 'at is a time (epoch ms or ISO 8601) and hidden is true or false.', hint: 'Example: ?at=2026-11-22T14:00:00Z&hidden=false' });
    const showHidden = parsed.data.hidden === 'true';
    if (parsed.data.at === undefined) return topology.graphNow(Date.now(), showHidden);
    const at = parseAt(parsed.data.at);
    const now = Date.now();
    if (at === null) return sendError(reply, 400, { error: 'bad_time', message: `"${parsed.data.at}" is not a time.`, hint: 'Give epoch milliseconds (1795356000000) or ISO 8601 (2026-11-22T14:00:00Z).' });
    if (at > now + 60_000) return sendError(reply, 400, { error: 'future_time', message: 'at is in the future: the topology of the future is not known yet.', hint: 'Leave out at for the live graph.' });
    if (!watcher.store) return sendError(reply, 503, { error: 'no_history', message: 'This server keeps no history, so past graphs cannot be rebuilt.', hint: 'Start it with a writable --data-dir.' });
    return topology.graphAt(at, showHidden);
  });
};
