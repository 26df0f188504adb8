/**
 * What a record's headers say about who produced it (lineage.md §3, §3.5, §5.2 weights, §5.5.1 spoofing/copying).
 * Headers are *claims*, not facts: any producer can write them, and Kafka Streams, MirrorMaker 2 and dead-letter
 * republishers copy them from upstream records. Pure: no I/O, never throws on garbage input.
 *
 * Header conventions read here:
 * - CloudEvents Kafka binding, binary mode: `ce_specversion`, `ce_id`, `ce_source`, `ce_type` (+ `ce_causationid`,
 *   `ce_traceparent`); structured mode (`content-type: application/cloudevents…`) is parsed by the caller.
 * - Spring Kafka dead-letter publishing: `kafka_dlt-original-topic|partition|offset|consumer-group`,
 *   `kafka_dlt-exception-fqcn`; Spring JSON type headers `__TypeId__`.
 * - Kafka Connect DLQ context headers `__connect.errors.*` (errors.deadletterqueue.context.headers.enable=true).
 * - Debezium `__debezium.context.connectorName|connectorLogicalName|taskId`.
 * - W3C `traceparent`.
 */
import { matchOverride, serviceFromSource, type IdentityOptions } from './identity';

export interface RecordHeader {
  key: string;
  /** UTF-8 text, or "0x…" hex for binary values, or null. */
  value: string | null;
}

/** CloudEvents structured-mode attributes, parsed from the record value elsewhere. */
export interface StructuredCloudEvent {
  source: string | null;
  type: string | null;
  id: string | null;
}

export interface HeaderOptions extends IdentityOptions {
  /** extra header keys that name the producing service, e.g. ["x-service", "app-name"] (case-insensitive) */
  serviceHeaders?: readonly string[];
}

export type ClaimVia = 'ce_source' | 'ce_source_structured' | 'service_header' | 'debezium' | 'connect_dlq' | 'spring_dlt';

export interface ProducerClaim {
  service: string;
  via: ClaimVia;
  /** The header that carried the claim, as spelled on the record; "source" for a structured CloudEvent. */
  headerKey: string;
  /** The header text the claim was read from (cut to 512 characters). */
  raw: string;
  /** base confidence: framework-written 0.8, app-written 0.6, inherited 0.2 */
  weight: number;
  /** copied from an upstream record (e.g. ce_source kept on a dead-letter record) */
  inherited: boolean;
  kind: 'service' | 'connector';
}

export interface DeadLetterFacts {
  framework: 'spring' | 'connect';
  originalTopic: string | null;
  originalPartition: number | null;
  /** Spring only: the group whose listener failed. Connect DLQ headers do not name the sink's group. */
  originalGroup: string | null;
  /** Connect only: the sink connector that failed. */
  connector: string | null;
  /** Exception class name. */
  exception: string | null;
}

export interface HeaderFacts {
  /** strongest first: weight, then non-inherited, then spring_dlt, connect_dlq, debezium, ce_source, ce_source_structured, service_header */
  claims: ProducerClaim[];
  /** binary = ce_specversion + ce_id + ce_source + ce_type present (binding §3: "probably a CloudEvent") */
  cloudEvents: 'binary' | 'structured' | null;
  /** ce_type (or the structured type) */
  eventType: string | null;
  /** ce_id (or the structured id) */
  eventId: string | null;
  /** ce_causationid (correlation extension): the ce_id of the event that caused this one */
  causationId: string | null;
  /** Spring __TypeId__ */
  typeId: string | null;
  deadLetter: DeadLetterFacts | null;
  /** Debezium __debezium.context.* */
  connector: { name: string; task: string | null; logicalName: string | null } | null;
  /** A well-formed W3C traceparent (or CloudEvents ce_traceparent) is present. */
  traceparent: boolean;
}

/** §5.2: framework-written headers 0.8, app-written 0.6, copied from upstream 0.2. */
export const CLAIM_WEIGHTS = { framework: 0.8, app: 0.6, inherited: 0.2 } as const;

