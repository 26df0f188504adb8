import { EventEmitter } from 'node:events';
import { alertRuleSchema, type AlertInstance, type AlertRule, type AlertRuleEntry, type AlertStateFilter, type OverviewData, type WebhookTestResponse, type WebhookView } from '../../lib/contract';
import { evaluateAlerts, type AlertState, type AlertTransitionEvent, type ResolvedAlert } from '../../lib/alerts/evaluate';
import { alertsHref } from '../../lib/links';
import { subjectPath, testNotification, type AlertNotification, type NotifiedAlert } from '../../lib/alerts/payloads';
import { idleMsOf, trackTopicActivity, type TopicActivity } from '../../lib/alerts/topic-activity';
import type { AlertsConfig } from '../config/schema';
import type { ClusterWatcher } from '../poller/cluster-watcher';
import type { HistoryStore } from '../store';
import { WebhookDeliveryQueue, webhookHost, type DeliveryQueueOptions, type DeliveryRecord } from './delivery-queue';

export interface AlertManagerOptions {
  config: AlertsConfig;
  store: HistoryStore;
  /** Base of links in notifications, e.g. "http://127.0.0.1:3000"; null: no links. */
  publicUrl: string | null;
  log?: (line: string) => void;
  now?: () => number;
  /** Delivery tuning (tests shorten the backoff). */
  delivery?: Omit<DeliveryQueueOptions, 'webhooks' | 'onStatus' | 'log'>;
}

/** A rule change the API refuses, with what to do. */
export class AlertRuleError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const LIST_LIMIT = 500;

/**
 * Alerts for every cluster: on each watcher's 'update' it records group status changes, evaluates the rules
 * (lib/alerts/evaluate.ts), persists transitions and queues their notifications. Everything it does on the
 * poller's path is synchronous and bounded (a few SQLite writes on transitions only); webhooks are sent by the
 * delivery queue, never awaited. Emits 'change' with the cluster id when the alert list changes.
 */
export class AlertManager extends EventEmitter<{ change: [string] }> {
  readonly #config: AlertsConfig;
  readonly #store: HistoryStore;
  readonly #publicUrl: string | null;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #queue: WebhookDeliveryQueue;
  #uiRules: AlertRule[] = [];
  readonly #states = new Map<string, Map<string, AlertState>>();
  readonly #activity = new Map<string, Map<string, TopicActivity>>();
  readonly #detach: (() => void)[] = [];

