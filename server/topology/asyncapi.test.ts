import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsyncApiLoadError, loadAsyncApiDocument, loadAsyncApiDocuments, type DeclaredEdge } from './asyncapi';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/asyncapi/${name}`, import.meta.url));
const V2_YAML = fixture('user-service.asyncapi-2.6.yaml');
const V3_JSON = fixture('order-service.asyncapi-3.0.json');
const V3_YAML = fixture('inventory.asyncapi-3.0.yaml');
const INVALID = fixture('invalid.asyncapi-3.0.yaml');

// The parser validates with a full JSON Schema + Spectral ruleset: a first parse takes up to a second or two.
const SLOW = 20_000;

function edge(partial: Partial<DeclaredEdge> & Pick<DeclaredEdge, 'service' | 'direction' | 'document'>): DeclaredEdge {
  return { topic: null, topicPattern: null, declaredTopic: null, groupId: null, clientId: null, operationId: null, ...partial };
}

describe('loadAsyncApiDocument', () => {
  it('reads a 2.6 YAML document with the inverted 2.x actions: subscribe = produces, publish = consumes', { timeout: SLOW }, async () => {
    const doc = await loadAsyncApiDocument(V2_YAML);
    const base = { service: 'user-service', document: V2_YAML } as const;
    expect(doc).toEqual({
      source: V2_YAML,
      service: 'user-service', // from the root id urn:com:example:user-service
      asyncapiVersion: '2.6.0',
      edges: [
        edge({ ...base, direction: 'produces', topic: 'user.signedup', declaredTopic: 'user.signedup', clientId: 'user-service-producer', operationId: 'publishUserSignedUp' }),
        edge({
          ...base,
          direction: 'consumes',
          topicPattern: '^user\\.[A-Za-z0-9_-]+\\.commands$',
          declaredTopic: 'user.{userId}.commands',
          groupId: 'user-service', // enum[0]
          clientId: 'user-service-consumer', // default
          operationId: 'onUserCommand',
        }),
        // The channel's kafka binding names the real topic; no operationId in the document.
        edge({ ...base, direction: 'produces', topic: 'audit.events.v1', declaredTopic: 'audit.events.v1' }),
      ],
    });
  });

  it('reads a 3.0 JSON document: x-service names it, non-Kafka channels are skipped, replies flow back', { timeout: SLOW }, async () => {
    const doc = await loadAsyncApiDocument(V3_JSON);
    const base = { service: 'orders', document: V3_JSON } as const;
    expect(doc.service).toBe('orders');
    expect(doc.asyncapiVersion).toBe('3.0.0');
    expect(doc.edges).toEqual([
      edge({
        ...base,
        direction: 'produces',
        topicPattern: '^orders\\.(?:eu|us-east)\\.created$', // an enum parameter becomes exactly its values
        declaredTopic: 'orders.{region}.created',
        clientId: 'order-service-producer', // const
        operationId: 'publishOrderCreated',
      }),
      edge({
        ...base,
        direction: 'consumes',
        topic: 'payments.completed.v2', // bindings.kafka.topic wins over the address payments.completed
        declaredTopic: 'payments.completed.v2',
        groupId: 'order-service',
        clientId: 'order-service-consumer',
        operationId: 'onPaymentCompleted',
      }),
      edge({ ...base, direction: 'consumes', operationId: 'onAnyOrder' }), // address: null -> topic unknown
      // sendEmail is on an AMQP-only channel: no edge.
      edge({ ...base, direction: 'consumes', topic: 'quotes.requests', declaredTopic: 'quotes.requests', operationId: 'answerQuote' }),
      edge({ ...base, direction: 'produces', topic: 'quotes.replies', declaredTopic: 'quotes.replies', operationId: 'answerQuote' }),
    ]);
  });

  it('reads a 3.0 YAML document without servers or id: every channel counts, the title names the service', { timeout: SLOW }, async () => {
    const doc = await loadAsyncApiDocument(V3_YAML);
    const base = { service: 'Inventory Service', document: V3_YAML } as const;
    expect(doc.edges).toEqual([
      edge({ ...base, direction: 'produces', topicPattern: '^inventory\\.stock\\.[A-Za-z0-9_-]+\\.changed$', declaredTopic: 'inventory.stock.{warehouse}.changed', operationId: 'publishStockChanged' }),
      edge({ ...base, direction: 'consumes', topic: 'orders.eu.created', declaredTopic: 'orders.eu.created', groupId: 'inventory', operationId: 'onOrderCreated' }),
    ]);
  });

  it('builds patterns that match the concrete topics and nothing else', { timeout: SLOW }, async () => {
    const [orders, inventory] = await Promise.all([loadAsyncApiDocument(V3_JSON), loadAsyncApiDocument(V3_YAML)]);
    const ordersPattern = new RegExp(orders.edges[0]!.topicPattern!);
    expect(['orders.eu.created', 'orders.us-east.created'].filter((t) => ordersPattern.test(t))).toHaveLength(2);
    expect(['orders.asia.created', 'orders.eu.created.dlq', 'xorders.eu.created', 'orders.euXcreated'].some((t) => ordersPattern.test(t))).toBe(false);
    const stockPattern = new RegExp(inventory.edges[0]!.topicPattern!);
    expect(stockPattern.test('inventory.stock.w-17.changed')).toBe(true);
    expect(stockPattern.test('inventory.stock.eu.w17.changed')).toBe(false); // a parameter is one segment
    expect(stockPattern.test('inventory.stock..changed')).toBe(false);
  });

  it('rejects an invalid document with its first errors, their paths and lines', { timeout: SLOW }, async () => {
    const err = await loadAsyncApiDocument(INVALID).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AsyncApiLoadError);
    expect((err as Error).message).toBe(
      `AsyncAPI document ${INVALID} is invalid (2 errors): ` +
        '/info (line 3): "info" property must have required property "version"; ' +
        '/operations/emitThing/action (line 10): "action" property must be equal to one of the allowed values: "send", "receive". ' +
        'Fix the document (`npx @asyncapi/cli validate <file>` lists every problem).',
    );
  });

  it('says so when the text is not an AsyncAPI document at all', { timeout: SLOW }, async () => {
    const { errors } = await loadAsyncApiDocuments([fixture('../../../../package.json')]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/is invalid \(1 error\): \(document\)(?: \(line \d+\))?: This is not an AsyncAPI document/);
  });

  it('names a missing file and where relative paths resolve from', async () => {
    await expect(loadAsyncApiDocument('docs/no-such-asyncapi.yaml')).rejects.toThrow(
      `AsyncAPI document docs/no-such-asyncapi.yaml (${process.cwd()}/docs/no-such-asyncapi.yaml) does not exist: check the path (a relative path resolves from ${process.cwd()}).`,
    );
    await expect(loadAsyncApiDocument(fixture(''))).rejects.toThrow(/is a directory: list the document file itself/);
  });
});

describe('loadAsyncApiDocument over HTTP (a real local server)', () => {
  let server: Server;
  let base: string;
  let closedPort: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/private/orders.json' && req.headers.authorization !== `Basic ${Buffer.from('reader:s3cret').toString('base64')}`) {
        res.writeHead(401, { 'www-authenticate': 'Basic' }).end();
      } else if (req.url === '/orders.json' || req.url === '/private/orders.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(readFileSync(V3_JSON));
      } else if (req.url === '/slow.yaml') {
        setTimeout(() => res.writeHead(200).end(readFileSync(V3_YAML)), 2_000);
      } else {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A port that was free a moment ago: nothing listens there, so connecting is refused.
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('loads a document from a URL', { timeout: SLOW }, async () => {
    const doc = await loadAsyncApiDocument(`${base}/orders.json`);
    expect(doc.source).toBe(`${base}/orders.json`);
    expect(doc.edges.map((e) => [e.direction, e.topic ?? e.topicPattern])).toEqual([
      ['produces', '^orders\\.(?:eu|us-east)\\.created$'],
      ['consumes', 'payments.completed.v2'],
      ['consumes', null],
      ['consumes', 'quotes.requests'],
      ['produces', 'quotes.replies'],
    ]);
  });

  it('sends URL credentials as basic auth and never shows them', { timeout: SLOW }, async () => {
    const doc = await loadAsyncApiDocument(`http://reader:s3cret@127.0.0.1:${new URL(base).port}/private/orders.json`);
    expect(doc.source).toBe(`${base}/private/orders.json`);
    expect(doc.edges.every((e) => e.document === `${base}/private/orders.json`)).toBe(true);

    const { errors } = await loadAsyncApiDocuments([`http://reader:wrong@127.0.0.1:${new URL(base).port}/private/orders.json`]);
    expect(errors).toEqual([
      {
        source: `${base}/private/orders.json`,
        message: `AsyncAPI document ${base}/private/orders.json answered HTTP 401 Unauthorized: the server wants credentials: put them in the URL (https://user:password@host/...) or serve the document without authentication.`,
      },
    ]);
  });

  it('turns HTTP errors, refused connections and timeouts into messages that say what to check', async () => {
    await expect(loadAsyncApiDocument(`${base}/missing.yaml`)).rejects.toThrow(`AsyncAPI document ${base}/missing.yaml answered HTTP 404 Not Found: check the URL.`);
    await expect(loadAsyncApiDocument(`http://127.0.0.1:${closedPort}/x.yaml`)).rejects.toThrow(
      new RegExp(`^AsyncAPI document http://127\\.0\\.0\\.1:${closedPort}/x\\.yaml is unreachable \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${closedPort}\\): check the URL`),
    );
    await expect(loadAsyncApiDocument(`${base}/slow.yaml`, { timeoutMs: 200 })).rejects.toThrow(
      `AsyncAPI document ${base}/slow.yaml is unreachable (no answer within 200 ms): check the URL and that this machine can reach it.`,
    );
  });
});

describe('loadAsyncApiDocuments', () => {
  it('keeps the good documents in order and reports each bad one without throwing', { timeout: SLOW }, async () => {
    const missing = fixture('missing.yaml');
    const result = await loadAsyncApiDocuments([V3_JSON, INVALID, missing, V2_YAML]);
    expect(result.documents.map((d) => [d.service, d.asyncapiVersion, d.edges.length])).toEqual([
      ['orders', '3.0.0', 5],
      ['user-service', '2.6.0', 3],
    ]);
    expect(result.errors.map((e) => e.source)).toEqual([INVALID, missing]);
    expect(result.errors[0]!.message).toMatch(/is invalid \(2 errors\)/);
    expect(result.errors[1]!.message).toMatch(/does not exist: check the path/);
  });

  it('returns nothing for no sources', async () => {
    expect(await loadAsyncApiDocuments([])).toEqual({ documents: [], errors: [] });
  });
});
