import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ApiError } from '../../lib/contract';
import type { AlertManager } from '../alerts/alert-manager';
import type { ClusterWatcher } from '../poller/cluster-watcher';
import type { ClusterTopology } from '../topology/discovery';
import type { WriteGuard, WriteRefused } from '../audit/write-guard';
import type { HistoryStore } from '../store';

export interface ApiContext {
  version: string;
  watchers: Map<string, ClusterWatcher>;
  /** Topology discovery per cluster id. */
  topologies: Map<string, ClusterTopology>;
  /** Alert rules, alert instances and webhook notifications (one manager for all clusters). */
  alerts: AlertManager;
  /** The audit log and the replay tables live here (store.audit, store.replay). */
  store: HistoryStore;
  /** Every write goes through it: read-only check, audit before, outcome after. */
  writes: WriteGuard;
}

export const clusterParamsSchema = z.object({ cluster: z.string().min(1).max(249) });

export function sendError(reply: FastifyReply, status: number, body: ApiError): FastifyReply {
  return reply.code(status).send(body);
}

/**
 * The watcher for `:cluster`, or a 404 naming the configured clusters. A cluster that has never answered gets a
 * 503 that says why (its error) and that Topolog keeps retrying; one that answered before serves its last data,
 * whose `observedAt` shows its age.
 */
export function resolveCluster(ctx: ApiContext, params: unknown, reply: FastifyReply): ClusterWatcher | null {
  const parsed = clusterParamsSchema.safeParse(params);
  const id = parsed.success ? parsed.data.cluster : '';
  const watcher = ctx.watchers.get(id);
  if (!watcher) {
    sendError(reply, 404, {
      error: 'unknown_cluster',
      message: `No cluster "${id}" is configured.`,
      hint: `Configured clusters: ${[...ctx.watchers.keys()].join(', ')}. GET /api/clusters lists them.`,
    });
    return null;
  }
  const { cluster } = watcher.overview;
  if (cluster.observedAt === null) {
    sendError(reply, 503, {
      error: cluster.state === 'connecting' ? 'cluster_connecting' : 'cluster_unreachable',
      message: cluster.error ? cluster.error.message : `Cluster "${id}" is still connecting.`,
      hint: cluster.error ? `${cluster.error.hint} Topolog retries automatically.` : 'Try again in a few seconds.',
    });
    return null;
  }
  return watcher;
}

/** A refused write: its status, code, message and hint, plus the audit entry that records the refusal. */
export function sendRefused(reply: FastifyReply, err: WriteRefused): FastifyReply {
  return reply.code(err.status).send({ ...err.details, error: err.code, message: err.message, hint: err.hint, ...(err.auditId !== null ? { auditId: err.auditId } : {}) });
}
