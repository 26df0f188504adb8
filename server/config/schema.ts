import { z } from 'zod';
import { isRegexOverride, REGEX_OVERRIDE } from '../../lib/topology/identity';
import { alertRuleSchema, webhookFormatSchema, webhookIdSchema } from '../../lib/contract/alerts';

/** A regex override must compile at start-up; at run time an invalid one would silently never match. */
function isValidOverride(match: string): boolean {
  if (!isRegexOverride(match)) return true;
  try {
    new RegExp(REGEX_OVERRIDE.exec(match)![1]!);
    return true;
  } catch {
    return false;
  }
}

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

/** Topology discovery (issue 4): which evidence sources run, and how much the header sampler may read. */
export const topologyConfigSchema = z.strictObject({
  /** Kafka Connect REST base URL, e.g. "http://127.0.0.1:8083": connectors, tasks and their topics become nodes. */
  connectUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as "http://127.0.0.1:8083"' }).optional(),
  /** AsyncAPI 2.x/3.x documents (file paths or http(s) URLs): declared edges, and drift against what is observed. */
  asyncapi: z.array(z.string().min(1)).default([]),
  /** Extra record header keys that name the producing service (case-insensitive), besides CloudEvents ce_source. */
  serviceHeaders: z.array(z.string().min(1)).default([]),
  /** Client id / group id / ce_source → service name; `match` is exact, or a regex written as "/.../". */
  services: z
    .array(
      z.strictObject({
        match: z.string().min(1).refine(isValidOverride, 'a "/.../" regex that does not compile; fix it, or write the exact id without slashes'),
        service: z.string().min(1),
      }),
    )
    .default([]),
  /** Each evidence source can be switched off. */
  sources: z
    .strictObject({
      groups: z.boolean().default(true),
      producers: z.boolean().default(true),
      transactions: z.boolean().default(true),
      headers: z.boolean().default(true),
      connect: z.boolean().default(true),
      asyncapi: z.boolean().default(true),
    })
    .prefault({}),
  /** The header sampler's budget per poll cycle: it reads only partitions whose evidence is missing or changed. */
  sampler: z
    .strictObject({
      maxPartitionsPerCycle: z.number().int().min(1).max(10_000).default(20),
      maxBytesPerCycle: z.number().int().min(1024).default(256 * 1024),
      maxBytesPerPartition: z.number().int().min(1024).default(32 * 1024),
      /** How far back from the end a sample starts, in records. */
      recordsPerPartition: z.number().int().min(1).max(1000).default(10),
      /** A partition that keeps receiving data is sampled again after this long. */
      resampleMs: z.number().int().min(1000).default(60_000),
    })
    .prefault({}),
  /** Edge states: live when observed within liveMs, recent within recentMs, stale within staleMs. */
  liveMs: z.number().int().min(1000).default(120_000),
  recentMs: z.number().int().min(1000).default(3_600_000),
  staleMs: z.number().int().min(1000).default(86_400_000),
});
export type TopologyConfig = z.infer<typeof topologyConfigSchema>;

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
  topology: topologyConfigSchema.prefault({}),
});
export type ClusterConfig = z.infer<typeof clusterConfigSchema>;

/** An HTTP header name: a token (RFC 9110 §5.6.2). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** An HTTP header value: tab, visible ASCII, space, obs-text; never a control character (CR, LF, NUL...). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A webhook that alerts are sent to; its URL stays on the server (a Slack URL is a secret). */
export const webhookConfigSchema = z.strictObject({
  id: webhookIdSchema,
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as "https://hooks.slack.com/services/..."' }),
  format: webhookFormatSchema.default('json'),
  /**
   * Extra request headers, e.g. an Authorization token for the receiver. Checked here because fetch would refuse
   * them at send time with an error that quotes the value (a secret); these messages never show the value.
   */
  headers: z
    .record(
      z.string().regex(HEADER_NAME),
      z.string().regex(HEADER_VALUE, 'the header value has a character HTTP does not allow (a control character such as a line break, or a character outside Latin-1); the value is not shown here because it may be a secret'),
      { error: (issue) => (issue.code === 'invalid_key' ? 'a header name is letters, digits and !#$%&\'*+-.^_`|~ only (no spaces or colons), such as "Authorization"' : undefined) },
    )
    .optional(),
});
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** Alerts (issue 6): rules from the config file (read-only in the UI) and the webhooks they notify. */
export const alertsConfigSchema = z
  .strictObject({
    rules: z.array(alertRuleSchema).default([]),
    webhooks: z.array(webhookConfigSchema).default([]),
    /** Topolog's address as people reach it, for links in notifications; default http://host:port. */
    publicUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as "https://topolog.example.com"' }).optional(),
  })
  .superRefine((alerts, ctx) => {
    const seen = new Set<string>();
    alerts.rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id "${rule.id}" is used twice; rule ids must be unique` });
      seen.add(rule.id);
    });
    const hooks = new Set<string>();
    alerts.webhooks.forEach((hook, i) => {
      if (hooks.has(hook.id)) ctx.addIssue({ code: 'custom', path: ['webhooks', i, 'id'], message: `webhook id "${hook.id}" is used twice; webhook ids must be unique` });
      hooks.add(hook.id);
    });
    alerts.rules.forEach((rule, i) => {
      for (const id of rule.webhooks ?? []) {
        if (!hooks.has(id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'webhooks'], message: `unknown webhook "${id}"; configured webhooks: ${[...hooks].join(', ') || 'none (add them under alerts.webhooks)'}` });
      }
    });
  });
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

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
  /** Alert rules and webhooks (see alertsConfigSchema). */
  alerts: alertsConfigSchema.prefault({}),
  replay: z
    .strictObject({
      /**
       * After a crash or a failed send, how long after the job's last checkpoint its recovery scan of the target
       * waits, so records still being replicated become visible first (acks=all request timeout 30 s, then
       * replica.lag.time.max.ms 30 s). Lower it only for single-broker set-ups.
       */
      recoverySettleMs: z.number().int().min(0).max(600_000).default(60_000),
    })
    .prefault({}),
});
export type TopologConfig = z.infer<typeof configSchema>;
/** What a config file may contain: everything optional but the clusters' own required keys. */
export type TopologConfigInput = z.input<typeof configSchema>;
