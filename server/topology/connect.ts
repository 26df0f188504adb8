/**
 * Kafka Connect as a topology source (research/lineage.md §4.3): its REST API names every connector, its type,
 * state, tasks (with the worker each runs on) and, since Kafka 2.5 (KIP-558), the topics it actually used. A source
 * connector is a writer of its topics; a sink connector reads its topics through the group `connect-<name>`
 * (unless consumer.override.group.id says otherwise).
 *
 * Connector configs often hold passwords, so only a short whitelist of keys is ever read from them, and nothing
 * else of a config leaves this module.
 */

export interface ConnectTask {
  id: number;
  /** RUNNING, PAUSED, FAILED, UNASSIGNED, RESTARTING, ... */
  state: string;
  workerId: string | null;
  /** The stack trace of a FAILED task, as Connect reports it. */
  trace: string | null;
}

export interface ConnectConnector {
  name: string;
  type: 'source' | 'sink' | 'unknown';
  /** RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING, ... */
  state: string;
  workerId: string | null;
  tasks: ConnectTask[];
  /** KIP-558 active topics (GET /connectors/{name}/topics): the topics it really used. [] when unsupported or disabled. */
  topics: string[];
  /**
   * Topics named by the config: a sink's `topics` list; for a source connector the `topic` / `kafka.topic` keys that
   * single-topic connectors use (hints only: many source connectors derive names, e.g. Debezium's topic.prefix).
   */
  topicsFromConfig: string[];
  /** A sink's `topics.regex`, kept as the pattern it is. */
  topicsRegex: string | null;
  connectorClass: string | null;
  /** A short label for the system on the other side, derived from connector.class only ("JDBC", "S3", ...). */
  externalSystem: string | null;
}

export interface ConnectCluster {
  connectors: ConnectConnector[];
  /** When the connector list was read (ms since the epoch). */
  observedAt: number;
  /** The worker's Kafka version from GET /; null when it does not say. */
  version: string | null;
}

