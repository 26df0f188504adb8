import { z } from 'zod';
import { epochMs } from './common';

export const clusterConnectionState = z.enum(['connecting', 'ok', 'unreachable']);
export type ClusterConnectionState = z.infer<typeof clusterConnectionState>;

/** Why a cluster cannot be reached, phrased for the person who has to fix it. */
export const clusterErrorSchema = z.object({
  message: z.string(),
  hint: z.string(),
  code: z.string().nullable(),
});
export type ClusterError = z.infer<typeof clusterErrorSchema>;

export const clusterStatusSchema = z.object({
  id: z.string(),
  state: clusterConnectionState,
  /** When the cluster entered this state. */
  since: epochMs,
  error: clusterErrorSchema.nullable(),
  /** When the next connection attempt is due while unreachable. */
  retryAt: epochMs.nullable(),
});
export type ClusterStatus = z.infer<typeof clusterStatusSchema>;

export const brokerSchema = z.object({
  nodeId: z.number().int(),
  host: z.string(),
  port: z.number().int(),
  rack: z.string().nullable(),
});
export type BrokerInfo = z.infer<typeof brokerSchema>;

export const clusterInfoSchema = clusterStatusSchema.extend({
  name: z.string(),
  bootstrap: z.array(z.string()),
  clusterId: z.string().nullable(),
  controllerId: z.number().int().nullable(),
  brokers: z.array(brokerSchema),
  /** Kafka version inferred from the broker's ApiVersions, e.g. "4.x"; null until known. */
  version: z.string().nullable(),
  readOnly: z.boolean(),
  pollIntervalMs: z.number().int().positive(),
  /** When the cluster's metadata was last read successfully; null before the first success. */
  observedAt: epochMs.nullable(),
});
export type ClusterInfo = z.infer<typeof clusterInfoSchema>;

export const clustersResponseSchema = z.object({
  observedAt: epochMs,
  clusters: z.array(clusterInfoSchema),
});
export type ClustersResponse = z.infer<typeof clustersResponseSchema>;

export const healthResponseSchema = z.object({
  /** ok: every cluster reachable; degraded: at least one is not. The server itself is up either way. */
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  observedAt: epochMs,
  clusters: z.array(clusterStatusSchema),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
