import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChannelInterface, Diagnostic, OperationInterface, Parser } from '@asyncapi/parser';

/**
 * Declared topology from AsyncAPI documents (research/lineage.md §4.1). One document describes one application;
 * each of its operations on a Kafka channel becomes a declared edge. Edges come only from an application's OWN
 * document: the spec warns against deriving a receiver from a sender's document, so nothing is inferred across
 * documents here. Joining declared edges with observed ones is the graph builder's job.
 */

export interface DeclaredEdge {
  /** The application: the document's `x-service` extension, else the last segment of its root `id`, else info.title. */
  service: string;
  /** AsyncAPI 3 meaning for every version: `send` = produces, `receive` = consumes (2.x `subscribe`/`publish` are inverted). */
  direction: 'produces' | 'consumes';
  /** The Kafka topic: the channel's kafka binding `topic`, else its address. null when unknown or parameterised. */
  topic: string | null;
  /**
   * For a parameterised address such as `orders.{region}.created`: a RegExp source anchored `^...$` that matches the
   * concrete topic names (`topic` is null then). A parameter with an `enum` becomes exactly those values; any other
   * parameter becomes `[A-Za-z0-9_-]+`, i.e. one dot-separated segment of legal topic characters, because Kafka
   * naming conventions use `.` between segments and a parameter stands for one of them.
   */
  topicPattern: string | null;
  /** The topic as the document writes it (binding topic, else channel address; `{param}` templates kept), for display. */
  declaredTopic: string | null;
  /** The kafka operation binding's groupId schema: `const`, else `enum[0]`, else `default`. */
  groupId: string | null;
  /** The kafka operation binding's clientId schema, read the same way. */
  clientId: string | null;
  /** The source path or URL (credentials removed), for the evidence detail. */
  document: string;
  operationId: string | null;
}

export interface DeclaredDocument {
  source: string;
  service: string;
  asyncapiVersion: string;
  edges: DeclaredEdge[];
}

export interface LoadOptions {
  /** For URLs: how long to wait for the whole response. Default 10 s. */
  timeoutMs?: number;
}

