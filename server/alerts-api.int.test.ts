import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertRuleResponseSchema, alertRulesResponseSchema, alertsResponseSchema, apiErrorSchema, groupDetailResponseSchema, groupStatusHistoryResponseSchema,
  healthResponseSchema, webhooksResponseSchema, webhookTestResponseSchema, type AlertInstance,
} from '../lib/contract';
import { configSchema } from './config/schema';
import { createTopologServer, type TopologServer } from './app';
import { TEST_BROKERS, createTopic, deleteTopics, eventually, produce, startConsumer, tempDataDir, uniqueName } from './test/kafka-fixtures';

// The alerts REST API against the real broker and a real HTTP receiver: rules CRUD, webhooks (never the full URL),
// "Send test", one STOP alert through the real poller from firing to resolved, the status timeline it leaves behind.

/** The path part of the webhook URL stands in for a Slack secret: it must never leave the server. */
const SECRET = 'T000-s3cr3t-B000-token';
const STOP_RULE = 'stop-e2e';

interface Received { path: string; body: { event: string; dedupeKey?: string; alert?: Record<string, unknown> } }

/** A real webhook receiver on a free port: records every POST and answers 200. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(raw) as Received['body'] });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** A port that was free a moment ago and is closed now: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('alerts API against the real local Kafka and a real webhook receiver', () => {
  let server: TopologServer;
  let url: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const topic = uniqueName('it-alerts-topic');
  const group = uniqueName('it-alerts-group');
  let e2eStartedAt = 0;

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: unknown }> => {
    const res = await fetch(`${url}${path}`, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : null };
  };
  /** A refusal: the status, and a JSON error whose message says what is wrong. */
  const expectError = async (method: string, path: string, body: unknown, status: number, error: string, message: RegExp) => {
    const res = await call(method, path, body);
    expect({ status: res.status, ...apiErrorSchema.parse(res.json) }).toMatchObject({ status, error, message: expect.stringMatching(message) });
    return apiErrorSchema.parse(res.json);
  };
  const alertsOf = async (state: string): Promise<AlertInstance[]> => alertsResponseSchema.parse((await call('GET', `/api/clusters/local/alerts?state=${state}`)).json).alerts;
  const events = (event: string, alertId: string) => receiver.received.filter((r) => r.body.event === event && r.body.dedupeKey === alertId);

  beforeAll(async () => {
    receiver = await startReceiver();
    const config = configSchema.parse({
      port: 0,
      dataDir: tempDataDir(),
      pollIntervalMs: 1000,
      slowPollIntervalMs: 2000,
      // Short windows so a stopped group is judged STOP in seconds; the rules themselves are the real ones.
      statusThresholds: { windowMs: 5000, graceMs: 1000, rebalanceGraceMs: 2000 },
      clusters: [{ id: 'local', brokers: TEST_BROKERS }],
      alerts: {
        webhooks: [
          { id: 'receiver', url: `${receiver.url}/hooks/${SECRET}`, format: 'json' },
          { id: 'dead', url: `http://127.0.0.1:${await closedPort()}/hooks/${SECRET}`, format: 'slack' },
        ],
        rules: [
          { id: STOP_RULE, kind: 'group_status', group, forCycles: 2, clearCycles: 2, webhooks: ['receiver'] },
          { id: 'config-lag', kind: 'lag_seconds', group: 'no-such-group-xyz', thresholdSeconds: 60, webhooks: [] },
        ],
      },
    });
    server = await createTopologServer(config, { ui: false, log: () => undefined });
    url = await server.listen();
    await createTopic(topic, 1);
    await eventually(async () => (healthResponseSchema.parse((await call('GET', '/api/health')).json).clusters[0]?.state === 'ok' ? true : undefined), { what: 'the cluster to be ok' });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
    await deleteTopics([topic]);
  });

  it('lists config rules as read-only (source "config") with their defaults filled in', async () => {
    const { status, json } = await call('GET', '/api/alerts/rules');
    expect(status).toBe(200);
    const { rules } = alertRulesResponseSchema.parse(json);
    expect(rules.map((e) => [e.source, e.rule.id])).toEqual([['config', STOP_RULE], ['config', 'config-lag']]);
    expect(rules[0]!.rule).toMatchObject({ kind: 'group_status', group, statuses: ['STOP', 'STALL', 'DATA_LOSS'], severity: 'critical', enabled: true });
  });

  it('creates, edits and deletes a UI rule, each change visible in the list', async () => {
    const created = await call('POST', '/api/alerts/rules', { id: 'ui-lag', kind: 'lag_seconds', group: 'no-such-group-xyz', thresholdSeconds: 30, webhooks: ['receiver'] });
    expect(created.status).toBe(201);
    expect(alertRuleResponseSchema.parse(created.json).rule).toMatchObject({ source: 'ui', rule: { id: 'ui-lag', thresholdSeconds: 30, forCycles: 3, severity: 'critical' } });
    const listed = () => call('GET', '/api/alerts/rules').then((r) => alertRulesResponseSchema.parse(r.json).rules.find((e) => e.rule.id === 'ui-lag'));
    expect(await listed()).toMatchObject({ source: 'ui', rule: { thresholdSeconds: 30 } });

    // PUT replaces the rule; the id comes from the path.
    const edited = await call('PUT', '/api/alerts/rules/ui-lag', { kind: 'lag_seconds', group: 'no-such-group-xyz', thresholdSeconds: 45, severity: 'warning', webhooks: [] });
    expect(edited.status).toBe(200);
    expect(alertRuleResponseSchema.parse(edited.json).rule).toMatchObject({ source: 'ui', rule: { id: 'ui-lag', thresholdSeconds: 45, severity: 'warning', webhooks: [] } });
    expect(await listed()).toMatchObject({ rule: { thresholdSeconds: 45, severity: 'warning' } });
    await expectError('PUT', '/api/alerts/rules/ui-lag', { kind: 'lag_seconds', thresholdSeconds: -1 }, 400, 'bad_rule', /thresholdSeconds must be greater than 0/);
    await expectError('PUT', '/api/alerts/rules/ui-lag', { kind: 'lag_seconds', group: '/((a+)b?)+$/', thresholdSeconds: 45 }, 400, 'bad_rule', /^group: regex patterns are not supported/);
    const glob = await call('PUT', '/api/alerts/rules/ui-lag', { kind: 'lag_seconds', group: 'no-such-group-*', thresholdSeconds: 45, severity: 'warning', webhooks: [] });
    expect(alertRuleResponseSchema.parse(glob.json).rule.rule).toMatchObject({ group: 'no-such-group-*' });

    const deleted = await call('DELETE', '/api/alerts/rules/ui-lag');
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(await listed()).toBeUndefined();
    await expectError('DELETE', '/api/alerts/rules/ui-lag', undefined, 404, 'unknown_rule', /No alert rule "ui-lag"/);
  });

  it('refuses to edit or delete a config rule (409, with a hint to edit the config file)', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const err = await expectError(method, `/api/alerts/rules/${STOP_RULE}`, method === 'PUT' ? { kind: 'group_status', group } : undefined, 409, 'rule_from_config', /comes from the config file and is read-only/);
      expect(err.hint).toMatch(/config file \(alerts\.rules\)/);
    }
    // Still there, unchanged.
    const rules = alertRulesResponseSchema.parse((await call('GET', '/api/alerts/rules')).json).rules;
    expect(rules.find((e) => e.rule.id === STOP_RULE)).toMatchObject({ source: 'config', rule: { forCycles: 2 } });
  });

  it('refuses bad rule bodies with a 400 that says what is wrong, and an unknown rule with a 404', async () => {
    const post = (body: unknown, error: string, message: RegExp) => expectError('POST', '/api/alerts/rules', body, 400, error, message);
    await post({ id: 'bad-kind', kind: 'lag_percent', group: '*' }, 'bad_rule', /kind must be one of group_status, lag_seconds, topic_idle/);
    // Regexes are refused outright (they can hang the server); globs are the way to match several subjects.
    for (const hostile of ['/((a+))+$/', '/((a+)b?)+$/', '/(a|a)+$/', '/(/']) {
      const started = performance.now();
      const err = await post({ id: 'bad-regex', kind: 'group_status', group: hostile }, 'bad_rule', /^group: regex patterns are not supported \(they can hang the server\); use a glob such as billing-\*$/);
      expect(err.message).not.toContain('does not compile');
      expect(performance.now() - started).toBeLessThan(1_000);
    }
    await post({ id: 'bad-regex', kind: 'topic_idle', minutes: 5, topic: '/(a|a)+$/' }, 'bad_rule', /^topic: regex patterns are not supported/);
    await post({ id: 'zero', kind: 'lag_seconds', thresholdSeconds: 0 }, 'bad_rule', /^thresholdSeconds: thresholdSeconds must be greater than 0/);
    await post({ id: 'idle', kind: 'topic_idle', minutes: 0 }, 'bad_rule', /minutes must be greater than 0/);
    await post({ id: 'hook', kind: 'topic_idle', minutes: 5, webhooks: ['receiver', 'pager'] }, 'unknown_webhook', /unknown webhook "pager"/);
    await post({ id: STOP_RULE, kind: 'topic_idle', minutes: 5 }, 'duplicate_rule', new RegExp(`A rule with id "${STOP_RULE}" already exists`));
    // Malformed JSON is refused by Fastify's body parser before the route (its own error code, but a clear message).
    const broken = await call('POST', '/api/alerts/rules', '{"id": "x", ');
    expect({ status: broken.status, message: apiErrorSchema.parse(broken.json).message }).toEqual({ status: 400, message: expect.stringMatching(/not valid JSON/) });
    // A UI rule's id is unique too.
    expect((await call('POST', '/api/alerts/rules', { id: 'ui-once', kind: 'topic_idle', topic: 'no-such-topic-xyz', minutes: 5, webhooks: [] })).status).toBe(201);
    await post({ id: 'ui-once', kind: 'topic_idle', minutes: 5 }, 'duplicate_rule', /already exists/);
    expect((await call('DELETE', '/api/alerts/rules/ui-once')).status).toBe(204);

    await expectError('PUT', '/api/alerts/rules/nobody', { kind: 'topic_idle', minutes: 5 }, 404, 'unknown_rule', /No alert rule "nobody"/);
    // Nothing refused was stored.
    const ids = alertRulesResponseSchema.parse((await call('GET', '/api/alerts/rules')).json).rules.map((e) => e.rule.id);
    expect(ids).toEqual([STOP_RULE, 'config-lag']);
  });

  it('lists webhooks by host only: the secret path of the URL never reaches the client', async () => {
    const { status, text, json } = await call('GET', '/api/alerts/webhooks');
    expect(status).toBe(200);
    expect(webhooksResponseSchema.parse(json).webhooks).toEqual([
      { id: 'receiver', format: 'json', host: new URL(receiver.url).host },
      { id: 'dead', format: 'slack', host: expect.stringMatching(/^127\.0\.0\.1:\d+$/) },
    ]);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('/hooks');
  });

  it('sends a test to the real receiver, and reports a refused connection as a failure while the server keeps running', async () => {
    const ok = await call('POST', '/api/alerts/webhooks/receiver/test?cluster=local');
    expect(ok.status).toBe(200);
    expect(webhookTestResponseSchema.parse(ok.json)).toMatchObject({ webhook: 'receiver', ok: true, httpStatus: 200, error: null });
    const test = receiver.received.find((r) => r.body.event === 'test');
    expect(test?.path).toBe(`/hooks/${SECRET}`);

    const failed = await call('POST', '/api/alerts/webhooks/dead/test?cluster=local');
    expect(failed.status).toBe(200);
    expect(webhookTestResponseSchema.parse(failed.json)).toMatchObject({ webhook: 'dead', ok: false, httpStatus: null, error: expect.stringMatching(/connection refused/) });
    expect(failed.text).not.toContain(SECRET);

    await expectError('POST', '/api/alerts/webhooks/nope/test', undefined, 404, 'unknown_webhook', /No webhook "nope"/);
    expect((await call('GET', '/api/health')).status).toBe(200);
  });

  it('refuses an unknown alert state filter or cluster clearly', async () => {
    const err = await expectError('GET', '/api/clusters/local/alerts?state=bogus', undefined, 400, 'bad_query', /state must be firing, resolved or all/);
    expect(err.hint).toContain('?state=firing');
    await expectError('GET', '/api/clusters/nope/alerts', undefined, 404, 'unknown_cluster', /No cluster "nope"/);
  });

  // A real STOP, not a lag_seconds or topic_idle stand-in: with windowMs 5 s and graceMs 1 s, a group that committed
  // everything, left, and then has new messages waiting is judged STOP within a few polls, every time (the offset
  // is frozen and the group is Empty). Consuming again commits at once, so it goes back to OK just as surely.
  it('fires a group_status alert for a stopped group, tells the webhook once, and resolves it once the group consumes again', async () => {
    e2eStartedAt = Date.now();
    await produce(topic, 10);
    const committedAt = async (offset: number) => {
      const res = await call('GET', `/api/clusters/local/groups/${encodeURIComponent(group)}`);
      return res.status === 200 && groupDetailResponseSchema.parse(res.json).partitions[0]?.committed === offset ? true : undefined;
    };
    const first = await startConsumer(group, topic);
    try {
      await eventually(() => committedAt(10), { what: 'the group to commit 10' });
    } finally {
      await first.disconnect();
    }
    await produce(topic, 10);

    const firing = await eventually(async () => (await alertsOf('firing')).find((a) => a.ruleId === STOP_RULE && a.subject.name === group), { what: 'the STOP alert to fire', timeoutMs: 45_000, intervalMs: 500 });
    expect(firing).toMatchObject({ cluster: 'local', kind: 'group_status', state: 'firing', status: 'STOP', subject: { type: 'group', name: group }, resolvedAt: null, unit: 'cycles', threshold: 2 });
    expect(firing.message).toContain(group);
    await eventually(() => (events('alert.firing', firing.id).length > 0 ? true : undefined), { what: 'the firing notification at the receiver' });
    // More cycles in STOP must not notify again.
    await new Promise((r) => setTimeout(r, 3000));
    expect(events('alert.firing', firing.id)).toHaveLength(1);
    expect(events('alert.firing', firing.id)[0]).toMatchObject({ path: `/hooks/${SECRET}`, body: { alert: { rule: { id: STOP_RULE }, subject: { name: group }, status: 'STOP' } } });
    const delivered = (await alertsOf('firing')).find((a) => a.id === firing.id);
    expect(delivered?.deliveries).toEqual([expect.objectContaining({ webhook: 'receiver', transition: 'firing', state: 'delivered', attempts: 1 })]);

    const second = await startConsumer(group, topic);
    try {
      await eventually(() => committedAt(20), { what: 'the group to commit 20' });
      const resolved = await eventually(async () => (await alertsOf('resolved')).find((a) => a.id === firing.id), { what: 'the alert to resolve', timeoutMs: 45_000, intervalMs: 500 });
      expect(resolved).toMatchObject({ state: 'resolved', since: firing.since });
      expect(resolved.resolvedAt).toBeGreaterThan(firing.since);
      expect((await alertsOf('firing')).some((a) => a.id === firing.id)).toBe(false);
      await eventually(() => (events('alert.resolved', firing.id).length > 0 ? true : undefined), { what: 'the resolve notification at the receiver' });
      await new Promise((r) => setTimeout(r, 3000));
      expect(events('alert.resolved', firing.id)).toHaveLength(1);
      expect(events('alert.firing', firing.id)).toHaveLength(1);
      expect(events('alert.resolved', firing.id)[0]?.body.alert).toMatchObject({ state: 'resolved', subject: { name: group }, resolvedAt: new Date(resolved.resolvedAt!).toISOString() });
    } finally {
      await second.disconnect();
    }
  }, 120_000);

  it('serves the group status timeline over [from, to]: unknown before the first record, then the statuses it had', async () => {
    expect(e2eStartedAt).toBeGreaterThan(0);
    const from = e2eStartedAt - 60_000;
    const to = Date.now();
    const res = await call('GET', `/api/clusters/local/groups/${encodeURIComponent(group)}/status-history?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const { spans, observedAt, ...range } = groupStatusHistoryResponseSchema.parse(res.json);
    expect(range).toEqual({ cluster: 'local', group, from, to });
    expect(observedAt).toBeGreaterThanOrEqual(to);
    // The spans tile the range exactly: no gap, no overlap.
    expect(spans[0]!.from).toBe(from);
    expect(spans.at(-1)!.to).toBe(to);
    spans.slice(1).forEach((s, i) => expect(s.from).toBe(spans[i]!.to));
    expect(spans[0]).toMatchObject({ status: null, reason: expect.stringContaining('no status recorded') });
    const statuses = spans.slice(1).map((s) => s.status);
    expect(statuses.every((s) => s !== null)).toBe(true);
    expect(statuses).toContain('STOP');
    // It resolved, so the timeline goes on past STOP into a status that is not an error.
    expect(statuses.at(-1)).not.toBe('STOP');

    // Entirely before the group existed: one unknown span.
    const early = groupStatusHistoryResponseSchema.parse((await call('GET', `/api/clusters/local/groups/${group}/status-history?from=${from - 1000}&to=${from}`)).json);
    expect(early.spans).toEqual([{ from: from - 1000, to: from, status: null, reason: expect.any(String) }]);

    // Only `to`, early: the default hour before it stops at the epoch instead of answering a negative from.
    const edge = await call('GET', `/api/clusters/local/groups/${group}/status-history?to=5000`);
    expect(edge.status).toBe(200);
    expect(groupStatusHistoryResponseSchema.parse(edge.json)).toMatchObject({ from: 0, to: 5000, spans: [{ from: 0, to: 5000, status: null }] });

    for (const query of [`from=${to}&to=${from}`, `from=${to}&to=${to}`, 'from=yesterday', 'to=-5']) {
      await expectError('GET', `/api/clusters/local/groups/${group}/status-history?${query}`, undefined, 400, 'bad_range', /from and to are epoch milliseconds with from < to/);
    }
    await expectError('GET', `/api/clusters/nope/groups/${group}/status-history`, undefined, 404, 'unknown_cluster', /No cluster "nope"/);
  });
});