/** Only the first headers are read; a record with more is garbage or an attack. */
const MAX_HEADERS = 512;
/** Hex values longer than this many bytes are not decoded. */
const MAX_DECODE_BYTES = 4096;
/** Text longer than this is not a name, an id or a topic. */
const MAX_TEXT_CHARS = 4096;
const MAX_NAME_CHARS = 255;
const MAX_RAW_CHARS = 512;

const VIA_ORDER: Record<ClaimVia, number> = {
  spring_dlt: 0,
  connect_dlq: 1,
  debezium: 2,
  ce_source: 3,
  ce_source_structured: 4,
  service_header: 5,
};

/**
 * Debezium has written the *plugin* name ("postgresql", "mysql"…) in `__debezium.context.connectorName` in some
 * versions (CdcSourceTaskContext#getConnectorPluginName) and the connector's own name in later ones (DBZ-9020).
 * A plugin name names no connector instance, so the logical name (topic.prefix, unique per connector) is used then.
 */
const DEBEZIUM_PLUGIN_NAMES = new Set([
  'mysql',
  'mariadb',
  'postgresql',
  'postgres',
  'mongodb',
  'sqlserver',
  'oracle',
  'db2',
  'informix',
  'vitess',
  'spanner',
  'cassandra',
  'ibmi',
  'jdbc',
]);

// ---------------------------------------------------------------------------------------------------------------
// Value decoding
// ---------------------------------------------------------------------------------------------------------------

const CONTROL_RE = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const HEX_RE = /^0x(?:[0-9a-fA-F]{2})+$/;

function hexBytes(value: string): Uint8Array | null {
  if (!HEX_RE.test(value) || (value.length - 2) / 2 > MAX_DECODE_BYTES) return null;
  const bytes = new Uint8Array((value.length - 2) / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(value.slice(2 + 2 * i, 4 + 2 * i), 16);
  return bytes;
}

let utf8: TextDecoder | null = null;

/** Readable text of a header value: the text itself, or hex decoded as strict UTF-8; null when it is not text. */
function text(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || value.length > MAX_TEXT_CHARS) return null;
  let out = value;
  if (value.startsWith('0x')) {
    const bytes = hexBytes(value);
    if (bytes) {
      try {
        utf8 ??= new TextDecoder('utf-8', { fatal: true });
        out = utf8.decode(bytes);
      } catch {
        return null;
      }
    }
  }
  if (CONTROL_RE.test(out)) return null;
  out = out.trim();
  return out === '' ? null : out;
}

/** An identifier (ce_id, ce_causationid): readable text, or the value as given when it is not text (e.g. "0x00ff"). */
function idText(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || value.length > MAX_TEXT_CHARS) return null;
  return text(value) ?? (value.trim() === '' ? null : value.trim());
}

/** A plausible service / connector / group name, or null. */
function nameText(value: string | null | undefined): string | null {
  const t = text(value);
  return t !== null && t.length <= MAX_NAME_CHARS ? t : null;
}

function rawText(value: string): string {
  return value.length > MAX_RAW_CHARS ? `${value.slice(0, MAX_RAW_CHARS)}…` : value;
}

