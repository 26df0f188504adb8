import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectError, externalSystemOf, readConnectCluster, redactTrace } from './connect';

/** A port that was free a moment ago: nothing listens there, so connecting is refused. */
async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('readConnectCluster errors', () => {
  it('says a closed port is unreachable and where to fix the URL', async () => {
    const port = await closedPort();
    const err = await readConnectCluster(`http://127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).kind).toBe('unreachable');
    expect((err as Error).message).toBe(`Kafka Connect at http://127.0.0.1:${port} is unreachable (connect ECONNREFUSED 127.0.0.1:${port}): check connectUrl in the config.`);
  });

  it('rejects a URL that is not http(s)', async () => {
    await expect(readConnectCluster('connect:8083')).rejects.toThrow('Kafka Connect URL "connect:8083" is not an http(s) URL such as http://connect:8083: check connectUrl in the config.');
    await expect(readConnectCluster('not a url')).rejects.toThrow(/is not an http\(s\) URL/);
  });

  it('never shows URL credentials in its messages', async () => {
    const port = await closedPort();
    const err = (await readConnectCluster(`http://admin:hunter2@127.0.0.1:${port}/`).catch((e: unknown) => e)) as ConnectError;
    expect(err.message).not.toContain('hunter2');
    expect(err.url).toBe(`http://127.0.0.1:${port}`);
  });
});

/**
 * A stand-in HTTP server for the answers a real worker cannot be made to give on demand: an auth proxy's 401, an
 * HTML page, a worker older than KIP-465/KIP-558, a config holding a password. Real Connect is in connect.int.test.ts.
 */
describe('readConnectCluster against a stand-in HTTP server', () => {
  let server: Server;
  let base: string;
  let route: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(500).end();
  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  beforeAll(async () => {
    server = createServer((req, res) => route(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('explains 401 and 403', async () => {
    route = (_req, res) => res.writeHead(401, { 'www-authenticate': 'Basic realm="connect"' }).end();
    const err = (await readConnectCluster(base).catch((e: unknown) => e)) as ConnectError;
    expect(err.kind).toBe('unauthorized');
    expect(err.message).toBe(
      `Kafka Connect at ${base} refused GET / (HTTP 401 Unauthorized): its REST API needs credentials or a role that may read connectors. ` +
        "Put a user with read access in connectUrl (http://user:password@host:8083) or allow Topolog's address.",
    );
    route = (req, res) => (req.url === '/' ? json(res, 200, { version: '4.3.1' }) : res.writeHead(403).end());
    await expect(readConnectCluster(base)).rejects.toThrow(`Kafka Connect at ${base} refused GET /connectors?expand=status&expand=info (HTTP 403 Forbidden)`);
  });

  it('sends URL credentials as basic auth', async () => {
    let seen: string | undefined;
    route = (req, res) => {
      seen = req.headers.authorization;
      json(res, 200, req.url === '/' ? { version: '4.3.1' } : {});
    };
    const port = new URL(base).port;
    expect(await readConnectCluster(`http://reader:p%40ss@127.0.0.1:${port}`)).toMatchObject({ connectors: [], version: '4.3.1' });
    expect(seen).toBe(`Basic ${Buffer.from('reader:p@ss').toString('base64')}`);
  });

  it('says when the answer is not JSON (another service on that port)', async () => {
    route = (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html>Grafana</html>');
    const err = (await readConnectCluster(base).catch((e: unknown) => e)) as ConnectError;
    expect(err.kind).toBe('not-connect');
    expect(err.message).toBe(`Kafka Connect at ${base} answered GET / with something that is not JSON (text/html): is it the Kafka Connect REST API (default port 8083)? Check connectUrl in the config.`);
  });

  it("passes on Connect's own error message", async () => {
    route = (req, res) => (req.url === '/' ? json(res, 200, { version: '4.3.1' }) : json(res, 500, { error_code: 500, message: 'Request timed out' }));
    await expect(readConnectCluster(base)).rejects.toThrow(
      `Kafka Connect at ${base} answered GET /connectors?expand=status&expand=info with HTTP 500 Internal Server Error: Request timed out; see the Connect worker log.`,
    );
  });

  it('times out a worker that does not answer', async () => {
    route = () => undefined; // never answers
    await expect(readConnectCluster(base, { timeoutMs: 150 })).rejects.toThrow(`Kafka Connect at ${base} is unreachable (no answer within 150 ms): check connectUrl in the config.`);
  });

  it('reads a pre-2.3 worker (no expand, no /topics) and copies no config value but the whitelisted ones', async () => {
    const config = {
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'database.hostname': 'db.internal',
      'database.password': 'TOP-SECRET-1',
      'topic.prefix': 'shop',
      name: 'pg',
    };
    const sinkConfig = {
      'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
      topics: 'a, b,,c',
      'topics.regex': 'audit\\..*',
      'aws.secret.access.key': 'TOP-SECRET-2',
    };
    route = (req, res) => {
      switch (req.url) {
        case '/':
          return json(res, 200, { version: '2.2.0', commit: 'x' });
        case '/connectors?expand=status&expand=info':
          return json(res, 200, ['pg', 's3']);
        case '/connectors/pg/status':
          return json(res, 200, {
            name: 'pg',
            connector: { state: 'RUNNING', worker_id: 'w1:8083' },
            tasks: [{ id: 0, state: 'FAILED', worker_id: 'w2:8083', trace: 'org.postgresql.util.PSQLException: FATAL login failed for jdbc:postgresql://app:TOP-SECRET-3@db:5432/shop password=TOP-SECRET-4' }],
            type: 'source',
          });
        case '/connectors/pg':
          return json(res, 200, { name: 'pg', config, tasks: [{ connector: 'pg', task: 0 }], type: 'source' });
        case '/connectors/s3/status':
          return json(res, 200, { name: 's3', connector: { state: 'PAUSED', worker_id: 'w1:8083' }, tasks: [{ id: 1, state: 'PAUSED', worker_id: 'w1:8083' }, { id: 0, state: 'PAUSED', worker_id: 'w2:8083' }], type: 'sink' });
        case '/connectors/s3':
          return json(res, 200, { name: 's3', config: sinkConfig, tasks: [], type: 'sink' });
        default:
          return json(res, 404, { error_code: 404, message: 'HTTP 404 Not Found' });
      }
    };
    const cluster = await readConnectCluster(`${base}/`);
    expect(cluster.version).toBe('2.2.0');
    expect(cluster.connectors).toEqual([
      {
        name: 'pg',
        type: 'source',
        state: 'RUNNING',
        workerId: 'w1:8083',
        tasks: [{ id: 0, state: 'FAILED', workerId: 'w2:8083', trace: 'org.postgresql.util.PSQLException: FATAL login failed for jdbc:postgresql://app:****@db:5432/shop password=****' }],
        topics: [],
        topicsFromConfig: [],
        topicsRegex: null,
        connectorClass: 'io.debezium.connector.postgresql.PostgresConnector',
        externalSystem: 'Debezium PostgreSQL',
      },
      {
        name: 's3',
        type: 'sink',
        state: 'PAUSED',
        workerId: 'w1:8083',
        tasks: [
          { id: 0, state: 'PAUSED', workerId: 'w2:8083', trace: null },
          { id: 1, state: 'PAUSED', workerId: 'w1:8083', trace: null },
        ],
        topics: [],
        topicsFromConfig: ['a', 'b', 'c'],
        topicsRegex: 'audit\\..*',
        connectorClass: 'io.confluent.connect.s3.S3SinkConnector',
        externalSystem: 'S3',
      },
    ]);
    const text = JSON.stringify(cluster);
    expect(text).not.toMatch(/TOP-SECRET|db\.internal/);
  });

  it('tolerates 403 "topic tracking is disabled" on /topics', async () => {
    route = (req, res) => {
      if (req.url === '/') return json(res, 200, { version: '4.3.1' });
      if (req.url?.startsWith('/connectors?')) {
        return json(res, 200, { f: { status: { name: 'f', connector: { state: 'RUNNING', worker_id: 'w' }, tasks: [], type: 'source' }, info: { name: 'f', config: { 'connector.class': 'FileStreamSource', topic: 'lines' }, tasks: [], type: 'source' } } });
      }
      return json(res, 403, { error_code: 403, message: 'Topic tracking is disabled.' });
    };
    const [connector] = (await readConnectCluster(base)).connectors;
    expect(connector).toMatchObject({ name: 'f', topics: [], topicsFromConfig: ['lines'], externalSystem: 'FileStream' });
  });
});

describe('externalSystemOf', () => {
  it.each([
    ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'FileStream'],
    ['FileStreamSink', 'FileStream'],
    ['io.confluent.connect.jdbc.JdbcSinkConnector', 'JDBC'],
    ['io.confluent.connect.s3.S3SinkConnector', 'S3'],
    ['io.debezium.connector.mysql.MySqlConnector', 'Debezium MySQL'],
    ['io.debezium.connector.vitess.VitessConnector', 'Debezium Vitess'],
    ['org.apache.kafka.connect.mirror.MirrorSourceConnector', 'MirrorMaker 2'],
    ['io.confluent.connect.elasticsearch.ElasticsearchSinkConnector', 'Elasticsearch'],
    ['com.mongodb.kafka.connect.MongoSinkConnector', 'MongoDB'],
    ['com.snowflake.kafka.connector.SnowflakeSinkConnector', 'Snowflake'],
    [null, null],
    ['jdbc:postgresql://u:p@h/db', null], // not a class name: never echoed
  ])('%s -> %s', (connectorClass, label) => {
    expect(externalSystemOf(connectorClass)).toBe(label);
  });
});

describe('redactTrace', () => {
  it('masks URL passwords and key=value secrets, and leaves the rest', () => {
    expect(redactTrace('at x (Foo.java:1) url=https://bob:pw1@h:443/p token: abc "password":"q"')).toBe('at x (Foo.java:1) url=https://bob:****@h:443/p token: **** "password":"****"');
  });
});