  constructor(options: AlertManagerOptions) {
    super();
    this.#config = options.config;
    this.#store = options.store;
    this.#publicUrl = options.publicUrl?.replace(/\/+$/, '') ?? null;
    this.#log = options.log ?? (() => undefined);
    this.#now = options.now ?? Date.now;
    this.#queue = new WebhookDeliveryQueue({
      ...options.delivery,
      webhooks: options.config.webhooks,
      log: this.#log,
      onStatus: (record) => this.#saveDelivery(record),
    });
    this.#loadUiRules();
    for (const state of this.#store.alerts.firing()) this.#statesOf(state.cluster).set(state.key, state);
    this.#resumeDeliveries();
  }

  /** Listens to a watcher's cycles; call once per cluster. */
  attach(watcher: ClusterWatcher): void {
    const listener = (overview: OverviewData) => this.onCycle(watcher, overview);
    watcher.on('update', listener);
    this.#detach.push(() => watcher.off('update', listener));
  }

  /** One cycle of one cluster. Never throws: an alerting failure is logged and must not disturb the poller. */
  onCycle(watcher: Pick<ClusterWatcher, 'engine'>, overview: OverviewData): void {
    const { cluster } = overview;
    // An unreachable cluster repeats its last data: evaluating it would count stale cycles as evidence.
    if (cluster.state !== 'ok' || cluster.observedAt === null) return;
    const now = cluster.observedAt;
    try {
      this.#store.statusLog.record(cluster.id, now, overview.groups.map((g) => ({ id: g.id, status: g.status, reason: g.statusReason ?? null })));
    } catch (err) {
      this.#log(`alerts: cannot write the group status log for ${cluster.id} (${(err as Error).message})`);
    }
    try {
      const activity = trackTopicActivity(
        this.#activity.get(cluster.id) ?? new Map(),
        overview.topics.map((t) => ({ topic: t.name, offsetsSum: offsetsSum(watcher, t.name, t.partitions) })),
        now,
      );
      this.#activity.set(cluster.id, activity);
      const previous = this.#statesOf(cluster.id);
      const { next, transitions } = evaluateAlerts(
        previous,
        {
          cluster: cluster.id,
          pollIntervalMs: cluster.pollIntervalMs,
          rules: this.#allRules().map((e) => e.rule),
          groups: overview.groups.map((g) => ({ id: g.id, status: g.status, statusReason: g.statusReason ?? null, lagSum: g.lagSum, lagSecondsMax: g.lagSecondsMax })),
          topics: overview.topics.map((t) => ({ name: t.name, internal: t.internal, idleMs: idleMsOf(activity.get(t.name), now) })),
        },
        now,
      );
      this.#states.set(cluster.id, next);
      for (const transition of transitions) this.#onTransition(transition);
      if (transitions.length > 0) this.emit('change', cluster.id);
    } catch (err) {
      this.#log(`alerts: evaluation failed for ${cluster.id} (${(err as Error).stack ?? (err as Error).message}); alerts are paused for this cycle`);
    }
  }

  // Alerts ---------------------------------------------------------------------------------------------------------

  /** Firing first (live values), then resolved, newest first. */
  alerts(cluster: string, filter: AlertStateFilter): AlertInstance[] {
    const live = new Map([...this.#statesOf(cluster).values()].filter((s) => s.phase === 'firing').map((s) => [s.id, s]));
    const stored = this.#store.alerts.list(cluster, filter, LIST_LIMIT);
    const deliveries = this.#store.alerts.deliveriesOf(stored.map((a) => a.state.id));
    return stored.map(({ state, resolvedAt }) => {
      const current = resolvedAt === null ? (live.get(state.id) ?? state) : state;
      const queued = this.#queue.statusOf(state.id);
      const saved = (deliveries.get(state.id) ?? []).filter((d) => !queued.some((q) => q.webhook === d.webhook && q.transition === d.transition));
      return { ...toInstance(current, resolvedAt), deliveries: [...saved, ...queued].map(({ alertId: _a, queuedAt: _q, ...d }) => d) };
    });
  }

  // Rules ----------------------------------------------------------------------------------------------------------

  rules(): AlertRuleEntry[] {
    return this.#allRules();
  }

  /** Validates and stores a UI rule; throws AlertRuleError with the reason. */
  createRule(body: unknown): AlertRuleEntry {
    const rule = this.#validate(body);
    if (this.#allRules().some((e) => e.rule.id === rule.id)) {
      throw new AlertRuleError(400, 'duplicate_rule', `A rule with id "${rule.id}" already exists.`, 'Pick another id, or edit the existing rule with PUT /api/alerts/rules/:id.');
    }
    this.#store.alerts.putRule(rule.id, rule, this.#now());
    this.#uiRules.push(rule);
    return { source: 'ui', rule };
  }

  /**
   * Replaces a UI rule. When its kind or subject pattern changes, its alerts are about something else now: the firing
   * ones resolve at once (saying the rule changed) and the pending ones are forgotten, so the new rule starts afresh
   * and never carries the old rule's alert id, counts or message. Other edits (thresholds, cycles...) keep them.
   */
  updateRule(id: string, body: unknown): AlertRuleEntry {
    this.#assertEditable(id);
    const rule = this.#validate({ ...(typeof body === 'object' && body !== null ? body : {}), id });
    const before = this.#uiRules.find((r) => r.id === id)!;
    this.#store.alerts.putRule(id, rule, this.#now());
    this.#uiRules = this.#uiRules.map((r) => (r.id === id ? rule : r));
    if (before.kind !== rule.kind || subjectPatternOf(before) !== subjectPatternOf(rule)) this.#restartRule(before, rule);
    return { source: 'ui', rule };
  }

  /** Deletes a UI rule; its firing alerts resolve at the next cycle (with a resolve notification). */
  deleteRule(id: string): void {
    this.#assertEditable(id);
    this.#store.alerts.deleteRule(id);
    this.#uiRules = this.#uiRules.filter((r) => r.id !== id);
  }

  // Webhooks -------------------------------------------------------------------------------------------------------

  webhooks(): WebhookView[] {
    return this.#config.webhooks.map((w) => ({ id: w.id, format: w.format, host: webhookHost(w.url) }));
  }

  async testWebhook(id: string, cluster: string): Promise<WebhookTestResponse | null> {
    const now = this.#now();
    const result = await this.#queue.test(id, testNotification(cluster, this.#publicUrl ? `${this.#publicUrl}${alertsHref(cluster)}` : null, now));
    if (!result) return null;
    if (!result.ok) this.#log(`alerts: test of webhook "${id}" failed: ${result.error}`);
    return { observedAt: this.#now(), webhook: id, ok: result.ok, httpStatus: result.httpStatus, error: result.error, durationMs: result.durationMs };
  }

  /** For tests and shutdown: resolves when no notification is waiting. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  close(): void {
    for (const detach of this.#detach.splice(0)) detach();
    this.#queue.close();
  }

  // Internals ------------------------------------------------------------------------------------------------------

  #allRules(): AlertRuleEntry[] {
    return [...this.#config.rules.map((rule) => ({ source: 'config' as const, rule })), ...this.#uiRules.map((rule) => ({ source: 'ui' as const, rule }))];
  }

  /** Resolves the firing alerts of a rule whose kind or pattern changed, and drops its pending ones. */
  #restartRule(before: AlertRule, after: AlertRule): void {
    const now = this.#now();
    const what = before.kind !== after.kind ? `its kind from ${before.kind} to ${after.kind}` : `its ${after.kind === 'topic_idle' ? 'topic' : 'group'} pattern from "${subjectPatternOf(before)}" to "${subjectPatternOf(after)}"`;
    for (const [cluster, states] of this.#states) {
      let changed = false;
      for (const [key, state] of states) {
        if (state.ruleId !== before.id) continue;
        states.delete(key);
        if (state.phase !== 'firing') continue;
        const message = `the rule "${state.ruleName}" was changed (${what}); this alert for ${state.subject.name} is closed and the rule starts afresh`;
        this.#onTransition({ type: 'resolved', alert: { ...state, message, resolvedAt: now } });
        changed = true;
      }
      if (changed) this.emit('change', cluster);
    }
  }

  #statesOf(cluster: string): Map<string, AlertState> {
    let states = this.#states.get(cluster);
    if (!states) this.#states.set(cluster, (states = new Map()));
    return states;
  }

  #validate(body: unknown): AlertRule {
    const parsed = alertRuleSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      throw new AlertRuleError(400, 'bad_rule', `${where}${issue.message}`, 'A rule has an id, a kind (group_status, lag_seconds or topic_idle) and the fields of that kind; see GET /api/alerts/rules for examples.');
    }
    const known = new Set(this.#config.webhooks.map((w) => w.id));
    const unknown = (parsed.data.webhooks ?? []).filter((w) => !known.has(w));
    if (unknown.length > 0) {
      throw new AlertRuleError(400, 'unknown_webhook', `webhooks: unknown webhook "${unknown[0]}".`, `Configured webhooks: ${[...known].join(', ') || 'none; add them under alerts.webhooks in the config file'}.`);
    }
    return parsed.data;
  }

  #assertEditable(id: string): void {
    if (this.#config.rules.some((r) => r.id === id)) {
      throw new AlertRuleError(409, 'rule_from_config', `The rule "${id}" comes from the config file and is read-only here.`, 'Edit the config file (alerts.rules) and restart Topolog, or create a rule in the UI with another id.');
    }
    if (!this.#uiRules.some((r) => r.id === id)) {
      throw new AlertRuleError(404, 'unknown_rule', `No alert rule "${id}".`, 'GET /api/alerts/rules lists the rules.');
    }
  }

  #loadUiRules(): void {
    for (const stored of this.#store.alerts.listRules()) {
      const parsed = alertRuleSchema.safeParse(stored.body);
      if (!parsed.success) {
        this.#log(`alerts: the stored rule "${stored.id}" is not valid any more (${parsed.error.issues[0]?.message}); it is ignored. Re-create it in the UI.`);
        continue;
      }
      if (this.#config.rules.some((r) => r.id === parsed.data.id)) {
        this.#log(`alerts: the UI rule "${stored.id}" has the id of a rule in the config file; the config file's rule wins.`);
        continue;
      }
      this.#uiRules.push(parsed.data);
    }
  }

  #onTransition(transition: AlertTransitionEvent): void {
    const { alert } = transition;
    try {
      if (transition.type === 'firing') this.#store.alerts.saveFiring(alert);
      else this.#store.alerts.saveResolved(transition.alert);
    } catch (err) {
      this.#log(`alerts: cannot store the ${transition.type} of ${alert.id} (${(err as Error).message})`);
    }
    this.#log(`alerts: ${transition.type.toUpperCase()} [${alert.severity}] ${alert.cluster}: ${alert.message}`);
    const resolvedAt = transition.type === 'resolved' ? transition.alert.resolvedAt : null;
    const notification = this.#notification(transition.type, toInstance(alert, resolvedAt));
    for (const webhook of this.#recipients(transition)) {
      // Dedupe across restarts: a notification with a stored record was queued once already.
      if (this.#store.alerts.hasDelivery(alert.id, webhook, transition.type)) continue;
      this.#queue.notify(alert.id, webhook, notification);
    }
  }

  /** Firing: the rule's webhooks (all by default). Resolved: whoever was told it fired, so the pair always matches. */
  #recipients(transition: AlertTransitionEvent): string[] {
    if (transition.type === 'resolved') {
      const told = this.#store.alerts.deliveriesOf([transition.alert.id]).get(transition.alert.id) ?? [];
      return [...new Set(told.filter((d) => d.transition === 'firing').map((d) => d.webhook))];
    }
    const rule = this.#allRules().find((e) => e.rule.id === transition.alert.ruleId)?.rule;
    return rule?.webhooks ?? this.#config.webhooks.map((w) => w.id);
  }

  #notification(event: 'firing' | 'resolved', alert: NotifiedAlert): AlertNotification {
    return { event, alert, link: this.#publicUrl ? `${this.#publicUrl}${subjectPath(alert)}` : null, sentAt: this.#now() };
  }

  #saveDelivery(record: DeliveryRecord): void {
    try {
      this.#store.alerts.saveDelivery(record);
    } catch (err) {
      this.#log(`alerts: cannot store a delivery status (${(err as Error).message})`);
    }
  }

  /** Notifications still queued when the server stopped are sent now (a resolve must not be lost to a restart). */
  #resumeDeliveries(): void {
    for (const queued of this.#store.alerts.queuedDeliveries()) {
      const stored = this.#store.alerts.get(queued.alertId);
      if (!stored) continue;
      const notification = this.#notification(queued.transition, toInstance(stored.state, stored.resolvedAt));
      this.#queue.notify(queued.alertId, queued.webhook, notification, { attempts: queued.attempts, queuedAt: queued.queuedAt });
    }
  }
}

