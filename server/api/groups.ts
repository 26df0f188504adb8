import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { GROUP_TRENDS_MAX_GROUPS, parseGroupTrendsFilter, type GroupDetailResponse, type GroupsResponse, type GroupTrendsResponse } from '../../lib/contract';
import type { GroupTrends } from '../poller/group-trends';
import { resolveCluster, sendError, type ApiContext } from './context';

/** The API context plus the lag trends behind the groups list's sparklines (absent in tests that do not need them). */
export type GroupRoutesOptions = ApiContext & { groupTrends?: GroupTrends };

const groupParams = z.object({ cluster: z.string(), group: z.string().min(1).max(1024) });
const detailQuery = z.object({ exact: z.enum(['true', 'false', '1', '0']).optional() });

export const groupRoutes: FastifyPluginAsync<GroupRoutesOptions> = async (app, ctx) => {
  app.get('/api/clusters/:cluster/groups', async (req, reply): Promise<GroupsResponse | void> => {
    const watcher = resolveCluster(ctx, req.params, reply);
    if (!watcher) return;
    const { cluster, groups } = watcher.overview;
    return { cluster: cluster.id, observedAt: cluster.observedAt ?? Date.now(), groups };
  });

  // Not under /groups/, so a group literally named "trends" keeps its REST detail at /groups/trends.
  app.get('/api/clusters/:cluster/group-trends', async (req, reply): Promise<GroupTrendsResponse | void> => {
    const watcher = resolveCluster(ctx, req.params, reply);
    if (!watcher) return;
    if (!ctx.groupTrends) return void sendError(reply, 503, { error: 'trends_unavailable', message: 'Lag trends are not enabled on this server.', hint: 'The groups list works without sparklines.' });
    const filter = parseGroupTrendsFilter((req.query as { groups?: unknown } | undefined)?.groups);
    if (!filter.ok) return void sendError(reply, 400, { error: 'bad_query', message: filter.message, hint: `?groups=a,b,c names up to ${GROUP_TRENDS_MAX_GROUPS} groups (a name holding a comma or % percent-encoded on its own); without it the first ${GROUP_TRENDS_MAX_GROUPS} groups in problem order.` });
    return ctx.groupTrends.snapshot(watcher.config.id, filter.groups);
  });

  app.get('/api/clusters/:cluster/groups/:group', async (req, reply): Promise<GroupDetailResponse | void> => {
    const watcher = resolveCluster(ctx, req.params, reply);
    if (!watcher) return;
    const { group } = groupParams.parse(req.params);
    const query = detailQuery.safeParse(req.query);
    if (!query.success) return void sendError(reply, 400, { error: 'bad_query', message: 'exact must be true or false', hint: '?exact=true reads the record at the committed offset of the worst partitions for an exact lag in seconds.' });
    const exact = query.data.exact === 'true' || query.data.exact === '1';
    const detail = exact ? await watcher.groupDetailExact(group) : watcher.groupDetail(group);
    if (!detail) {
      return void sendError(reply, 404, {
        error: 'unknown_group',
        message: `No consumer group "${group}" on cluster "${watcher.config.id}".`,
        hint: 'Group names are case-sensitive; GET /api/clusters/:cluster/groups lists them. A group created in the last few seconds appears at the next slow poll.',
      });
    }
    return { cluster: watcher.config.id, observedAt: watcher.overview.cluster.observedAt ?? Date.now(), group: detail.summary, partitions: detail.partitions };
  });
};
