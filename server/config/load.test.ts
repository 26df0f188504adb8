import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load';

function tempConfig(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'topolog-config-'));
  const path = join(dir, 'topolog.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to loopback, port 3000 and a local broker, and says so', () => {
    const { config, sources } = loadConfig([], {});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3000);
    expect(config.clusters).toEqual([expect.objectContaining({ id: 'default', brokers: ['127.0.0.1:9092'], readOnly: false })]);
    expect(sources.join(' ')).toContain('default cluster');
  });

  it('takes flags over environment over the file', () => {
    const file = tempConfig({ port: 4000, host: '127.0.0.2', clusters: [{ id: 'prod', brokers: ['kafka-1:9092', 'kafka-2:9092'] }] });
    const fromFile = loadConfig(['--config', file], {});
    expect(fromFile.config.port).toBe(4000);
    expect(fromFile.config.clusters.map((c) => c.id)).toEqual(['prod']);

    const fromEnv = loadConfig(['--config', file], { PORT: '5000', KAFKA_BROKERS: 'a:1,b:2' });
    expect(fromEnv.config.port).toBe(5000);
    expect(fromEnv.config.clusters[0]?.brokers).toEqual(['a:1', 'b:2']);

    const fromFlags = loadConfig(['--config', file, '--port', '6000', '--brokers', 'c:3'], { PORT: '5000', KAFKA_BROKERS: 'a:1' });
    expect(fromFlags.config.port).toBe(6000);
    expect(fromFlags.config.clusters[0]?.brokers).toEqual(['c:3']);
    expect(fromFlags.config.host).toBe('127.0.0.2');
  });

  it('reads SASL and TLS for the environment cluster', () => {
    const { config } = loadConfig([], { KAFKA_BROKERS: 'k:9093', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_TLS: '1' });
    expect(config.clusters[0]).toMatchObject({ sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' }, tls: true });
  });

  it('names the bad key and what is expected', () => {
    const file = tempConfig({ clusters: [{ id: 'ok', brokers: ['good:9092', 'no-port'] }, { id: 'Bad Id!', brokers: [] }], colour: 'blue' });
    const message = errorOf(() => loadConfig(['--config', file], {}));
    expect(message).toContain('clusters[0].brokers[1]: expected "host:port"');
    expect(message).toContain('clusters[1].id');
    expect(message).toContain('clusters[1].brokers: list at least one broker');
    expect(message).toMatch(/colour/);
  });

  it('rejects an unknown SASL mechanism, a bad port and duplicate cluster ids', () => {
    expect(errorOf(() => loadConfig([], { KAFKA_BROKERS: 'k:1', KAFKA_SASL_MECHANISM: 'KERBEROS', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }))).toContain('clusters[0].sasl.mechanism');
    expect(errorOf(() => loadConfig(['--port', 'abc'], {}))).toContain('--port: expected a number');
    expect(errorOf(() => loadConfig(['--port', '70000'], {}))).toContain('port');
    const file = tempConfig({ clusters: [{ id: 'a', brokers: ['x:1'] }, { id: 'a', brokers: ['y:1'] }] });
    expect(errorOf(() => loadConfig(['--config', file], {}))).toContain('cluster ids must be unique');
  });

  it('explains an unreadable or malformed file and an unknown flag', () => {
    expect(errorOf(() => loadConfig(['--config', '/nonexistent/topolog.json'], {}))).toContain('Cannot read the config file /nonexistent/topolog.json: ENOENT');
    expect(errorOf(() => loadConfig(['--config', tempConfig('{"clusters": [')], {}))).toContain('is not valid JSON');
    expect(errorOf(() => loadConfig(['--config', tempConfig('[1,2]')], {}))).toContain('must hold a JSON object');
    expect(errorOf(() => loadConfig(['--brokrs', 'x:1'], {}))).toContain('Usage: topolog');
  });
});

