import { z } from 'zod';

const hostPort = z
  .string()
  .trim()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+):\d{1,5}$/, 'expected "host:port", for example "127.0.0.1:9092"')
  .refine((value) => {
    const port = Number(value.slice(value.lastIndexOf(':') + 1));
    return port > 0 && port < 65536;
  }, 'port must be between 1 and 65535');

const saslSchema = z.strictObject({
  mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']),
  username: z.string().min(1),
  password: z.string().min(1),
});

const tlsSchema = z.union([
  z.boolean(),
  z.strictObject({
    /** Paths to PEM files. */
    ca: z.string().optional(),
    cert: z.string().optional(),
    key: z.string().optional(),
    rejectUnauthorized: z.boolean().default(true),
    servername: z.string().optional(),
  }),
]);

/** Status rule thresholds (research/anchors-lag.md §8.4); every key optional, defaults in lib/lag/thresholds. */
export const statusThresholdsSchema = z.strictObject({
  windowMs: z.number().int().min(1000).optional(),
  graceMs: z.number().int().min(0).optional(),
  allowedLag: z.number().int().min(0).optional(),
  rebalanceGraceMs: z.number().int().min(0).optional(),
  minSamples: z.number().int().min(1).optional(),
  completeFraction: z.number().min(0).max(1).optional(),
});
export type StatusThresholdsConfig = z.infer<typeof statusThresholdsSchema>;

export const clusterConfigSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'expected a short id of lowercase letters, digits, "-" or "_" (it appears in URLs)'),
  name: z.string().min(1).optional(),
  brokers: z.array(hostPort).min(1, 'list at least one broker as "host:port"'),
  sasl: saslSchema.optional(),
  tls: tlsSchema.optional(),
  /** A read-only cluster refuses every write action (offset resets, produce, replay). */
  readOnly: z.boolean().default(false),
  pollIntervalMs: z.number().int().min(1000).max(600_000).optional(),
  /** Overrides the top-level statusThresholds for this cluster. */
  statusThresholds: statusThresholdsSchema.optional(),
  /** Per consumer group overrides, by group id. */
  groupStatusThresholds: z.record(z.string(), statusThresholdsSchema).optional(),
});
export type ClusterConfig = z.infer<typeof clusterConfigSchema>;

export const configSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(3000),
  dataDir: z.string().min(1).default('./data'),
  /** Fast loop: end offsets and committed offsets (lag, rates, status). */
  pollIntervalMs: z.number().int().min(1000).max(600_000).default(5000),
  /** Slow loop: metadata (topics, partitions, leaders), groups and members, log start offsets, topic configs. */
  slowPollIntervalMs: z.number().int().min(1000).max(3_600_000).default(30_000),
  /** How long offsets history is kept (lag charts, time lag, status after a restart). */
  historyRetentionMs: z.number().int().min(3_600_000).max(90 * 86_400_000).default(86_400_000),
  /** Status rule thresholds for every cluster (each cluster and group can override them). */
  statusThresholds: statusThresholdsSchema.optional(),
  clusters: z
    .array(clusterConfigSchema)
    .min(1, 'configure at least one cluster')
    .refine((clusters) => new Set(clusters.map((c) => c.id)).size === clusters.length, 'cluster ids must be unique'),
});
export type TopologConfig = z.infer<typeof configSchema>;
/** What a config file may contain: everything optional but the clusters' own required keys. */
export type TopologConfigInput = z.input<typeof configSchema>;
