import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupStatus, GroupSummary, OverviewData } from '../../lib/contract';
import { alertRuleSchema } from '../../lib/contract';
import type { AlertNotification } from '../../lib/alerts/payloads';
import { useTempStores } from '../store/test-support';
import { AlertManager } from './alert-manager';
import { describeFailure, WebhookDeliveryQueue, type DeliveryRecord } from './delivery-queue';

/** A real HTTP receiver on loopback whose behaviour per request is scripted. */
interface Receiver {
  url: string;
  port: number;
  received: { path: string; at: number; body: any }[];
  close(): Promise<void>;
}

const servers: Server[] = [];
const queues: { close(): void }[] = [];
afterEach(async () => {
  for (const q of queues.splice(0)) q.close();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(() => r(undefined)))));
});

async function receiver(handle: (req: IncomingMessage, res: ServerResponse, n: number) => void, port = 0): Promise<Receiver> {
  const received: Receiver['received'] = [];
  let n = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      n += 1;
      received.push({ path: req.url ?? '', at: Date.now(), body: JSON.parse(body) });
      handle(req, res, n);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const FAST = { baseMs: 50, maxMs: 400, jitter: 0, maxAttempts: 5, maxAgeMs: 10_000 };

function notification(event: 'firing' | 'resolved', id = 'prod/email|group:email-service/1'): AlertNotification {
  return {
    event,
    link: null,
    sentAt: Date.now(),
    alert: {
      id, cluster: 'prod', ruleId: 'email', ruleName: 'email down', kind: 'group_status', severity: 'critical', subject: { type: 'group', name: 'email-service' },
      state: event, since: Date.now(), resolvedAt: event === 'resolved' ? Date.now() : null, value: 3, threshold: 3, unit: 'cycles', status: 'STOP', message: 'email-service has been STOP',
    },
  };
}

function queueFor(url: string, records: DeliveryRecord[], extra: Partial<ConstructorParameters<typeof WebhookDeliveryQueue>[0]> = {}) {
  const queue = new WebhookDeliveryQueue({ webhooks: [{ id: 'hook', url: `${url}/hook`, format: 'json' }], retry: FAST, timeoutMs: 500, onStatus: (r) => records.push(r), ...extra });
  queues.push(queue);
  return queue;
}

describe('webhook delivery queue against a real HTTP receiver', () => {
  it('retries a 500 with exponential backoff, delivers once, and sends the resolve after the firing', async () => {
    const rx = await receiver((_req, res, n) => res.writeHead(n <= 2 ? 500 : 204).end(n <= 2 ? 'receiver broken' : ''));
    const records: DeliveryRecord[] = [];
    const queue = queueFor(rx.url, records);
    expect(queue.notify('a1', 'hook', notification('firing', 'a1'))).toBe(true);
    // Dedupe: the same transition again is refused while queued and after delivery.
    expect(queue.notify('a1', 'hook', notification('firing', 'a1'))).toBe(false);
    expect(queue.notify('a1', 'hook', notification('resolved', 'a1'))).toBe(true);
    await queue.idle();
    expect(queue.notify('a1', 'hook', notification('firing', 'a1'))).toBe(false);

    expect(rx.received.map((r) => r.body.event)).toEqual(['alert.firing', 'alert.firing', 'alert.firing', 'alert.resolved']);
    const gaps = [rx.received[1]!.at - rx.received[0]!.at, rx.received[2]!.at - rx.received[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThanOrEqual(95); // doubled
    const firing = records.filter((r) => r.transition === 'firing');
    expect(firing.at(-1)).toMatchObject({ state: 'delivered', attempts: 3, lastError: null });
    expect(firing.some((r) => r.lastError === 'HTTP 500: receiver broken')).toBe(true);
    expect(records.filter((r) => r.transition === 'resolved').at(-1)).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('retries a refused connection until the receiver comes up', async () => {
    const probe = await receiver((_q, res) => res.end());
    const port = probe.port;
    await probe.close();
    servers.splice(0);
    const records: DeliveryRecord[] = [];
    const queue = queueFor(`http://127.0.0.1:${port}`, records);
    queue.notify('a2', 'hook', notification('firing', 'a2'));
    await expect.poll(() => records.find((r) => r.lastError?.includes('ECONNREFUSED')), { timeout: 2_000 }).toBeTruthy();
    const rx = await receiver((_q, res) => res.writeHead(200).end('ok'), port);
    await queue.idle();
    expect(rx.received).toHaveLength(1);
    expect(records.at(-1)).toMatchObject({ state: 'delivered' });
    expect(records.at(-1)!.attempts).toBeGreaterThanOrEqual(2);
  });

  it('returns from notify() at once while the receiver hangs, times out, and gives up after max attempts', async () => {
    const rx = await receiver(() => undefined); // never answers
    const records: DeliveryRecord[] = [];
    const lines: string[] = [];
    const queue = queueFor(rx.url, records, { timeoutMs: 100, retry: { ...FAST, maxAttempts: 2 }, log: (l) => lines.push(l) });
    const started = performance.now();
    for (let i = 0; i < 8; i += 1) queue.notify(`h${i}`, 'hook', notification('firing', `h${i}`));
    expect(performance.now() - started).toBeLessThan(50);
    await queue.idle();
    expect(records.filter((r) => r.state === 'failed')).toHaveLength(8);
    expect(records.find((r) => r.state === 'failed')?.lastError).toBe('no answer within 100 ms');
    expect(lines.some((l) => l.includes('gave up') && l.includes('Send test'))).toBe(true);
    expect(lines.join('\n')).not.toContain('/hook'); // the host only, never the URL
  });

  it('never puts a header value in an error: fetch refusing a header becomes a fixed message naming the webhook', async () => {
    const secret = 'Bearer s3cr3t';
    const rx = await receiver((_q, res) => res.writeHead(200).end('ok'));
    const records: DeliveryRecord[] = [];
    const lines: string[] = [];
    // Past the config schema (which refuses it): what the queue does if such a header reaches fetch anyway.
    const queue = new WebhookDeliveryQueue({
      webhooks: [{ id: 'pager', url: `${rx.url}/hook`, format: 'json', headers: { authorization: `${secret}\nx` } }],
      retry: FAST, timeoutMs: 500, onStatus: (r) => records.push(r), log: (l) => lines.push(l),
    });
    queues.push(queue);
    const tested = await queue.test('pager', notification('firing', 't1'));
    expect(tested).toMatchObject({ ok: false, httpStatus: null, error: expect.stringContaining('webhook "pager" could not be built') });
    expect(tested!.error).not.toContain('s3cr3t');
    queue.notify('h1', 'pager', notification('firing', 'h1'));
    await queue.idle();
    // Not retried (it fails the same way every time), and nothing logged or stored quotes the value.
    expect(records.at(-1)).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringContaining('webhook "pager"') });
    expect(JSON.stringify(records)).not.toContain('s3cr3t');
    expect(lines.join('\n')).not.toContain('s3cr3t');
    expect(rx.received).toHaveLength(0);
    // The same mapping for any TypeError without a cause; network failures (with a cause) keep their words.
    expect(describeFailure(new TypeError(`Headers.append: "${secret}\nx" is an invalid header value.`), 100, 'pager')).not.toContain('s3cr3t');
    expect(describeFailure(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }), 100, 'pager')).toContain('connection refused');
  });

  it('keeps each alert\'s delivery status in memory by alert id, bounded: records leave as they expire', async () => {
    const rx = await receiver((_q, res) => res.writeHead(200).end('ok'));
    const records: DeliveryRecord[] = [];
    const queue = queueFor(rx.url, records, { recentLimit: 3 });
    for (let i = 0; i < 6; i += 1) queue.notify(`m${i}`, 'hook', notification('firing', `m${i}`));
    expect(queue.trackedAlerts).toBe(6);
    expect(queue.statusOf('m5')).toEqual([expect.objectContaining({ alertId: 'm5', webhook: 'hook', transition: 'firing' })]);
    await queue.idle();
    expect(queue.trackedAlerts).toBe(3);
    expect(queue.statusOf('m0')).toEqual([]);
    expect(queue.statusOf('m5')).toEqual([expect.objectContaining({ alertId: 'm5', state: 'delivered' })]);
    // A copy: the caller cannot change the queue's record.
    queue.statusOf('m5')[0]!.state = 'failed';
    expect(queue.statusOf('m5')[0]!.state).toBe('delivered');
  });

  it('bounds the queue: the oldest waiting notification is dropped, and says so', async () => {
    const rx = await receiver(() => undefined);
    const records: DeliveryRecord[] = [];
    const queue = queueFor(rx.url, records, { timeoutMs: 200, concurrency: 1, maxQueued: 3, retry: { ...FAST, maxAttempts: 1 } });
    for (let i = 0; i < 5; i += 1) queue.notify(`q${i}`, 'hook', notification('firing', `q${i}`));
    expect(queue.size).toBe(3);
    expect(records.filter((r) => r.state === 'dropped').map((r) => r.alertId)).toEqual(['q1', 'q2']);
  });
});

describe('AlertManager notifications end to end (real store, real receiver)', () => {
  const { open } = useTempStores();

  function overview(status: GroupStatus, t: number): OverviewData {
    const group: GroupSummary = { id: 'email-service', type: 'classic', protocolType: 'consumer', state: status === 'STOP' ? 'Empty' : 'Stable', members: [], topics: ['user.registered'], status, lagSum: 120, lagMax: 120, lagSecondsMax: 30, etaSeconds: null, statusReason: status === 'STOP' ? 'no consumer: the group is Empty and 120 messages wait' : 'consuming' };
    return {
      cluster: { id: 'local', name: 'local', bootstrap: [], state: 'ok', since: 0, error: null, retryAt: null, clusterId: null, controllerId: null, brokers: [], version: null, readOnly: false, pollIntervalMs: 1000, observedAt: t },
      topics: [],
      groups: [group],
    };
  }
  const watcher = { engine: { partitionOffsets: () => undefined } } as never;

  it('fires once to JSON and Slack webhooks, does not re-notify after a restart, and resolves once', async () => {
    const rx = await receiver((_q, res) => res.writeHead(200).end('ok'));
    const store = open();
    const config = {
      rules: [alertRuleSchema.parse({ id: 'email-down', kind: 'group_status', group: 'email-service', statuses: ['STOP', 'STALL'], forCycles: 2, clearCycles: 2 })],
      webhooks: [{ id: 'e2e', url: `${rx.url}/hook`, format: 'json' as const }, { id: 'e2e-slack', url: `${rx.url}/slack`, format: 'slack' as const }],
    };
    const make = () => {
      const m = new AlertManager({ config, store, publicUrl: 'http://127.0.0.1:3000', delivery: { retry: FAST } });
      queues.push(m);
      return m;
    };
    const t0 = Date.now();
    const first = make();
    const changes: string[] = [];
    first.on('change', (c) => changes.push(c));
    first.onCycle(watcher, overview('STOP', t0));
    first.onCycle(watcher, overview('STOP', t0 + 1000));
    await first.idle();
    expect(changes).toEqual(['local']);
    expect(rx.received.map((r) => r.path).sort()).toEqual(['/hook', '/slack']);
    const json = rx.received.find((r) => r.path === '/hook')!.body;
    expect(json).toMatchObject({ event: 'alert.firing', link: 'http://127.0.0.1:3000/clusters/local/groups/email-service' });
    expect(json.alert.message).toBe('email-service has been STOP for 2 cycles (2 s): no consumer: the group is Empty and 120 messages wait');
    expect(rx.received.find((r) => r.path === '/slack')!.body.attachments[0].color).toBe('#c62828');
    const listed = first.alerts('local', 'firing');
    expect(listed).toHaveLength(1);
    expect(listed[0]!.deliveries.map((d) => [d.webhook, d.state])).toEqual(expect.arrayContaining([['e2e', 'delivered'], ['e2e-slack', 'delivered']]));
    first.close();

    // Restart: the firing alert is reloaded; more STOP cycles must not notify again.
    const second = make();
    second.onCycle(watcher, overview('STOP', t0 + 2000));
    second.onCycle(watcher, overview('OK', t0 + 3000));
    second.onCycle(watcher, overview('OK', t0 + 4000));
    second.onCycle(watcher, overview('OK', t0 + 5000));
    await second.idle();
    expect(rx.received.map((r) => r.body.event ?? r.body.text)).toHaveLength(4);
    expect(rx.received.filter((r) => r.path === '/hook').map((r) => r.body.event)).toEqual(['alert.firing', 'alert.resolved']);
    expect(rx.received.filter((r) => r.path === '/slack').at(-1)!.body.attachments[0].color).toBe('#1f9d55');
    const resolved = second.alerts('local', 'resolved');
    expect(resolved[0]).toMatchObject({ state: 'resolved', resolvedAt: t0 + 4000, message: 'email-service is OK again after 3 s (was STOP)' });
    expect(store.statusLog.spans('local', 'email-service', t0 - 1000, t0 + 6000).map((s) => s.status)).toEqual([null, 'STOP', 'OK']);
  });

  it('after a restart, sends a stored pending notification that is recent, and marks one older than maxAgeMs failed', async () => {
    const rx = await receiver((_q, res) => res.writeHead(200).end('ok'));
    const store = open();
    const now = Date.now();
    const state = (id: string) => ({
      key: `r|group:${id}`, id, cluster: 'local', ruleId: 'r', ruleName: 'r', kind: 'group_status' as const, severity: 'critical' as const,
      subject: { type: 'group' as const, name: id }, phase: 'firing' as const, breachCycles: 3, clearCycles: 0, pendingSince: now - 5_000, since: now - 5_000,
      value: null, threshold: 3, unit: 'cycles' as const, status: 'STOP' as const, message: `${id} has been STOP`,
    });
    const pending = (alertId: string, queuedAt: number) => ({ alertId, webhook: 'hook', transition: 'firing' as const, state: 'queued' as const, attempts: 1, queuedAt, lastAttemptAt: queuedAt, lastError: 'HTTP 500', deliveredAt: null, nextAttemptAt: queuedAt + 1_000 });
    store.alerts.saveFiring(state('old-one'));
    store.alerts.saveFiring(state('recent-one'));
    store.alerts.saveDelivery(pending('old-one', now - FAST.maxAgeMs - 60_000));
    store.alerts.saveDelivery(pending('recent-one', now - 1_000));
    const lines: string[] = [];
    const manager = new AlertManager({ config: { rules: [], webhooks: [{ id: 'hook', url: `${rx.url}/hook`, format: 'json' }] }, store, publicUrl: null, delivery: { retry: FAST }, log: (l) => lines.push(l) });
    queues.push(manager);
    await manager.idle();
    expect(rx.received.map((r) => r.body.dedupeKey)).toEqual(['recent-one']);
    const stored = store.alerts.deliveriesOf(['old-one', 'recent-one']);
    expect(stored.get('old-one')).toEqual([expect.objectContaining({ state: 'failed', attempts: 1, lastError: expect.stringContaining('too old to send after the restart') })]);
    expect(stored.get('recent-one')).toEqual([expect.objectContaining({ state: 'delivered', attempts: 2 })]);
    expect(manager.alerts('local', 'firing').find((a) => a.id === 'old-one')?.deliveries).toEqual([expect.objectContaining({ state: 'failed' })]);
    expect(lines.some((l) => l.includes('old-one') && l.includes('too old'))).toBe(true);
  });
});