describe('alerts config', () => {
  it('reads rules and webhooks with their defaults', () => {
    const file = tempConfig({
      clusters: [{ id: 'local', brokers: ['127.0.0.1:9092'] }],
      alerts: {
        rules: [
          { id: 'email-down', kind: 'group_status', group: 'email-service', statuses: ['STOP', 'STALL'], forCycles: 2, clearCycles: 2, webhooks: ['ops'] },
          { id: 'slo', kind: 'lag_seconds', thresholdSeconds: 60 },
          { id: 'orders-idle', kind: 'topic_idle', topic: 'orders*', minutes: 10, severity: 'warning' },
        ],
        webhooks: [{ id: 'ops', url: 'https://hooks.slack.com/services/T/B/x', format: 'slack' }, { id: 'json', url: 'http://127.0.0.1:3102/hook' }],
      },
    });
    const { config } = loadConfig(['--config', file], {});
    expect(config.alerts.rules[0]).toMatchObject({ group: 'email-service', forCycles: 2, severity: 'critical', enabled: true });
    expect(config.alerts.rules[1]).toMatchObject({ group: '*', forCycles: 3, clearCycles: 3 });
    expect(config.alerts.webhooks[1]).toEqual({ id: 'json', url: 'http://127.0.0.1:3102/hook', format: 'json' });
    expect(loadConfig([], {}).config.alerts).toEqual({ rules: [], webhooks: [] });
  });

  it('names a bad rule and says what is expected', () => {
    const file = tempConfig({
      alerts: {
        rules: [
          { id: 'a', kind: 'lag_seconds', thresholdSeconds: 0 },
          { id: 'b', kind: 'group_status', group: '/([/' },
          { id: 'c', kind: 'lag_minutes' },
          { id: 'd', kind: 'topic_idle', minutes: 5, webhooks: ['nope'] },
        ],
        webhooks: [{ id: 'w', url: 'ftp://x' }],
      },
    });
    const message = errorOf(() => loadConfig(['--config', file], {}));
    expect(message).toContain('alerts.rules[0].thresholdSeconds: thresholdSeconds must be greater than 0');
    expect(message).toContain('alerts.rules[1].group: regex patterns are not supported (they can hang the server); use a glob such as billing-*');
    expect(message).toContain('alerts.rules[2].kind: kind must be one of group_status, lag_seconds, topic_idle');
    expect(message).toContain('alerts.webhooks[0].url: expected an http(s) URL');
  });

  it('refuses a webhook header that fetch could not send, without ever quoting the value', () => {
    const secret = 's3cr3t';
    const hook = (headers: Record<string, string>) => ({ alerts: { webhooks: [{ id: 'pager', url: 'http://x/', headers }] } });
    for (const value of [`Bearer ${secret}\nx`, `Bearer ${secret}\rx`, `Bearer ${secret}\u0001x`, `Bearer ${secret}\u0000`, `Bearer ${secret}\u007f`, `Bearer ${secret}€`]) {
      const message = errorOf(() => loadConfig(['--config', tempConfig(hook({ Authorization: value }))], {}));
      expect(message).toContain('alerts.webhooks[0].headers.Authorization: the header value has a character HTTP does not allow');
      expect(message).not.toContain(secret);
    }
    for (const name of ['Bad Header', 'X-Token:', '', 'Authorizätion']) {
      const message = errorOf(() => loadConfig(['--config', tempConfig(hook({ [name]: `Bearer ${secret}` }))], {}));
      expect(message).toContain('a header name is letters, digits');
      expect(message).not.toContain(secret);
    }
    // Tabs, spaces and Latin-1 (obs-text) are allowed in values.
    const ok = loadConfig(['--config', tempConfig(hook({ Authorization: `Bearer ${secret}\tcafé`, 'X-Api_Key.1': 'v' }))], {});
    expect(ok.config.alerts.webhooks[0]!.headers).toEqual({ Authorization: `Bearer ${secret}\tcafé`, 'X-Api_Key.1': 'v' });
  });

  it('refuses a rule that names an unknown webhook', () => {
    const file = tempConfig({ alerts: { rules: [{ id: 'd', kind: 'topic_idle', minutes: 5, webhooks: ['nope'] }], webhooks: [{ id: 'ops', url: 'http://x/' }] } });
    expect(errorOf(() => loadConfig(['--config', file], {}))).toContain('alerts.rules[0].webhooks: unknown webhook "nope"; configured webhooks: ops');
  });
});