function bigEndian(bytes: ArrayLike<number>): number | null {
  if (bytes.length === 4) {
    const b = Array.from(bytes);
    return (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >> 0;
  }
  if (bytes.length === 8) {
    let n = 0n;
    for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(bytes[i] ?? 0);
    if (n >= 1n << 63n) n -= 1n << 64n;
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : null;
  }
  return null;
}

/**
 * A non-negative integer header: decimal text (Connect writes numbers as text), a 4- or 8-byte big-endian integer
 * as "0x…" hex (Spring writes the partition with ByteBuffer.putInt), or the same bytes passed through as
 * Latin-1 characters by a decoder that did not hex them.
 */
function intValue(value: string | null | undefined): number | null {
  if (typeof value !== 'string') return null;
  let n: number | null = null;
  const bytes = hexBytes(value);
  if (bytes && (bytes.length === 4 || bytes.length === 8)) {
    n = bigEndian(bytes);
  } else if (/^\s*-?\d{1,15}\s*$/.test(value)) {
    n = Number(value.trim());
  } else if ((value.length === 4 || value.length === 8) && CONTROL_RE.test(value) && [...value].every((c) => c.charCodeAt(0) < 256)) {
    n = bigEndian([...value].map((c) => c.charCodeAt(0)));
  }
  return n !== null && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Header index
// ---------------------------------------------------------------------------------------------------------------

interface Found {
  key: string;
  value: string | null;
  index: number;
}

/**
 * Kafka allows the same key several times. Here the FIRST occurrence wins (for both exact and case-insensitive
 * look-ups); later duplicates are ignored. Note that Java's Headers#lastHeader picks the last one instead.
 */
class HeaderIndex {
  private readonly exact = new Map<string, Found>();
  private readonly folded = new Map<string, Found>();
  /** Index of the first header whose key starts with each framework prefix. */
  readonly firstSpring: number;
  readonly firstConnect: number;

  constructor(headers: readonly unknown[]) {
    let firstSpring = -1;
    let firstConnect = -1;
    const n = Math.min(headers.length, MAX_HEADERS);
    for (let i = 0; i < n; i++) {
      const h = headers[i] as { key?: unknown; value?: unknown } | null | undefined;
      if (!h || typeof h !== 'object' || typeof h.key !== 'string' || h.key === '' || h.key.length > 256) continue;
      const found: Found = { key: h.key, value: typeof h.value === 'string' ? h.value : null, index: i };
      if (!this.exact.has(h.key)) this.exact.set(h.key, found);
      const lower = h.key.toLowerCase();
      if (!this.folded.has(lower)) this.folded.set(lower, found);
      if (firstSpring < 0 && h.key.startsWith('kafka_dlt-')) firstSpring = i;
      if (firstConnect < 0 && h.key.startsWith('__connect.errors.')) firstConnect = i;
    }
    this.firstSpring = firstSpring;
    this.firstConnect = firstConnect;
  }

  /** Case-sensitive (framework headers). */
  get(key: string): Found | undefined {
    return this.exact.get(key);
  }

  /** Case-insensitive (ce_ and service headers). */
  getCI(key: string): Found | undefined {
    return this.folded.get(key.toLowerCase());
  }
}

// ---------------------------------------------------------------------------------------------------------------
// interpretHeaders
// ---------------------------------------------------------------------------------------------------------------

const TRACEPARENT_RE = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}/i;

function structuredOrNull(structured: unknown): StructuredCloudEvent | null {
  if (!structured || typeof structured !== 'object') return null;
  const s = structured as Record<string, unknown>;
  const pick = (v: unknown): string | null => (typeof v === 'string' && v.length <= MAX_TEXT_CHARS && v.trim() !== '' ? v.trim() : null);
  const out = { source: pick(s.source), type: pick(s.type), id: pick(s.id) };
  return out.source === null && out.type === null && out.id === null ? null : out;
}

/**
 * Reads producer claims and event facts from one record's headers.
 *
 * Claims:
 * - Spring DLT (`kafka_dlt-original-consumer-group`): the record was written by the failing group's service
 *   (the group id, overrides apply) — 'spring_dlt', 0.8.
 * - Connect DLQ (`__connect.errors.connector.name`): written by the sink connector — 'connect_dlq', kind connector, 0.8.
 * - Debezium (`__debezium.context.connectorName` / `connectorLogicalName`): kind connector, 'debezium', 0.8.
 * - `ce_source` (binary mode) 'ce_source', 0.6; structured `source` 'ce_source_structured', 0.6; configured service
 *   headers 'service_header', 0.6. These are resolved with serviceFromSource / overrides.
 * - On a dead-letter record every other claim (ce_source, service headers, Debezium, an inner dead-letter family)
 *   was copied from the original record by the republisher: inherited, weight 0.2.
 * - With both Spring and Connect dead-letter headers, the family added last (later position) is the republisher;
 *   the earlier one was copied.
 * Connector claims are not subject to overrides (the connector name is the node's identity).
 */
export function interpretHeaders(
  headers: readonly RecordHeader[],
  structured?: StructuredCloudEvent | null,
  opts?: HeaderOptions,
): HeaderFacts {
  const idx = new HeaderIndex(Array.isArray(headers) ? headers : []);
  const ce = structuredOrNull(structured);
  const overrides = opts?.overrides;
  const claims: ProducerClaim[] = [];

  // --- Dead letters -------------------------------------------------------------------------------------------
  let spring: DeadLetterFacts | null = null;
  let springClaim: ProducerClaim | null = null;
  if (idx.firstSpring >= 0) {
    const group = idx.get('kafka_dlt-original-consumer-group');
    const groupName = nameText(group?.value);
    spring = {
      framework: 'spring',
      originalTopic: nameText(idx.get('kafka_dlt-original-topic')?.value),
      originalPartition: intValue(idx.get('kafka_dlt-original-partition')?.value),
      originalGroup: groupName,
      connector: null,
      exception: nameText(idx.get('kafka_dlt-exception-fqcn')?.value) ?? nameText(idx.get('kafka_dlt-exception-cause-fqcn')?.value),
    };
    if (group && groupName) {
      springClaim = {
        service: matchOverride(groupName, overrides) ?? groupName,
        via: 'spring_dlt',
        headerKey: group.key,
        raw: rawText(groupName),
        weight: CLAIM_WEIGHTS.framework,
        inherited: false,
        kind: 'service',
      };
    }
  }

  let connect: DeadLetterFacts | null = null;
  let connectClaim: ProducerClaim | null = null;
  if (idx.firstConnect >= 0) {
    const conn = idx.get('__connect.errors.connector.name');
    const connName = nameText(conn?.value);
    connect = {
      framework: 'connect',
      originalTopic: nameText(idx.get('__connect.errors.topic')?.value),
      originalPartition: intValue(idx.get('__connect.errors.partition')?.value),
      originalGroup: null,
      connector: connName,
      exception: nameText(idx.get('__connect.errors.exception.class.name')?.value),
    };
    if (conn && connName) {
      connectClaim = {
        service: connName,
        via: 'connect_dlq',
        headerKey: conn.key,
        raw: rawText(connName),
        weight: CLAIM_WEIGHTS.framework,
        inherited: false,
        kind: 'connector',
      };
    }
  }

  // Both families: the one appended later is the republisher of this record; the earlier one was copied.
  const springOuter = spring !== null && (connect === null || idx.firstSpring > idx.firstConnect);
  const deadLetter = springOuter ? spring : connect;
  const inheritedClaim = (c: ProducerClaim): ProducerClaim => ({ ...c, weight: CLAIM_WEIGHTS.inherited, inherited: true });
  if (springClaim) claims.push(springOuter ? springClaim : inheritedClaim(springClaim));
  if (connectClaim) claims.push(springOuter ? inheritedClaim(connectClaim) : connectClaim);

  /** A claim the record's writer did not make itself when the record is a dead letter. */
  const copiedOnDeadLetter = deadLetter !== null;
  const weigh = (base: number): { weight: number; inherited: boolean } =>
    copiedOnDeadLetter ? { weight: CLAIM_WEIGHTS.inherited, inherited: true } : { weight: base, inherited: false };

  // --- Debezium -----------------------------------------------------------------------------------------------
  let connector: HeaderFacts['connector'] = null;
  const dbzName = idx.get('__debezium.context.connectorName');
  const dbzLogical = idx.get('__debezium.context.connectorLogicalName');
  const dbzNameText = nameText(dbzName?.value);
  const dbzLogicalText = nameText(dbzLogical?.value);
  if (dbzNameText || dbzLogicalText) {
    const usePlugin = dbzNameText !== null && !(DEBEZIUM_PLUGIN_NAMES.has(dbzNameText.toLowerCase()) && dbzLogicalText !== null);
    const name = (usePlugin ? dbzNameText : dbzLogicalText) ?? dbzNameText ?? '';
    const from = usePlugin ? dbzName : dbzLogical;
    connector = { name, task: nameText(idx.get('__debezium.context.taskId')?.value), logicalName: dbzLogicalText };
    claims.push({
      service: name,
      via: 'debezium',
      headerKey: from?.key ?? '__debezium.context.connectorName',
      raw: rawText(name),
      ...weigh(CLAIM_WEIGHTS.framework),
      kind: 'connector',
    });
  }

  // --- CloudEvents --------------------------------------------------------------------------------------------
  const ceSpec = idx.getCI('ce_specversion');
  const ceId = idx.getCI('ce_id');
  const ceSource = idx.getCI('ce_source');
  const ceType = idx.getCI('ce_type');
  const binaryComplete = text(ceSpec?.value) !== null && idText(ceId?.value) !== null && text(ceSource?.value) !== null && text(ceType?.value) !== null;
  const contentType = text(idx.getCI('content-type')?.value)?.toLowerCase() ?? '';
  const saysStructured = contentType.startsWith('application/cloudevents') && !contentType.startsWith('application/cloudevents-batch');

  let cloudEvents: HeaderFacts['cloudEvents'] = null;
  if (ce && (saysStructured || !binaryComplete)) cloudEvents = 'structured';
  else if (binaryComplete) cloudEvents = 'binary';

  const headerType = text(ceType?.value);
  const headerId = idText(ceId?.value);
  const eventType = cloudEvents === 'structured' ? (ce?.type ?? headerType) : (headerType ?? ce?.type ?? null);
  const eventId = cloudEvents === 'structured' ? (ce?.id ?? headerId) : (headerId ?? ce?.id ?? null);

  // ce_source alone (without the other mandatory ce_ headers) is still the writer's claim, e.g. from an outbox router.
  const ceSourceText = text(ceSource?.value);
  if (ceSource && ceSourceText) {
    const service = serviceFromSource(ceSourceText, opts);
    if (service) claims.push({ service, via: 'ce_source', headerKey: ceSource.key, raw: rawText(ceSourceText), ...weigh(CLAIM_WEIGHTS.app), kind: 'service' });
  }
  if (ce?.source) {
    const service = serviceFromSource(ce.source, opts);
    if (service) claims.push({ service, via: 'ce_source_structured', headerKey: 'source', raw: rawText(ce.source), ...weigh(CLAIM_WEIGHTS.app), kind: 'service' });
  }

  // --- Configured service headers ------------------------------------------------------------------------------
  const seen = new Set<string>(['ce_source']);
  const serviceHeaders: readonly unknown[] = Array.isArray(opts?.serviceHeaders) ? opts.serviceHeaders : [];
  for (const key of serviceHeaders) {
    if (typeof key !== 'string' || key === '') continue;
    const lower = key.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    const h = idx.getCI(lower);
    const value = nameText(h?.value);
    if (!h || !value) continue;
    claims.push({
      service: matchOverride(value, overrides) ?? value,
      via: 'service_header',
      headerKey: h.key,
      raw: rawText(value),
      ...weigh(CLAIM_WEIGHTS.app),
      kind: 'service',
    });
  }

  claims.sort(
    (a, b) => b.weight - a.weight || Number(a.inherited) - Number(b.inherited) || VIA_ORDER[a.via] - VIA_ORDER[b.via],
  );

  const traceparent = ['traceparent', 'ce_traceparent'].some((k) => TRACEPARENT_RE.test(text(idx.getCI(k)?.value) ?? ''));

  return {
    claims,
    cloudEvents,
    eventType,
    eventId,
    causationId: idText(idx.getCI('ce_causationid')?.value),
    typeId: text(idx.get('__TypeId__')?.value),
    deadLetter,
    connector,
    traceparent,
  };
}
