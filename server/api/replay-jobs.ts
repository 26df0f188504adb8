import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  executeRequestSchema,
  replayJobActionSchema,
  replayRequestSchema,
  type MessagesApiError,
  type ReplayJob,
  type ReplayJobAction,
  type ReplayJobListResponse,
  type ReplayPlanResponse,
} from '../../lib/contract';
import { WriteGuard, WriteRefused } from '../audit/write-guard';
import { MessagesError } from '../messages/errors';
import type { MessagesService } from '../messages/messages-service';
import { probeDeadLetter } from '../replay/dead-letter-probe';
import { planReplay, type ReplayDryRun } from '../replay/job-plan';
import type { ReplayJobService } from '../replay/job-service';
import { JobError } from '../replay/job-types';
import { PlanCache } from '../replay/plan-cache';
import { clusterParamsSchema, resolveCluster, sendError, sendRefused, type ApiContext } from './context';

const jobParams = clusterParamsSchema.extend({ id: z.string().min(1).max(100) });
const topicParams = clusterParamsSchema.extend({ topic: z.string().min(1).max(249) });
const actionParams = jobParams.extend({ action: replayJobActionSchema });

type Reply = FastifyReply;

function send(reply: Reply, err: MessagesError): Reply {
  const body: MessagesApiError = { error: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}), ...(err.filterError ? { filterError: err.filterError } : {}) };
  return sendError(reply, err.status, body);
}

function badRequest(reply: Reply, error: z.ZodError): Reply {
  const issue = error.issues[0]!;
  return sendError(reply, 400, { error: 'bad_request', message: `${issue.path.join('.') || 'request'}: ${issue.message}`, hint: 'See the replay routes in the README.' });
}

/**
 * Re-produce jobs (bulk replay, DLQ redrive): plan (a dry run that writes nothing) → execute (audited, creates the
 * job) → pause / resume / cancel; plus dead-letter recognition for the redrive preset. `:cluster` is the SOURCE
 * cluster; the target may be another configured cluster.
 */
