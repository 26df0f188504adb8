import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopic, deleteTopics, eventually, testKafka, uniqueName } from '../test/kafka-fixtures';
import { readConnectCluster, type ConnectConnector } from './connect';

/**
 * A real Kafka Connect worker (scripts/connect.sh, standalone, Maven Central jars) attached to the shared test
 * broker, running the FileStream example connectors: file -> source -> topic -> sink -> file. Only this file's own
 * connectors, topic and group are touched, and all are removed afterwards; the broker is never stopped.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONNECT_PORT = process.env.CONNECT_PORT ?? '8083';
const CONNECT_URL = `http://127.0.0.1:${CONNECT_PORT}`;
const SCRIPT_ENV = { ...process.env, CONNECT_PORT };

function connectScript(command: 'start' | 'stop' | 'status'): { status: number | null; output: string } {
  const run = spawnSync('bash', ['scripts/connect.sh', command], { cwd: ROOT, env: SCRIPT_ENV, encoding: 'utf8', timeout: 600_000 });
  return { status: run.status, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`.trim() };
}

async function rest(method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${CONNECT_URL}${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
    throw new Error(`${method} ${path} answered HTTP ${response.status}: ${await response.text()}`);
  }
}

describe('readConnectCluster against a real Kafka Connect worker', () => {
  const topic = uniqueName('topolog-connect');
  const source = uniqueName('topolog-file-source');
  const sink = uniqueName('topolog-file-sink');
  const dir = mkdtempSync(join(tmpdir(), 'topolog-connect-'));
  const input = join(dir, 'in.txt');
  const output = join(dir, 'out.txt');
  const lines = ['alpha', 'beta', 'gamma'];
  // Not a real setting: a value that must never come back out of readConnectCluster.
  const secret = `not-to-be-shown-${Math.random().toString(36).slice(2)}`;
  let startedHere = false;

  beforeAll(async () => {
    startedHere = connectScript('status').status !== 0;
    // Fetches the jars on first use (Maven Central), then waits until the REST API answers. Needs Java 17+ and Maven:
    // the script's own message says what is missing, and it is repeated here so the test report shows it.
    const started = connectScript('start');
    if (started.status !== 0) throw new Error(`bash scripts/connect.sh start failed (exit ${started.status}):\n${started.output}`);

    await createTopic(topic);
    writeFileSync(input, `${lines.join('\n')}\n`);
    await rest('PUT', `/connectors/${source}/config`, { 'connector.class': 'FileStreamSource', file: input, topic, 'tasks.max': '1' });
    await rest('PUT', `/connectors/${sink}/config`, {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
      file: output,
      topics: topic,
      'tasks.max': '1',
      'topolog.test.password': secret,
    });
  }, 600_000);

  afterAll(async () => {
    await rest('DELETE', `/connectors/${source}`).catch(() => undefined);
    await rest('DELETE', `/connectors/${sink}`).catch(() => undefined);
    await deleteTopics([topic]);
    // The sink's group (connect-<name>) empties once its task has stopped; remove it so reruns leave nothing behind.
    const admin = testKafka().admin();
    await admin.connect();
    await eventually(() => admin.deleteGroups([`connect-${sink}`]).then(() => true), { timeoutMs: 15_000, what: `group connect-${sink} to be deleted` }).catch(() => undefined);
    await admin.disconnect();
    rmSync(dir, { recursive: true, force: true });
    if (startedHere) {
      const stopped = connectScript('stop');
      if (stopped.status !== 0) throw new Error(`bash scripts/connect.sh stop failed:\n${stopped.output}`);
    }
  }, 120_000);

  it('reports both connectors with type, state, tasks, KIP-558 topics and config topics', async () => {
    // KIP-558 topics appear once the source has produced and the sink has consumed a record.
    const found = await eventually(
      async () => {
        const cluster = await readConnectCluster(CONNECT_URL);
        const src = cluster.connectors.find((c) => c.name === source);
        const snk = cluster.connectors.find((c) => c.name === sink);
        const ready = (c: ConnectConnector | undefined) => c?.state === 'RUNNING' && c.tasks.length === 1 && c.tasks[0]?.state === 'RUNNING' && c.topics.length > 0;
        return ready(src) && ready(snk) ? { cluster, src: src!, snk: snk! } : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500, what: `connectors ${source} and ${sink} RUNNING with active topics` },
    );

    const worker = `127.0.0.1:${CONNECT_PORT}`;
    expect(found.cluster.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(found.cluster.observedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(found.src).toEqual({
      name: source,
      type: 'source',
      state: 'RUNNING',
      workerId: worker,
      tasks: [{ id: 0, state: 'RUNNING', workerId: worker, trace: null }],
      topics: [topic],
      topicsFromConfig: [topic],
      topicsRegex: null,
      connectorClass: 'FileStreamSource',
      externalSystem: 'FileStream',
    });
    expect(found.snk).toEqual({
      name: sink,
      type: 'sink',
      state: 'RUNNING',
      workerId: worker,
      tasks: [{ id: 0, state: 'RUNNING', workerId: worker, trace: null }],
      topics: [topic],
      topicsFromConfig: [topic],
      topicsRegex: null,
      connectorClass: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
      externalSystem: 'FileStream',
    });
    expect(JSON.stringify(found.cluster)).not.toContain(secret);

    // The records really went file -> topic -> file.
    await eventually(() => (readFileSync(output, 'utf8').split('\n').filter(Boolean).length === lines.length ? true : undefined), { timeoutMs: 20_000, what: 'the sink file' });
    expect(readFileSync(output, 'utf8')).toBe(`${lines.join('\n')}\n`);
  });

  it('follows a connector through PAUSED and deletion', async () => {
    await rest('PUT', `/connectors/${sink}/pause`);
    await eventually(async () => ((await readConnectCluster(CONNECT_URL)).connectors.find((c) => c.name === sink)?.state === 'PAUSED' ? true : undefined), {
      timeoutMs: 20_000,
      what: `${sink} to be PAUSED`,
    });
    await rest('DELETE', `/connectors/${sink}`);
    const after = await readConnectCluster(CONNECT_URL);
    expect(after.connectors.map((c) => c.name)).not.toContain(sink);
    expect(after.connectors.map((c) => c.name)).toContain(source);
  });
});