function subjectPatternOf(rule: AlertRule): string {
  return rule.kind === 'topic_idle' ? rule.topic : rule.group;
}

/** The sum of a topic's known high watermarks; null when none is known this cycle. */
function offsetsSum(watcher: Pick<ClusterWatcher, 'engine'>, topic: string, partitions: number): number | null {
  let sum = 0;
  let known = 0;
  for (let p = 0; p < partitions; p += 1) {
    const hwm = watcher.engine.partitionOffsets(topic, p)?.hwm;
    if (hwm === null || hwm === undefined) continue;
    sum += hwm;
    known += 1;
  }
  return known > 0 ? sum : null;
}

function toInstance(state: AlertState | ResolvedAlert, resolvedAt: number | null): NotifiedAlert {
  return {
    id: state.id,
    cluster: state.cluster,
    ruleId: state.ruleId,
    ruleName: state.ruleName,
    kind: state.kind,
    severity: state.severity,
    subject: state.subject,
    state: resolvedAt === null ? 'firing' : 'resolved',
    since: state.since ?? state.pendingSince,
    resolvedAt,
    // A status rule counts cycles: show how many it has been bad for.
    value: state.unit === 'cycles' ? state.breachCycles : state.value,
    threshold: state.threshold,
    unit: state.unit,
    status: state.status,
    message: state.message,
  };
}
