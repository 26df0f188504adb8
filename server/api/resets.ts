import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { executeRequestSchema, resetPlanRequestSchema, type ResetListResponse, type ResetPlanResponse, type ResetRecord } from '../../lib/contract';
import { WriteGuard, WriteRefused } from '../audit/write-guard';
import { ResetError } from '../replay/reset-support';
import type { ResetService } from '../replay/reset-service';
import { resolveCluster, sendError, sendRefused, type ApiContext } from './context';

const groupParams = z.object({ cluster: z.string().min(1).max(249), group: z.string().min(1).max(255) });
const resetParams = groupParams.extend({ id: z.string().min(1).max(100) });

function badRequest(reply: FastifyReply, error: z.ZodError, hint: string): FastifyReply {
  const issue = error.issues[0]!;
  return sendError(reply, 400, { error: 'bad_request', message: `${issue.path.join('.') || 'body'}: ${issue.message}`, hint });
}

const PLAN_HINT =
  'Send {"spec": {"mode": "earliest" | "latest" | "timestamp" (timestamp) | "offset" (offset) | "shift" (by) | "copy" (group) | "offsets" (offsets)}, "scope": [{"topic", "partitions": [..] | null}]}; an empty scope is the whole group.';

/**
 * Consumer-group offset resets: preview (plan), execute the preview, list past resets, and preview an undo.
 * Plans only read; execute goes through the WriteGuard (audited, refused on read-only clusters).
 */
export const resetRoutes: FastifyPluginAsync<ApiContext & { resets: ResetService }> = async (app, ctx) => {
  const { resets } = ctx;

  /** Turns the service's refusals and errors into answers with a hint. */
  const guard = async <T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | void> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof WriteRefused) return void sendRefused(reply, err);
      if (err instanceof ResetError) return void sendError(reply, err.status, { error: err.code, message: err.message, hint: err.hint });
      throw err;
    }
  };

  const params = (req: { params: unknown }, reply: FastifyReply) => {
    if (!resolveCluster(ctx, req.params, reply)) return null;
    const parsed = groupParams.safeParse(req.params);
    if (parsed.success) return parsed.data;
    badRequest(reply, parsed.error, 'A group id is 1 to 255 characters.');
    return null;
  };

  app.post('/api/clusters/:cluster/groups/:group/resets/plan', async (req, reply): Promise<ResetPlanResponse | void> => {
    const p = params(req, reply);
    if (!p) return;
    const body = resetPlanRequestSchema.safeParse(req.body);
    if (!body.success) return void badRequest(reply, body.error, PLAN_HINT);
    return guard(reply, () => resets.plan(p.cluster, p.group, body.data));
  });

  app.post('/api/clusters/:cluster/groups/:group/resets/execute', async (req, reply): Promise<ResetRecord | void> => {
    const p = params(req, reply);
    if (!p) return;
    const body = executeRequestSchema.safeParse(req.body);
    if (!body.success) return void badRequest(reply, body.error, 'Send {"planId", "planHash"} from the preview, and "confirm" with the group name when the preview asks for it.');
    return guard(reply, () => resets.execute(p.cluster, p.group, body.data, WriteGuard.actorOf(req)));
  });

  app.get('/api/clusters/:cluster/groups/:group/resets', async (req, reply): Promise<ResetListResponse | void> => {
    const parsed = groupParams.safeParse(req.params);
    if (!parsed.success) return void badRequest(reply, parsed.error, 'A group id is 1 to 255 characters.');
    // The history is in the store: it answers even while the cluster is unreachable (only an unknown id is a 404).
    if (!ctx.watchers.has(parsed.data.cluster)) return void resolveCluster(ctx, req.params, reply);
    return { resets: resets.resets(parsed.data.cluster, parsed.data.group) };
  });

  app.post('/api/clusters/:cluster/groups/:group/resets/:id/undo/plan', async (req, reply): Promise<ResetPlanResponse | void> => {
    const p = params(req, reply);
    if (!p) return;
    const parsed = resetParams.safeParse(req.params);
    if (!parsed.success) return void badRequest(reply, parsed.error, 'The id is a reset id from the list of resets.');
    return guard(reply, () => resets.undoPlan(p.cluster, p.group, parsed.data.id));
  });
};