export const replayRoutes: FastifyPluginAsync<ApiContext & { messages: MessagesService; replayJobs: ReplayJobService }> = async (app, ctx) => {
  const { messages, replayJobs, writes } = ctx;
  const plans = new PlanCache<ReplayDryRun>();

  /** Known failures answer with what to do; anything else from Kafka is a 503 that says to retry. */
  const guard = async <T>(reply: Reply, work: () => Promise<T>): Promise<T | Reply> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof MessagesError) return send(reply, err);
      if (err instanceof WriteRefused) return sendRefused(reply, err);
      if (err instanceof JobError) return sendError(reply, 409, { error: 'job_error', message: err.message, hint: err.hint });
      const message = err instanceof Error ? err.message : String(err);
      return sendError(reply, 503, { error: 'kafka_unavailable', message: `Kafka could not be reached: ${message}`, hint: 'Check that the brokers are up (the cluster banner says more), then try again.' });
    }
  };

  const knownCluster = (params: unknown, reply: Reply): string | null => {
    const parsed = clusterParamsSchema.safeParse(params);
    const id = parsed.success ? parsed.data.cluster : '';
    if (ctx.watchers.has(id)) return id;
    sendError(reply, 404, { error: 'unknown_cluster', message: `No cluster "${id}" is configured.`, hint: `Configured clusters: ${[...ctx.watchers.keys()].join(', ')}.` });
    return null;
  };

  const compacted = async (cluster: string, topic: string): Promise<boolean | null> => {
    const watcher = ctx.watchers.get(cluster);
    if (!watcher) return null;
    try {
      return (await watcher.adapter.topicConfigs([topic])).get(topic)?.compacted ?? null;
    } catch {
      return null;
    }
  };

  const blockedFor = (dry: ReplayDryRun): ReplayPlanResponse['blocked'] => {
    const { source, target } = dry.request;
    for (const [what, cluster] of [['target', target.cluster], ['source', source.cluster]] as const) {
      if (writes.readOnly(cluster)) return { reason: `The ${what} cluster "${cluster}" is read-only.`, hint: 'Set readOnly: false for it in the Topolog config to allow replays that involve it.' };
    }
    return null;
  };

  app.post('/api/clusters/:cluster/replay/plan', async (req, reply) => {
    if (!resolveCluster(ctx, req.params, reply)) return reply;
    const cluster = clusterParamsSchema.parse(req.params).cluster;
    const body = replayRequestSchema.safeParse(req.body);
    if (!body.success) return badRequest(reply, body.error);
    const request = body.data;
    if (request.source.cluster !== cluster) {
      return sendError(reply, 400, { error: 'bad_request', message: `source.cluster is "${request.source.cluster}" but the route is for cluster "${cluster}".`, hint: 'Post the plan to the source cluster\'s route.' });
    }
    if (!ctx.watchers.has(request.target.cluster)) {
      return sendError(reply, 404, { error: 'unknown_cluster', message: `No target cluster "${request.target.cluster}" is configured.`, hint: `Configured clusters: ${[...ctx.watchers.keys()].join(', ')}.` });
    }
    return guard(reply, async (): Promise<ReplayPlanResponse> => {
      const dry = await planReplay(request, { messages, compacted });
      // The hash covers what the user saw and agrees to: the request, the resolved ranges and the estimate.
      const { planId, planHash, expiresAt } = plans.add(dry, { request: dry.request, ranges: dry.ranges, estimate: dry.estimate });
      return { planId, planHash, expiresAt, ...dry, blocked: blockedFor(dry), confirmName: request.target.topic };
    });
  });

  app.post('/api/clusters/:cluster/replay/execute', async (req, reply) => {
    const cluster = knownCluster(req.params, reply);
    if (cluster === null) return reply;
    const body = executeRequestSchema.safeParse(req.body);
    if (!body.success) return badRequest(reply, body.error);
    const { planId, planHash, confirm } = body.data;
    const actor = WriteGuard.actorOf(req);
    return guard(reply, async () => {
      const job = await plans.executeOnce(planId, planHash, async (dry): Promise<ReplayJob> => {
        const { request, ranges, estimate } = dry;
        const intent = { actor, cluster: request.target.cluster, action: 'replay.start' as const, target: `topic:${request.target.topic}`, params: { planId, request, ranges, estimate } };
        if (request.source.cluster !== cluster) throw writes.refuse(intent, 400, 'wrong_cluster', `This plan reads cluster "${request.source.cluster}", not "${cluster}".`, 'Execute it on the source cluster\'s route.');
        if (confirm !== request.target.topic) {
          throw writes.refuse(intent, 400, 'confirm_mismatch', 'The typed name does not match the target topic.', `Type the target topic name "${request.target.topic}" to confirm.`);
        }
        // The guard refuses a read-only target; a read-only source is refused too: the job is an action on it
        // (it reads it on the server's behalf, unattended, for as long as it runs), and read-only means hands off.
        if (writes.readOnly(request.source.cluster)) {
          throw writes.refuse({ ...intent, cluster: request.source.cluster }, 403, 'read_only', `Cluster "${request.source.cluster}" is read-only: Topolog runs no replay jobs on it.`, 'Set readOnly: false for this cluster in the Topolog config to allow replays from it.');
        }
        return writes.run(intent, async (auditId) => {
          const created = replayJobs.create(cluster, { request, ranges, estimate, auditId });
          return { outcome: 'ok', result: { job: created.id }, value: created };
        });
      }).catch((err: unknown) => {
        const dry = plans.get(planId);
        throw writes.auditEarlyRefusal(err, { actor, cluster: dry?.request.target.cluster ?? cluster, action: 'replay.start', target: dry ? `topic:${dry.request.target.topic}` : `plan:${planId}`, params: { planId } });
      });
      return reply.code(201).send(job);
    });
  });

  app.get('/api/clusters/:cluster/replay/jobs', async (req, reply) => {
    const cluster = knownCluster(req.params, reply);
    if (cluster === null) return reply;
    const body: ReplayJobListResponse = { jobs: replayJobs.list(cluster) };
    return body;
  });

  const jobOf = (req: FastifyRequest, reply: Reply): ReplayJob | null => {
    if (knownCluster(req.params, reply) === null) return null;
    const params = jobParams.safeParse(req.params);
    const job = params.success ? replayJobs.get(params.data.id) : null;
    if (!job || job.cluster !== params.data?.cluster) {
      sendError(reply, 404, { error: 'unknown_job', message: `No replay job "${params.data?.id ?? ''}" on this cluster.`, hint: 'GET /api/clusters/:cluster/replay/jobs lists them.' });
      return null;
    }
    return job;
  };

  app.get('/api/clusters/:cluster/replay/jobs/:id', async (req, reply) => jobOf(req, reply) ?? reply);

  app.post('/api/clusters/:cluster/replay/jobs/:id/:action', async (req, reply) => {
    const params = actionParams.safeParse(req.params);
    if (!params.success) return sendError(reply, 404, { error: 'not_found', message: `No replay action "${(req.params as { action?: string }).action ?? ''}".`, hint: `Actions: ${replayJobActionSchema.options.join(', ')}.` });
    const job = jobOf(req, reply);
    if (!job) return reply;
    const action: ReplayJobAction = params.data.action;
    const intent = { actor: WriteGuard.actorOf(req), cluster: job.request.target.cluster, action: `replay.${action}` as const, target: `job:${job.id}`, params: { job: job.id, state: job.state } };
    return guard(reply, () =>
      writes.run(intent, async () => {
        const after = action === 'pause' ? replayJobs.pause(job.id) : action === 'resume' ? replayJobs.resume(job.id) : replayJobs.cancel(job.id);
        const note = action === 'cancel' ? 'Records already written stay in the target.' : undefined;
        return { outcome: 'ok', result: { state: after.state, written: after.written, ...(note ? { note } : {}) }, value: after };
      }),
    );
  });

  app.get('/api/clusters/:cluster/topics/:topic/dead-letter', async (req, reply) => {
    if (!resolveCluster(ctx, req.params, reply)) return reply;
    const params = topicParams.safeParse(req.params);
    if (!params.success) return badRequest(reply, params.error);
    const { cluster, topic } = params.data;
    return guard(reply, async () => {
      const topology = ctx.topologies.get(cluster);
      let graph = null;
      try {
        graph = topology ? topology.graphNow(Date.now(), true) : null;
      } catch {
        // No topology yet: the name and the headers still count.
      }
      try {
        return { deadLetter: await probeDeadLetter(messages.client(cluster), topic, graph) };
      } catch (err) {
        throw messages.explain(err, messages.client(cluster));
      }
    });
  });
};