export interface ReadConnectOptions {
  /** Per request. Default 5 s. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export type ConnectErrorKind = 'unreachable' | 'unauthorized' | 'http' | 'not-connect';

/** Reading a Connect cluster failed; the message says what to check. */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  constructor(
    readonly kind: ConnectErrorKind,
    /** The base URL, credentials removed. */
    readonly url: string,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 5_000;
/** Per-connector /topics requests in flight at once: enough to be quick, few enough not to load a busy worker. */
const TOPICS_CONCURRENCY = 8;
const CONFIG_HINT = 'check connectUrl in the config';

/** Reads every connector of one Connect cluster through its REST API (any worker answers for the whole cluster). */
export async function readConnectCluster(baseUrl: string, opts: ReadConnectOptions = {}): Promise<ConnectCluster> {
  const client = new ConnectClient(baseUrl, opts);
  const root = await client.get('/');
  const version = isRecord(root.body) && typeof root.body.version === 'string' ? root.body.version : null;

  const listed = await client.get('/connectors?expand=status&expand=info');
  const observedAt = Date.now();
  let entries: { name: string; status: unknown; info: unknown }[];
  if (isRecord(listed.body)) {
    entries = Object.entries(listed.body).map(([name, value]) => ({ name, status: isRecord(value) ? value.status : undefined, info: isRecord(value) ? value.info : undefined }));
  } else if (Array.isArray(listed.body)) {
    // Before Kafka 2.3 (KIP-465) `expand` is ignored and the answer is the bare list of names: ask per connector.
    const names = listed.body.filter((n): n is string => typeof n === 'string');
    entries = await mapLimit(names, TOPICS_CONCURRENCY, async (name) => ({
      name,
      status: (await client.getOptional(`/connectors/${encodeURIComponent(name)}/status`))?.body,
      info: (await client.getOptional(`/connectors/${encodeURIComponent(name)}`))?.body,
    }));
  } else {
    throw client.notConnect('/connectors', 'a JSON object or array');
  }

  const connectors = await mapLimit(entries, TOPICS_CONCURRENCY, async (entry) => {
    const connector = toConnector(entry.name, entry.status, entry.info);
    connector.topics = await readActiveTopics(client, entry.name);
    return connector;
  });
  connectors.sort((a, b) => a.name.localeCompare(b.name));
  return { connectors, observedAt, version };
}

/** KIP-558. 404/405 on Connect < 2.5, 403 when topic.tracking.enable=false: then there is nothing to read. */
async function readActiveTopics(client: ConnectClient, name: string): Promise<string[]> {
  const answer = await client.getOptional(`/connectors/${encodeURIComponent(name)}/topics`, [403, 404, 405]);
  if (!answer || !isRecord(answer.body)) return [];
  const entry = answer.body[name];
  const topics = isRecord(entry) ? entry.topics : undefined;
  return Array.isArray(topics) ? [...new Set(topics.filter((t): t is string => typeof t === 'string'))].sort() : [];
}

function toConnector(name: string, status: unknown, info: unknown): ConnectConnector {
  const s = isRecord(status) ? status : {};
  const i = isRecord(info) ? info : {};
  const connectorState = isRecord(s.connector) ? s.connector : {};
  // Only these keys are ever read; the rest of the config (connection strings, passwords) is never touched.
  const config = isRecord(i.config) ? i.config : {};
  const key = (k: string) => (typeof config[k] === 'string' && config[k] ? (config[k] as string) : null);
  const rawType = s.type ?? i.type;
  const type = rawType === 'source' || rawType === 'sink' ? rawType : 'unknown';
  const connectorClass = key('connector.class');

  let topicsFromConfig: string[] = [];
  let topicsRegex: string | null = null;
  if (type === 'sink') {
    topicsFromConfig = splitList(key('topics'));
    topicsRegex = key('topics.regex');
  } else if (type === 'source') {
    // A source connector's `topics` key is no topic list (MirrorMaker 2: a list of regexes to copy), so it is skipped.
    topicsFromConfig = [...new Set([...splitList(key('topic')), ...splitList(key('kafka.topic'))])];
  }

  const tasks: ConnectTask[] = (Array.isArray(s.tasks) ? s.tasks : [])
    .filter(isRecord)
    .map((t) => ({
      id: typeof t.id === 'number' ? t.id : Number(t.id),
      state: typeof t.state === 'string' ? t.state : 'UNKNOWN',
      workerId: typeof t.worker_id === 'string' ? t.worker_id : null,
      trace: typeof t.trace === 'string' ? redactTrace(t.trace) : null,
    }))
    .sort((a, b) => a.id - b.id);

  return {
    name,
    type,
    state: typeof connectorState.state === 'string' ? connectorState.state : 'UNKNOWN',
    workerId: typeof connectorState.worker_id === 'string' ? connectorState.worker_id : null,
    tasks,
    topics: [],
    topicsFromConfig,
    topicsRegex,
    connectorClass,
    externalSystem: externalSystemOf(connectorClass),
  };
}

/**
 * A failed task's stack trace can quote what the connector was given (a JDBC URL with its password, a "password=..."
 * pair); mask the usual shapes. A best effort, not a guarantee: the trace is the worker's own text.
 */
export function redactTrace(trace: string): string {
  return trace
    .replace(/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1****@')
    .replace(/((?:password|passwd|pwd|secret|token|api[._-]?key|credentials?)["']?\s*[=:]\s*["']?)[^\s"',;&)]+/gi, '$1****');
}

function splitList(value: string | null): string[] {
  return value ? value.split(',').map((t) => t.trim()).filter(Boolean) : [];
}

/** Well-known connector classes whose simple name reads poorly as a label. Checked in order against the full class. */
const KNOWN_SYSTEMS: [RegExp, string][] = [
  [/^io\.debezium\.connector\.postgresql\./, 'Debezium PostgreSQL'],
  [/^io\.debezium\.connector\.mysql\./, 'Debezium MySQL'],
  [/^io\.debezium\.connector\.mariadb\./, 'Debezium MariaDB'],
  [/^io\.debezium\.connector\.mongodb\./, 'Debezium MongoDB'],
  [/^io\.debezium\.connector\.sqlserver\./, 'Debezium SQL Server'],
  [/^io\.debezium\.connector\.oracle\./, 'Debezium Oracle'],
  [/^io\.debezium\.connector\.db2\./, 'Debezium Db2'],
  [/^io\.debezium\.connector\.jdbc\./, 'Debezium JDBC'],
  [/^io\.debezium\.connector\.(\w+)\./, 'Debezium'],
  [/^org\.apache\.kafka\.connect\.mirror\./, 'MirrorMaker 2'],
  [/(^|\.)Jdbc(Source|Sink)Connector$/, 'JDBC'],
  [/(^|\.)Hdfs3?(Source|Sink)Connector$/, 'HDFS'],
  [/^com\.mongodb\.kafka\.connect\./, 'MongoDB'],
  [/(^|\.)(Mongo|MongoDb)(Source|Sink)?Connector$/, 'MongoDB'],
  [/(^|\.)Gcs(Source|Sink)Connector$/, 'GCS'],
  [/(^|\.)Http(Source|Sink)Connector$/, 'HTTP'],
];

/**
 * A short label for the external system, from the connector class alone (never from config values, which may hold
 * hosts and credentials). Known classes map to a curated name; otherwise the simple class name without its
 * Source/Sink/Connector suffix: "io.confluent.connect.s3.S3SinkConnector" -> "S3", alias "FileStreamSource" -> "FileStream".
 */
export function externalSystemOf(connectorClass: string | null): string | null {
  if (!connectorClass || !/^[\w.$]{1,200}$/.test(connectorClass)) return null;
  for (const [pattern, label] of KNOWN_SYSTEMS) {
    if (pattern.test(connectorClass)) {
      if (label === 'Debezium') return `Debezium ${capitalise(pattern.exec(connectorClass)![1]!)}`;
      return label;
    }
  }
  const simple = connectorClass.slice(connectorClass.lastIndexOf('.') + 1).replace(/\$.*$/, '');
  const label = simple.replace(/(Source|Sink)?(Connector)?$/, '');
  return label || simple || null;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

// ---- HTTP -------------------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: unknown;
}

/** GETs JSON from one Connect REST base URL; every failure becomes a ConnectError that says what to check. */
class ConnectClient {
  readonly #base: URL;
  readonly #shown: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(baseUrl: string, opts: ReadConnectOptions) {
    let url: URL;
    try {
      url = new URL(baseUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      throw new ConnectError('unreachable', baseUrl, `Kafka Connect URL "${baseUrl}" is not an http(s) URL such as http://connect:8083: ${CONFIG_HINT}.`);
    }
    this.#headers = { accept: 'application/json' };
    // fetch refuses URLs with credentials; `http://user:password@host:8083` means HTTP basic auth (Connect's JAAS login).
    if (url.username || url.password) {
      this.#headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    url.search = '';
    url.hash = '';
    this.#base = url;
    this.#shown = url.toString().replace(/\/$/, '');
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#fetch = opts.fetchImpl ?? fetch;
  }

  /** A 2xx JSON answer, or a ConnectError. */
  async get(path: string): Promise<Answer> {
    const answer = await this.#request(path);
    if (answer.status >= 200 && answer.status < 300) return { status: answer.status, body: this.#json(path, answer) };
    throw this.#httpError(path, answer);
  }

  /** Like get, but a 404 (or any status in `tolerated`) is "not there" (undefined) instead of an error. */
  async getOptional(path: string, tolerated: readonly number[] = [404]): Promise<Answer | undefined> {
    const answer = await this.#request(path);
    if (tolerated.includes(answer.status)) return undefined;
    if (answer.status >= 200 && answer.status < 300) return { status: answer.status, body: this.#json(path, answer) };
    throw this.#httpError(path, answer);
  }

  notConnect(path: string, expected: string): ConnectError {
    return new ConnectError('not-connect', this.#shown, `Kafka Connect at ${this.#shown} answered GET ${path} with JSON that is not ${expected}: is it the Kafka Connect REST API (default port 8083)? ${capitalise(CONFIG_HINT)}.`);
  }

  async #request(path: string): Promise<{ status: number; statusText: string; contentType: string; text: string }> {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    try {
      const fetchImpl = this.#fetch; // called unbound: some fetch implementations reject a foreign `this`
      const response = await fetchImpl(url, { headers: this.#headers, signal: AbortSignal.timeout(this.#timeoutMs), redirect: 'follow' });
      const text = await response.text();
      return { status: response.status, statusText: response.statusText, contentType: response.headers.get('content-type') ?? '', text };
    } catch (err) {
      const cause = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError') ? `no answer within ${this.#timeoutMs} ms` : causeText(err);
      throw new ConnectError('unreachable', this.#shown, `Kafka Connect at ${this.#shown} is unreachable (${cause}): ${CONFIG_HINT}.`);
    }
  }

  #json(path: string, answer: { contentType: string; text: string }): unknown {
    try {
      return JSON.parse(answer.text);
    } catch {
      const type = answer.contentType ? answer.contentType.split(';')[0] : 'no content type';
      throw new ConnectError('not-connect', this.#shown, `Kafka Connect at ${this.#shown} answered GET ${path} with something that is not JSON (${type}): is it the Kafka Connect REST API (default port 8083)? ${capitalise(CONFIG_HINT)}.`);
    }
  }

  #httpError(path: string, answer: { status: number; statusText: string; text: string }): ConnectError {
    const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
    if (answer.status === 401 || answer.status === 403) {
      return new ConnectError(
        'unauthorized',
        this.#shown,
        `Kafka Connect at ${this.#shown} refused GET ${path} (${status}): its REST API needs credentials or a role that may read connectors. ` +
          `Put a user with read access in connectUrl (http://user:password@host:8083) or allow Topolog's address.`,
      );
    }
    // Connect's error body is {"error_code": ..., "message": ...}; a proxy's is HTML, which says nothing useful.
    let detail = '';
    try {
      const body = JSON.parse(answer.text) as unknown;
      if (isRecord(body) && typeof body.message === 'string') detail = `: ${body.message.slice(0, 300)}`;
    } catch {
      // not JSON
    }
    const hint = answer.status === 404 ? `is it the Kafka Connect REST API (default port 8083)? ${capitalise(CONFIG_HINT)}` : 'see the Connect worker log';
    return new ConnectError('http', this.#shown, `Kafka Connect at ${this.#shown} answered GET ${path} with ${status}${detail}; ${hint}.`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** fetch's "fetch failed" hides the real cause (ECONNREFUSED, ENOTFOUND, a TLS error); dig it out. */
function causeText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    // fetch (like browsers) refuses a fixed list of ports, e.g. 1, 6000, 6665-6669, 10080.
    if (cause.message === 'bad port') return 'fetch refuses to use this port';
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return err.message;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