/** A document that could not be read or is not valid AsyncAPI. The message says what to fix. */
export class AsyncApiLoadError extends Error {
  override readonly name = 'AsyncApiLoadError';
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** How many validation errors a message lists; the rest are counted. */
const MAX_LISTED_DIAGNOSTICS = 3;
/** One dot-separated segment of legal Kafka topic characters ([a-zA-Z0-9._-] minus the separator). */
const PARAMETER_SEGMENT = '[A-Za-z0-9_-]+';

/** Reads, validates and normalises one AsyncAPI 2.x or 3.x document (YAML or JSON, a file path or an http(s) URL). */
export async function loadAsyncApiDocument(source: string, opts: LoadOptions = {}): Promise<DeclaredDocument> {
  return loadWith(await createParser(), source, opts);
}

/**
 * Loads every document; one that cannot be read or is invalid becomes an entry in `errors` instead of failing the
 * others. Documents keep the order of `sources`.
 */
export async function loadAsyncApiDocuments(
  sources: readonly string[],
  opts: LoadOptions = {},
): Promise<{ documents: DeclaredDocument[]; errors: { source: string; message: string }[] }> {
  const documents: DeclaredDocument[] = [];
  const errors: { source: string; message: string }[] = [];
  if (sources.length === 0) return { documents, errors };
  // One parser per batch: a $ref shared by several documents is fetched once, and the next batch fetches afresh.
  const parser = await createParser();
  const results = await Promise.allSettled(sources.map((source) => loadWith(parser, source, opts)));
  results.forEach((result, i) => {
    const source = sources[i]!;
    if (result.status === 'fulfilled') documents.push(result.value);
    else errors.push({ source: displaySource(source), message: errorMessage(result.reason, source) });
  });
  return { documents, errors };
}

async function createParser(): Promise<Parser> {
  // Loaded on first use: the parser and its validator are large, and most setups declare no documents.
  const { Parser } = await import('@asyncapi/parser');
  return new Parser();
}

async function loadWith(parser: Parser, source: string, opts: LoadOptions): Promise<DeclaredDocument> {
  const shown = displaySource(source);
  const { text, location } = isHttpUrl(source) ? await fetchText(source, shown, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) : await readText(source);

  let output;
  try {
    // `source` lets relative $refs resolve next to the document.
    output = await parser.parse(text, { source: location });
  } catch (err) {
    throw new AsyncApiLoadError(shown, `AsyncAPI document ${shown} could not be parsed: ${errorText(err)}. Fix the document.`);
  }
  const { document, diagnostics } = output;
  if (!document) throw new AsyncApiLoadError(shown, invalidMessage(shown, diagnostics));

  const service = serviceName(document);
  const edges: DeclaredEdge[] = [];
  for (const op of document.operations().all()) {
    const operationId = op.operationId() ?? null;
    const direction = op.isSend() ? 'produces' : op.isReceive() ? 'consumes' : null;
    if (!direction) continue;
    const binding = kafkaBinding(op);
    const ids = { groupId: schemaString(binding?.groupId), clientId: schemaString(binding?.clientId) };
    for (const channel of op.channels().all()) {
      if (!isKafkaChannel(channel, op)) continue;
      edges.push({ service, direction, ...channelTopic(channel), ...ids, document: shown, operationId });
    }
    // AsyncAPI 3 request/reply: the reply flows the other way, on the reply channel, with the same client.
    const replyChannel = op.reply()?.channel();
    if (replyChannel && isKafkaChannel(replyChannel, op)) {
      const replyDirection = direction === 'produces' ? 'consumes' : 'produces';
      edges.push({ service, direction: replyDirection, ...channelTopic(replyChannel), ...ids, document: shown, operationId });
    }
  }
  return { source: shown, service, asyncapiVersion: document.version(), edges };
}

type AsyncApiDocument = NonNullable<Awaited<ReturnType<Parser['parse']>>['document']>;

function serviceName(document: AsyncApiDocument): string {
  const extension = document.extensions().get('x-service')?.value<unknown>();
  if (typeof extension === 'string' && extension.trim()) return extension.trim();
  const id = document.info().id();
  if (id) {
    // Root ids are URIs ("urn:com:example:user-service", "https://example.com/apps/orders"): the last segment reads best.
    const last = id.split(/[:/#]/).filter(Boolean).pop();
    if (last) return last;
  }
  return document.info().title();
}

interface KafkaOperationBinding {
  groupId?: unknown;
  clientId?: unknown;
}

function kafkaBinding(op: OperationInterface): KafkaOperationBinding | undefined {
  return op.bindings().get('kafka')?.value<KafkaOperationBinding>();
}

/**
 * Only Kafka flows matter. A channel counts when it or the operation has a kafka binding, when one of its servers
 * speaks a kafka protocol (kafka, kafka-secure), or when the document declares no servers at all (it does not say
 * which broker it uses, so the benefit of the doubt goes to the only broker Topolog knows).
 */
function isKafkaChannel(channel: ChannelInterface, op: OperationInterface): boolean {
  if (channel.bindings().has('kafka') || op.bindings().has('kafka')) return true;
  const servers = channel.servers().all();
  return servers.length === 0 || servers.some((s) => /^kafka/i.test(s.protocol()));
}

function channelTopic(channel: ChannelInterface): Pick<DeclaredEdge, 'topic' | 'topicPattern' | 'declaredTopic'> {
  const bindingTopic = channel.bindings().get('kafka')?.value<{ topic?: unknown }>().topic;
  const address = typeof bindingTopic === 'string' && bindingTopic ? bindingTopic : (channel.address() ?? null);
  if (!address) return { topic: null, topicPattern: null, declaredTopic: null };
  if (!/\{[^}]+\}/.test(address)) return { topic: address, topicPattern: null, declaredTopic: address };

  const choices = new Map<string, string>();
  for (const parameter of channel.parameters().all()) {
    const values = parameter.schema()?.enum();
    if (Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string' && v)) {
      choices.set(parameter.id(), `(?:${(values as string[]).map(escapeRegExp).join('|')})`);
    }
  }
  let pattern = '^';
  let last = 0;
  for (const match of address.matchAll(/\{([^}]+)\}/g)) {
    pattern += escapeRegExp(address.slice(last, match.index)) + (choices.get(match[1]!) ?? PARAMETER_SEGMENT);
    last = match.index + match[0].length;
  }
  pattern += `${escapeRegExp(address.slice(last))}$`;
  return { topic: null, topicPattern: pattern, declaredTopic: address };
}

/** A kafka binding id is a JSON Schema ({ const } / { enum: [...] } / { default }); a bare string is tolerated. */
function schemaString(value: unknown): string | null {
  if (typeof value === 'string') return value || null;
  if (!value || typeof value !== 'object') return null;
  const schema = value as { const?: unknown; enum?: unknown; default?: unknown };
  if (typeof schema.const === 'string') return schema.const;
  if (Array.isArray(schema.enum) && typeof schema.enum[0] === 'string') return schema.enum[0];
  if (typeof schema.default === 'string') return schema.default;
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---- reading --------------------------------------------------------------------------------------------------

function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The source as shown in messages and evidence: URL credentials (user:password@) never leave this module. */
function displaySource(source: string): string {
  if (!isHttpUrl(source)) return source;
  try {
    const url = new URL(source);
    if (!url.username && !url.password) return source;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return source;
  }
}

async function readText(source: string): Promise<{ text: string; location: string }> {
  const path = source.startsWith('file:') ? fileURLToPath(source) : resolvePath(source);
  try {
    return { text: await readFile(path, 'utf8'), location: path };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const where = path === source ? source : `${source} (${path})`;
    if (code === 'ENOENT') throw new AsyncApiLoadError(source, `AsyncAPI document ${where} does not exist: check the path (a relative path resolves from ${process.cwd()}).`);
    if (code === 'EISDIR') throw new AsyncApiLoadError(source, `AsyncAPI document ${where} is a directory: list the document file itself.`);
    if (code === 'EACCES' || code === 'EPERM') throw new AsyncApiLoadError(source, `AsyncAPI document ${where} cannot be read (permission denied): make it readable by the user running Topolog.`);
    throw new AsyncApiLoadError(source, `AsyncAPI document ${where} cannot be read: ${errorText(err)}.`);
  }
}

async function fetchText(source: string, shown: string, timeoutMs: number): Promise<{ text: string; location: string }> {
  // fetch refuses URLs with credentials; send them as HTTP basic auth instead.
  const url = new URL(source);
  const headers: Record<string, string> = { accept: 'application/yaml, application/json, text/yaml, text/plain, */*' };
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (err) {
    const cause = isTimeout(err) ? `no answer within ${timeoutMs} ms` : errorText(err);
    throw new AsyncApiLoadError(shown, `AsyncAPI document ${shown} is unreachable (${cause}): check the URL and that this machine can reach it.`);
  }
  if (!response.ok) {
    const hint =
      response.status === 401 || response.status === 403
        ? 'the server wants credentials: put them in the URL (https://user:password@host/...) or serve the document without authentication'
        : 'check the URL';
    throw new AsyncApiLoadError(shown, `AsyncAPI document ${shown} answered HTTP ${response.status} ${response.statusText}: ${hint}.`);
  }
  return { text, location: url.toString() };
}

function invalidMessage(shown: string, diagnostics: Diagnostic[]): string {
  // Severity 0 is "error"; warnings and hints (missing descriptions, old spec version) do not make a document unusable.
  const errors = diagnostics.filter((d) => d.severity === 0);
  if (errors.length === 0) return `AsyncAPI document ${shown} could not be read as AsyncAPI 2.x or 3.x: check that it is one.`;
  const listed = errors.slice(0, MAX_LISTED_DIAGNOSTICS).map((d) => {
    const path = d.path.length > 0 ? `/${d.path.join('/')}` : '(document)';
    const line = typeof d.range?.start?.line === 'number' ? ` (line ${d.range.start.line + 1})` : '';
    return `${path}${line}: ${d.message}`;
  });
  const more = errors.length > listed.length ? `; and ${errors.length - listed.length} more` : '';
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  return `AsyncAPI document ${shown} is invalid (${count}): ${listed.join('; ')}${more}. Fix the document (\`npx @asyncapi/cli validate <file>\` lists every problem).`;
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/** The most specific text in an error chain: fetch's "fetch failed" hides the real cause (ECONNREFUSED, ENOTFOUND...). */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  // fetch (like browsers) refuses a fixed list of ports, e.g. 1, 6000, 6665-6669, 10080.
  if (cause instanceof Error && cause.message === 'bad port') return 'fetch refuses to use this port; serve it on another one';
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return err.message;
}

function errorMessage(err: unknown, source: string): string {
  if (err instanceof AsyncApiLoadError) return err.message;
  return `AsyncAPI document ${displaySource(source)} could not be loaded: ${errorText(err)}`;
}
