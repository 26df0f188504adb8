import { z } from 'zod';
import { checkPattern } from '../alerts/pattern';
import { epochMs, maybeNumber } from './common';
import { groupStatusSchema } from './groups';

/**
 * Alerts (issue 6): rules, the alert instances they raise, and the webhooks that are told. Rules are written in the
 * config file (read-only at run time) or in the UI (stored in SQLite); both go through these schemas.
 */

export const alertRuleKindSchema = z.enum(['group_status', 'lag_seconds', 'topic_idle']);
export type AlertRuleKind = z.infer<typeof alertRuleKindSchema>;

export const alertSeveritySchema = z.enum(['critical', 'warning']);
export type AlertSeverity = z.infer<typeof alertSeveritySchema>;

export const alertRuleIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'expected a short id of letters, digits, ".", "-" or "_" (at most 64 characters), such as "email-stop"');
export const webhookIdSchema = alertRuleIdSchema;

/** An exact name, "*" (all but internal ones), or a glob with * and ?; "/regex/" is refused (a regex can hang the server). */
export const subjectPatternSchema = z.string().superRefine((value, ctx) => {
  const check = checkPattern(value);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message });
});

const cycles = (fallback: number) => z.number().int('must be a whole number of poll cycles').min(1, 'must be at least 1 cycle').max(10_000).default(fallback);
const positive = (what: string) => z.number().finite().positive(`${what} must be greater than 0`);

/** Fields every rule kind has. */
const ruleBase = {
  id: alertRuleIdSchema,
  name: z.string().trim().min(1).max(200).optional(),
  severity: alertSeveritySchema.default('critical'),
  /** Webhook ids to notify; absent: every configured webhook; []: none (the alert shows in the app only). */
  webhooks: z.array(webhookIdSchema).max(20).optional(),
  /** Cluster ids the rule applies to; absent: all. */
  clusters: z.array(z.string().min(1).max(249)).max(100).optional(),
  enabled: z.boolean().default(true),
};

export const groupStatusRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal('group_status'),
  group: subjectPatternSchema.default('*'),
  statuses: z.array(groupStatusSchema).min(1, 'list at least one status, such as ["STOP", "STALL"]').default(['STOP', 'STALL', 'DATA_LOSS']),
  /** Consecutive cycles in one of `statuses` before the alert fires. */
  forCycles: cycles(3),
  /** Consecutive cycles out of `statuses` before it resolves. */
  clearCycles: cycles(3),
});

export const lagSecondsRuleSchema = z
  .strictObject({
    ...ruleBase,
    kind: z.literal('lag_seconds'),
    group: subjectPatternSchema.default('*'),
    /** The SLO: the group's worst partition lag in seconds above this fires. */
    thresholdSeconds: positive('thresholdSeconds'),
    /** Hysteresis: it resolves only once back at or below this (default 0.8 × threshold). */
    clearBelowSeconds: positive('clearBelowSeconds').optional(),
    forCycles: cycles(3),
    clearCycles: cycles(3),
  })
  .refine((r) => r.clearBelowSeconds === undefined || r.clearBelowSeconds <= r.thresholdSeconds, {
    message: 'clearBelowSeconds must be at most thresholdSeconds (it is the lower edge of the hysteresis band)',
    path: ['clearBelowSeconds'],
  });

export const topicIdleRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal('topic_idle'),
  topic: subjectPatternSchema.default('*'),
  /** Fires when the topic's high watermarks have not moved for this many minutes of observation. */
  minutes: positive('minutes').max(7 * 24 * 60, 'minutes must be at most a week'),
  forCycles: cycles(1),
  clearCycles: cycles(1),
});

