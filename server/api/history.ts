import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { GroupHistoryResponse, GroupStatusHistoryResponse, TopicHistoryResponse } from '../../lib/contract';
import { blankUnobserved, cutUnobserved } from '../../lib/lag/observed';
import { worstLagSecondsAt } from '../../lib/lag/past-lag-seconds';
import { resolveCluster, sendError, type ApiContext } from './context';

const MAX_POINTS = 2000;
const rangeQuery = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  stepMs: z.coerce.number().int().min(1000).optional(),
});

/** from/to in epoch ms (default: the last hour); the step keeps a chart under MAX_POINTS points. */
function parseRange(query: unknown, reply: FastifyReply): { from: number; to: number; stepMs: number } | null {
  const parsed = rangeQuery.safeParse(query);
  const now = Date.now();
  const to = parsed.success ? (parsed.data.to ?? now) : now;
  const from = parsed.success ? (parsed.data.from ?? Math.max(0, to - 3_600_000)) : 0;
  if (!parsed.success || from >= to) {
    sendError(reply, 400, { error: 'bad_range', message: 'from and to are epoch milliseconds with from < to; stepMs is at least 1000.', hint: 'Example: ?from=1767225600000&to=1767229200000&stepMs=10000' });
    return null;
  }
  const stepMs = Math.max(parsed.data.stepMs ?? 10_000, Math.ceil((to - from) / MAX_POINTS));
  return { from, to, stepMs };
}

/** The watcher, its store and the parsed range, or null with the error already sent. */
function historyRequest(ctx: ApiContext, req: FastifyRequest, reply: FastifyReply) {
  const watcher = resolveCluster(ctx, req.params, reply);
  if (!watcher) return null;
  const store = watcher.store;
  if (!store) {
    sendError(reply, 503, { error: 'no_history', message: 'This server keeps no history.', hint: 'Start it with a writable --data-dir.' });
    return null;
  }
  const range = parseRange(req.query, reply);
  return range ? { watcher, store, range } : null;
}

export const historyRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  // The group's status timeline from the status log (stepMs, if given, is ignored: spans are exact).
  app.get('/api/clusters/:cluster/groups/:group/status-history', async (req, reply): Promise<GroupStatusHistoryResponse | void> => {
    const request = historyRequest(ctx, req, reply);
    if (!request) return;
    const { watcher, store, range } = request;
    const group = (req.params as { group: string }).group;
    const { from, to } = range;
    // A status is not claimed for time nobody was watching (Topolog stopped, the cluster not answering).
    const spans = cutUnobserved(store.statusLog.spans(watcher.config.id, group, from, to), store.observed.between(watcher.config.id, from, to), watcher.overview.cluster.pollIntervalMs);
    return { cluster: watcher.config.id, observedAt: Date.now(), group, from, to, spans };
  });

  app.get('/api/clusters/:cluster/groups/:group/history', async (req, reply): Promise<GroupHistoryResponse | void> => {
    const request = historyRequest(ctx, req, reply);
    if (!request) return;
    const { watcher, store, range } = request;
    const group = (req.params as { group: string }).group;
    const { from, to, stepMs } = range;
    const points = store.groupHistory(watcher.config.id, group, from, to, stepMs);
    // The worst lag in seconds at each step, from the stored HWM and commit series: the live estimator, evaluated
    // as it would have been at that moment.
    const partitions = watcher.groupDetail(group)?.partitions ?? [];
    const perPartition = partitions.map((p) => ({
      hwm: store.hwmHistory(watcher.config.id, p.topic, p.partition, from - 3_600_000),
      commits: store.commitHistory(watcher.config.id, group, p.topic, p.partition, from - 3_600_000),
    }));
    const pollIntervalMs = watcher.overview.cluster.pollIntervalMs;
    const computed = points.map((point) => ({
      t: point.t,
      lag: point.lag,
      lagSecondsMax: worstLagSecondsAt(perPartition, point.t, { pollIntervalMs }),
      produceRate: point.produceRate,
      consumeRate: point.consumeRate,
    }));
    // Stored offsets are change-only: across a break in watching they would draw a ramp. Blank it instead.
    const observed = store.observed.between(watcher.config.id, from, to);
    const blank = { lag: null, lagSecondsMax: null, produceRate: null, consumeRate: null };
    return { cluster: watcher.config.id, group, from, to, stepMs, points: blankUnobserved(computed, observed, Math.max(pollIntervalMs, stepMs), (p) => ({ ...p, ...blank })) };
  });

  app.get('/api/clusters/:cluster/topics/:topic/history', async (req, reply): Promise<TopicHistoryResponse | void> => {
    const request = historyRequest(ctx, req, reply);
    if (!request) return;
    const { watcher, store, range } = request;
    const topic = (req.params as { topic: string }).topic;
    const stored = store.topicHistory(watcher.config.id, topic, range.from, range.to, range.stepMs);
    const observed = store.observed.between(watcher.config.id, range.from, range.to);
    const points = blankUnobserved(stored, observed, Math.max(watcher.overview.cluster.pollIntervalMs, range.stepMs), (p) => ({ ...p, produceRate: null }));
    return { cluster: watcher.config.id, topic, ...range, points };
  });
};