export const alertRuleSchema = z.discriminatedUnion('kind', [groupStatusRuleSchema, lagSecondsRuleSchema, topicIdleRuleSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'kind must be one of group_status, lag_seconds, topic_idle' : undefined),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSchema>;
export type GroupStatusRule = z.infer<typeof groupStatusRuleSchema>;
export type LagSecondsRule = z.infer<typeof lagSecondsRuleSchema>;
export type TopicIdleRule = z.infer<typeof topicIdleRuleSchema>;

export const alertRuleSourceSchema = z.enum(['config', 'ui']);
export type AlertRuleSource = z.infer<typeof alertRuleSourceSchema>;

/** A rule as the API shows it: config rules are read-only. */
export const alertRuleEntrySchema = z.object({ source: alertRuleSourceSchema, rule: alertRuleSchema });
export type AlertRuleEntry = z.infer<typeof alertRuleEntrySchema>;

export const alertRulesResponseSchema = z.object({ observedAt: epochMs, rules: z.array(alertRuleEntrySchema) });
export type AlertRulesResponse = z.infer<typeof alertRulesResponseSchema>;
export const alertRuleResponseSchema = z.object({ observedAt: epochMs, rule: alertRuleEntrySchema });
export type AlertRuleResponse = z.infer<typeof alertRuleResponseSchema>;

export const webhookFormatSchema = z.enum(['json', 'slack']);
export type WebhookFormat = z.infer<typeof webhookFormatSchema>;

/** A webhook as the UI sees it: the host only, because a Slack URL is a secret. */
export const webhookViewSchema = z.object({ id: z.string(), format: webhookFormatSchema, host: z.string() });
export type WebhookView = z.infer<typeof webhookViewSchema>;
export const webhooksResponseSchema = z.object({ observedAt: epochMs, webhooks: z.array(webhookViewSchema) });
export type WebhooksResponse = z.infer<typeof webhooksResponseSchema>;

export const webhookTestResponseSchema = z.object({
  observedAt: epochMs,
  webhook: z.string(),
  ok: z.boolean(),
  /** HTTP status of the receiver's answer; null when there was none (timeout, refused). */
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().nonnegative(),
});
export type WebhookTestResponse = z.infer<typeof webhookTestResponseSchema>;

export const alertTransitionSchema = z.enum(['firing', 'resolved']);
export type AlertTransition = z.infer<typeof alertTransitionSchema>;

/** One notification of one transition to one webhook. */
export const deliveryStatusSchema = z.object({
  webhook: z.string(),
  transition: alertTransitionSchema,
  /** queued: waiting its turn or its retry; failed: gave up (max attempts or age); dropped: the queue was full. */
  state: z.enum(['queued', 'delivered', 'failed', 'dropped']),
  attempts: z.number().int().nonnegative(),
  lastAttemptAt: epochMs.nullable(),
  lastError: z.string().nullable(),
  deliveredAt: epochMs.nullable(),
  /** When the next attempt is due while queued after a failure. */
  nextAttemptAt: epochMs.nullable(),
});
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

export const alertSubjectSchema = z.object({ type: z.enum(['group', 'topic']), name: z.string() });
export type AlertSubject = z.infer<typeof alertSubjectSchema>;

export const alertInstanceSchema = z.object({
  id: z.string(),
  cluster: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  kind: alertRuleKindSchema,
  severity: alertSeveritySchema,
  subject: alertSubjectSchema,
  state: alertTransitionSchema,
  /** Firing since. */
  since: epochMs,
  resolvedAt: epochMs.nullable(),
  /** The measured value now (firing) or when it resolved; status rules: the number of cycles in the bad status. */
  value: maybeNumber,
  threshold: maybeNumber,
  /** seconds, minutes or cycles: what value and threshold count. */
  unit: z.enum(['seconds', 'minutes', 'cycles']),
  /** The group status behind a group_status alert. */
  status: groupStatusSchema.nullable(),
  /** What is wrong, in plain words; updated every cycle while firing. */
  message: z.string(),
  deliveries: z.array(deliveryStatusSchema),
});
export type AlertInstance = z.infer<typeof alertInstanceSchema>;

export const alertStateFilterSchema = z.enum(['firing', 'resolved', 'all']);
export type AlertStateFilter = z.infer<typeof alertStateFilterSchema>;

export const alertsResponseSchema = z.object({ cluster: z.string(), observedAt: epochMs, alerts: z.array(alertInstanceSchema) });
export type AlertsResponse = z.infer<typeof alertsResponseSchema>;
