/**
 * Who is behind a client id, a consumer group, a CloudEvents source or a transactional id.
 * Pure string functions (no I/O), shared by the server and the browser.
 *
 * Design: /work/shared/research/lineage.md §5.2 "Service resolution" (client → service) and §5.5 items 1–3:
 * ids carry instance noise (pod hashes, UUIDs, thread numbers) that must be stripped so edges are drawn per
 * service; tool and dashboard clients (console consumers, perf tools, kcat, Topolog itself) are not services.
 * Sources of the formats: §3.4 (Connect and Streams client ids), §2.2 (transactional ids), §5.5.3 (tools).
 */

export interface ServiceOverride {
  /** exact client id / group id / ce_source, or a regex written as "/.../" (flags i, m, s, u allowed after the last "/") */
  match: string;
  /** The service name. For a regex match, "$1".."$9" are replaced by the capture groups. */
  service: string;
}

export interface IdentityOptions {
  overrides?: readonly ServiceOverride[];
  /**
   * Kafka Connect worker group ids (`group.id` of the Connect cluster), used to read exactly-once source task
   * transactional ids "<groupId>-<connector>-<taskId>". Default: ["connect-cluster"] (the sample worker config).
   */
  connectGroupIds?: readonly string[];
}

export type ClientKind = 'service' | 'connector' | 'streamApp' | 'tool' | 'topolog' | 'generic';

/** Longer inputs are cut to this many characters before any pattern runs (client ids are short; this is garbage). */
const MAX_ID_CHARS = 1024;
/** A derived name longer than this is not a plausible service name. */
const MAX_NAME_CHARS = 255;

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

// ---------------------------------------------------------------------------------------------------------------
// Overrides
// ---------------------------------------------------------------------------------------------------------------

const regexCache = new Map<string, RegExp | null>();
const REGEX_CACHE_LIMIT = 512;

/** "/.../flags" → RegExp; null for an invalid pattern (an invalid override never matches, it never throws). */
function compileOverride(match: string): RegExp | null {
  const cached = regexCache.get(match);
  if (cached !== undefined) return cached;
  let compiled: RegExp | null = null;
  const m = REGEX_OVERRIDE.exec(match);
  if (m) {
    // g and y make RegExp.exec stateful (lastIndex); d is useless here. Keep only the harmless flags.
    const flags = [...new Set(m[2] ?? '')].filter((f) => 'imsu'.includes(f)).join('');
    try {
      compiled = new RegExp(m[1] ?? '', flags);
    } catch {
      compiled = null;
    }
  }
  if (regexCache.size >= REGEX_CACHE_LIMIT) regexCache.clear();
  regexCache.set(match, compiled);
  return compiled;
}

/**
 * One rule for "is this override a regex": /pattern/ with only real RegExp flags after it. Anything else is exact,
 * so a CloudEvents source such as "//example.com/orders/order-service" or "/a/b" is matched as written.
 */
export const REGEX_OVERRIDE = /^\/(.+)\/([dgimsuy]*)$/s;

export function isRegexOverride(match: string): boolean {
  return REGEX_OVERRIDE.test(match);
}

/**
 * The service an override assigns to `value`, or null. Overrides are tried in order; the first match wins.
 * Exact overrides compare the whole string (case-sensitive); regex overrides search (anchor them yourself).
 */
export function matchOverride(value: string, overrides: readonly ServiceOverride[] | undefined): string | null {
  if (!overrides || overrides.length === 0 || typeof value !== 'string' || value === '') return null;
  const subject = value.length > MAX_ID_CHARS ? value.slice(0, MAX_ID_CHARS) : value;
  for (const o of overrides) {
    if (!o || typeof o.match !== 'string' || typeof o.service !== 'string' || o.service.trim() === '') continue;
    if (isRegexOverride(o.match)) {
      const re = compileOverride(o.match);
      const m = re?.exec(subject);
      if (!m) continue;
      const service = o.service.replace(/\$([1-9])/g, (_, i: string) => m[Number(i)] ?? '').trim();
      if (service !== '') return service;
    } else if (o.match === value) {
      return o.service.trim();
    }
  }
  return null;
}

/** Override on the raw value, then on the derived name (so "orders-app" also catches every pod of orders-app). */
function overrideFor(raw: string, derived: string | null, opts: IdentityOptions | undefined): string | null {
  return matchOverride(raw, opts?.overrides) ?? (derived && derived !== raw ? matchOverride(derived, opts?.overrides) : null);
}

// ---------------------------------------------------------------------------------------------------------------
// normalizeClientId
// ---------------------------------------------------------------------------------------------------------------

/** Kafka Streams thread clients: "<clientId>-StreamThread-<n>[-<taskId>]-(consumer|restore-consumer|producer)". */
const STREAM_THREAD_RE = /^(.+?)-StreamThread-\d+(?:-\d+_\d+)?(?:-(?:consumer|restore-consumer|producer))?$/;
/** "<clientId>-GlobalStreamThread" (thread name, also used as a client id by some tooling). */
const GLOBAL_THREAD_RE = /^(.+?)-GlobalStreamThread(?:-(?:global-consumer|global-restore-consumer|consumer|restore-consumer))?$/;
/**
 * Per-instance Streams clients without a thread: "<appId>-<processUUID>-(admin|global-consumer|global-restore-consumer)".
 * Only with the UUID: "pricing-admin" or "pricing-global-consumer" on their own are ordinary names.
 */
const STREAMS_INSTANCE_RE = new RegExp(`^(.+?-${UUID})-(?:admin|global-consumer|global-restore-consumer)$`);
const UUID_ANYWHERE_RE = new RegExp(`[-_.]?${UUID}`, 'g');
/** Docker container ids (12+ hex) and similar hashes at the end; must mix digits and letters to be noise. */
const TRAILING_HEX_RE = /(?:^|[-_.])([0-9a-f]{12,64})$/;
/**
 * Deployment pod "<deployment>-<pod-template-hash>-<5>". The hash is 6–10 characters of Kubernetes' "safe" alphabet
 * (no vowels, so never a word); the random suffix is 5 × [a-z0-9]. A digit in either part is required: a hash can be
 * all consonants (about 1 in 17 for 9–10 characters), and then the suffix's digit still says "generated".
 */
const DEPLOYMENT_POD_RE = /^(.+)-([b-df-hj-np-tv-z0-9]{6,10})-([a-z0-9]{5})$/;
/** CronJob pod "<cronjob>-<scheduled minute, 8+ digits>-<5>". */
const CRONJOB_POD_RE = /^(.+)-\d{8,}-[a-z0-9]{5}$/;
/**
 * DaemonSet / Job / bare ReplicaSet pod "<name>-<5>": only when the suffix is in Kubernetes' rand alphabet
 * (bcdfghjklmnpqrstvwxz2456789) and mixes letters and digits, so "-admin" or "-v2bus" never qualify.
 */
const SHORT_POD_RE = /^(.+)-([bcdfghjklmnpqrstvwxz2456789]{5})$/;
/** Trailing instance / thread / ordinal / pid numbers: "-3", "_2", "#1". "." is excluded so versions like "1.2" stay. */
const TRAILING_NUMBER_RE = /[-_#]\d+$/;

function hasDigit(s: string): boolean {
  return /\d/.test(s);
}
function hasLetter(s: string): boolean {
  return /[a-z]/i.test(s);
}

function stripOnce(s: string): string {
  let out = s.trim();
  // "@host" suffix (client.id = "<app>@<hostname>"): everything from the first "@", if something precedes it.
  const at = out.indexOf('@');
  if (at > 0) out = out.slice(0, at);

  let m = STREAM_THREAD_RE.exec(out) ?? GLOBAL_THREAD_RE.exec(out) ?? STREAMS_INSTANCE_RE.exec(out);
  if (m?.[1]) out = m[1];

  out = out.replace(UUID_ANYWHERE_RE, '');

  m = TRAILING_HEX_RE.exec(out);
  if (m?.[1] && hasDigit(m[1]) && hasLetter(m[1])) out = out.slice(0, m.index);

  m = DEPLOYMENT_POD_RE.exec(out);
  if (m?.[1] && m[2] && m[3] && (hasDigit(m[2]) || hasDigit(m[3]))) {
    out = m[1];
  } else if ((m = CRONJOB_POD_RE.exec(out)) && m[1]) {
    out = m[1];
  } else if ((m = SHORT_POD_RE.exec(out)) && m[1] && m[2] && hasDigit(m[2]) && hasLetter(m[2])) {
    out = m[1];
  }

  m = TRAILING_NUMBER_RE.exec(out);
  if (m && m.index > 0) out = out.slice(0, m.index);

  // Separators left dangling by the removals above ("orders-" after a UUID at the end).
  return out.replace(/^[-_.#]+|[-_.#]+$/g, '');
}

/**
 * Strips instance noise from a client id so that every instance of a service maps to one name:
 * - Kubernetes pods: Deployment "-<pod-template-hash>-<5>", CronJob "-<minute>-<5>", DaemonSet/Job "-<5>";
 *   StatefulSet ordinals ("-0", "-1"…) go with the trailing numbers;
 * - UUIDs anywhere, and 12–64 hex characters at the end (Docker container ids as hostnames);
 * - Kafka Streams "-<uuid>-StreamThread-N-(consumer|producer|restore-consumer)", "-GlobalStreamThread",
 *   "-<uuid>-admin" / "-global-consumer";
 * - trailing thread / instance / pid numbers ("-3", "_2", "#1"; e.g. "<app>-<pid>" as many Node services do);
 * - "@host" suffixes.
 * Only trailing numbers are removed, so words that contain digits ("inventory-v2-service", "h2", "s3") stay.
 * Case is kept. Rules repeat until nothing changes ("email-7d9f8b6c4-x2kq9-1" → "email"). A client id that is
 * nothing but noise (a bare UUID) gives "". Inputs over 1024 characters are cut first.
 */
export function normalizeClientId(clientId: string): string {
  if (typeof clientId !== 'string') return '';
  let current = clientId.length > MAX_ID_CHARS ? clientId.slice(0, MAX_ID_CHARS) : clientId;
  current = current.trim();
  for (let pass = 0; pass < 8; pass++) {
    const next = stripOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------------------------
// classifyClientId
// ---------------------------------------------------------------------------------------------------------------

/**
 * Kafka Connect task clients (Worker.java): "connector-producer-<connector>-<task>", "connector-consumer-…",
 * "connector-dlq-producer-…", "connector-adminclient-…". ConnectorTaskId prints as "<connector>-<task>".
 */
const CONNECT_CLIENT_RE = /^connector-(?:producer|consumer|dlq-producer|adminclient)-(.+)-(\d+)$/;

/** Client ids of Kafka's CLI tools and kcat (§5.5.3). "rdkafka" is librdkafka's default, which kcat keeps. */
const TOOL_CLIENT_IDS = new Set(['console-producer', 'console-consumer', 'perf-producer-client', 'perf-consumer-client', 'rdkafka', 'kcat', 'kafkacat']);
/** The Java default "consumer-<group>-<n>" when the group is the console consumer's or perf tool's random one. */
const TOOL_DEFAULT_CONSUMER_RE = /^consumer-((?:console-consumer|perf-consumer)-\d+)-\d+$/;

/**
 * Library defaults that say nothing about the owner:
 * Java "producer-<n>", "consumer-<n>", "consumer-<group>-<n>", "adminclient-<n>"; Connect's worker member
 * "connect-<n>"; KafkaJS "kafkajs"; Sarama "sarama"; franz-go "kgo"; kafka-python "kafka-python-<version>" /
 * "kafka-python-producer-<n>"; aiokafka "aiokafka-<version>".
 */
const GENERIC_EXACT = new Set(['kafkajs', 'sarama', 'kgo']);
const GENERIC_RES: readonly RegExp[] = [
  /^producer-\d+$/,
  /^consumer-\d+$/,
  /^consumer-.+-\d+$/,
  /^adminclient-\d+$/,
  /^connect-\d+$/,
  /^kafka-python-(?:producer-\d+|\d+(?:\.\d+)*.*)$/,
  /^aiokafka-\d+(?:\.\d+)*.*$/,
];

/** Java's default client id for a transactional producer is "producer-<transactional.id>". */
const TRANSACTIONAL_DEFAULT_RE = /^producer-(.+)$/;

export function isTopologClientId(clientId: string): boolean {
  return typeof clientId === 'string' && (clientId === 'topolog' || clientId.startsWith('topolog-'));
}

/**
 * Ephemeral/tool consumer groups hidden by default (§5.5.3): the console consumer's random "console-consumer-<n>",
 * the perf tool's "perf-consumer-<n>", "kcat"/"kafkacat" by convention, and Topolog's own ("topolog-…").
 */
export function isEphemeralGroup(groupId: string): boolean {
  if (typeof groupId !== 'string') return false;
  return (
    /^console-consumer-\d+$/.test(groupId) ||
    groupId === 'kcat' ||
    groupId === 'kafkacat' ||
    groupId.startsWith('perf-consumer-') ||
    isTopologClientId(groupId)
  );
}

/** Streams app behind a thread/instance client id, or null. */
function streamsAppOf(id: string): string | null {
  const m = STREAM_THREAD_RE.exec(id) ?? GLOBAL_THREAD_RE.exec(id) ?? STREAMS_INSTANCE_RE.exec(id);
  if (!m?.[1]) return null;
  // Without a user client.id, Streams uses "<application.id>-<processUUID>": what precedes the UUID is the
  // application.id, exactly. With a user client.id, that client.id may still carry pod noise: normalize it.
  const withUuid = new RegExp(`^(.+)-${UUID}$`).exec(m[1]);
  const name = withUuid?.[1] ?? normalizeClientId(m[1]);
  return name === '' ? null : name;
}

interface Classified {
  kind: ClientKind;
  name: string | null;
  /** "rdkafka": librdkafka's default, shared by kcat and by every librdkafka-based service that sets no client.id. */
  libraryDefault?: boolean;
}

function classifyNoOverride(raw: string, opts: IdentityOptions | undefined): Classified {
  if (raw === '') return { kind: 'generic', name: null };
  if (isTopologClientId(raw)) return { kind: 'topolog', name: normalizeClientId(raw) || raw };

  const connect = CONNECT_CLIENT_RE.exec(raw);
  if (connect?.[1]) return { kind: 'connector', name: connect[1] };

  const app = streamsAppOf(raw);
  if (app) return { kind: 'streamApp', name: app };

  if (TOOL_CLIENT_IDS.has(raw)) return { kind: 'tool', name: raw, libraryDefault: raw === 'rdkafka' };
  if (raw.startsWith('kafka-console-')) return { kind: 'tool', name: normalizeClientId(raw) || raw };
  const toolConsumer = TOOL_DEFAULT_CONSUMER_RE.exec(raw);
  if (toolConsumer?.[1]) return { kind: 'tool', name: toolConsumer[1].replace(/-\d+$/, '') };

  if (GENERIC_EXACT.has(raw) || GENERIC_RES.some((re) => re.test(raw))) return { kind: 'generic', name: null };

  // Only when the rest is recognisably a Streams or Connect transactional id: "producer-api" is a name.
  const tx = TRANSACTIONAL_DEFAULT_RE.exec(raw);
  if (tx?.[1]) {
    const parsed = parseTransactionalId(tx[1], opts);
    if (parsed.kind !== 'service' && parsed.name !== '') return { kind: parsed.kind, name: parsed.name };
  }

  const name = normalizeClientId(raw);
  if (name === '' || name.length > MAX_NAME_CHARS) return { kind: 'generic', name: null };
  return { kind: 'service', name };
}

/**
 * What a client id tells about its owner:
 * - overrides (on the raw id, then on the normalized id) → service;
 * - "topolog-…" → topolog;
 * - Connect "connector-(producer|consumer|dlq-producer|adminclient)-<connector>-<task>" → connector;
 * - Streams thread/instance ids → streamApp, name = application.id (exact when the process UUID is there);
 * - console-producer, console-consumer, perf-*-client, rdkafka (kcat), kafkacat, "kafka-console-*", and the Java
 *   default "consumer-console-consumer-<n>-<m>" → tool;
 * - library defaults ("", kafkajs, producer-1, consumer-<group>-1, adminclient-1, sarama, kgo…) → generic, name null;
 * - Java's transactional default "producer-<transactional.id>" → streamApp / connector when the transactional id
 *   is a Streams or Connect one;
 * - anything else → service, name = normalizeClientId.
 */
export function classifyClientId(clientId: string, opts?: IdentityOptions): { kind: ClientKind; name: string | null } {
  const raw = typeof clientId === 'string' ? (clientId.length > MAX_ID_CHARS ? clientId.slice(0, MAX_ID_CHARS) : clientId).trim() : '';
  const override = raw === '' ? null : overrideFor(raw, normalizeClientId(raw), opts);
  if (override) return { kind: 'service', name: override };
  const { kind, name } = classifyNoOverride(raw, opts);
  return { kind, name };
}

/**
 * The service behind a consumer group member, per §5.2:
 * 1. an override on the client id (raw or normalized), then on the group id;
 * 2. what the client id says, unless it says nothing (generic) — a Streams member is named by its group
 *    (the group id *is* the application.id, even when client.id was set to something else), and librdkafka's
 *    default "rdkafka" in a real (non-ephemeral) group is a librdkafka service, not kcat;
 * 3. the group id (kind 'tool' / 'topolog' for ephemeral groups);
 * 4. with neither: kind 'generic', named by the raw client id, or "(anonymous)" when that is empty too.
 */
export function serviceOfMember(clientId: string, groupId: string, opts?: IdentityOptions): { kind: ClientKind; name: string } {
  const raw = typeof clientId === 'string' ? (clientId.length > MAX_ID_CHARS ? clientId.slice(0, MAX_ID_CHARS) : clientId).trim() : '';
  const group = typeof groupId === 'string' ? groupId.trim() : '';

  const override = (raw === '' ? null : overrideFor(raw, normalizeClientId(raw), opts)) ?? (group === '' ? null : matchOverride(group, opts?.overrides));
  if (override) return { kind: 'service', name: override };

  const c = classifyNoOverride(raw, opts);
  const groupIsReal = group !== '' && !isEphemeralGroup(group);
  if (c.kind === 'streamApp' && group !== '') return { kind: 'streamApp', name: group };
  if (c.kind !== 'generic' && c.name !== null && !(c.libraryDefault && groupIsReal)) return { kind: c.kind, name: c.name };

  if (group !== '') {
    if (isTopologClientId(group)) return { kind: 'topolog', name: group };
    if (isEphemeralGroup(group)) return { kind: 'tool', name: group };
    return { kind: 'service', name: group };
  }
  return { kind: 'generic', name: raw === '' ? '(anonymous)' : raw };
}

// ---------------------------------------------------------------------------------------------------------------
// CloudEvents source
// ---------------------------------------------------------------------------------------------------------------

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function lastNonEmpty(parts: readonly string[]): string | null {
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i]?.trim();
    if (p) return p;
  }
  return null;
}

/**
 * CloudEvents `source` → service name:
 * "/signup-service" → "signup-service"; "//example.com/orders/order-service" → "order-service";
 * "urn:com:example:billing" → "billing"; "https://x.example/svc/payments" → "payments"; "order-service" → itself.
 * A URI with a host and no path gives the host ("https://orders.example.com" → "orders.example.com").
 *
 * Why the last segment: `source` is a URI-reference that "identifies the context in which an event happened"
 * (CloudEvents spec §source), and producers build it from the general to the specific — organisation or
 * authority first, then namespaces, then the producing application/component ("//<org>/<service>", the
 * convention recommended in lineage.md §3.5). So the last path segment (or the last URN segment) is the most
 * specific part: the producing context. A source that ends in an instance or entity ("/sensors/tn-1234567/alerts")
 * still yields its last segment; map such sources with an override.
 *
 * Overrides are tried on the whole source first, then on the derived name. Null for empty input, or when the
 * derived name is empty or longer than 255 characters.
 */
export function serviceFromSource(source: string, opts?: IdentityOptions): string | null {
  if (typeof source !== 'string') return null;
  const raw = (source.length > 2048 ? source.slice(0, 2048) : source).trim();
  if (raw === '') return null;
  const rawOverride = matchOverride(raw, opts?.overrides);
  if (rawOverride) return rawOverride;

  // Query and fragment never name the producer.
  const cut = raw.search(/[?#]/);
  const s = cut >= 0 ? raw.slice(0, cut) : raw;

  let name: string | null;
  if (/^urn:/i.test(s)) {
    name = lastNonEmpty(s.split(':').slice(1));
  } else {
    const hier = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/]*)(.*)$/i.exec(s);
    if (hier) {
      // "scheme://authority/path" or "//authority/path" (network-path reference).
      name = lastNonEmpty((hier[2] ?? '').split('/'));
      if (name === null) {
        const authority = (hier[1] ?? '').replace(/^.*@/, '');
        name = authority.replace(/:\d*$/, '') || null;
      }
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[a-z][a-z0-9+.-]*:\d+$/i.test(s)) {
      // Other absolute URIs (mailto:, tag:…): the last "/" or ":" segment of what follows the scheme.
      name = lastNonEmpty(s.slice(s.indexOf(':') + 1).split(/[/:]/));
    } else {
      // Relative reference ("/signup-service", "orders/order-service") or a bare name.
      name = lastNonEmpty(s.split('/'));
    }
  }
  if (name === null) return null;
  name = safeDecode(name).trim();
  if (name === '' || name.length > MAX_NAME_CHARS) return null;
  return matchOverride(name, opts?.overrides) ?? name;
}

// ---------------------------------------------------------------------------------------------------------------
// Transactional ids
// ---------------------------------------------------------------------------------------------------------------

const STREAMS_EOS_V2_RE = new RegExp(`^(.+)-${UUID}-\\d+$`);
/** Streams EOS-alpha (exactly_once, removed in 4.0): "<application.id>-<subtopology>_<partition>". */
const STREAMS_EOS_ALPHA_RE = /^(.+)-\d+_\d+$/;
const DEFAULT_CONNECT_GROUPS: readonly string[] = ['connect-cluster'];

function parseTransactionalId(txid: string, opts: IdentityOptions | undefined): { kind: ClientKind; name: string } {
  const v2 = STREAMS_EOS_V2_RE.exec(txid);
  if (v2?.[1]) return { kind: 'streamApp', name: v2[1] };
  const alpha = STREAMS_EOS_ALPHA_RE.exec(txid);
  if (alpha?.[1]) return { kind: 'streamApp', name: alpha[1] };
  for (const group of opts?.connectGroupIds ?? DEFAULT_CONNECT_GROUPS) {
    if (typeof group !== 'string' || group === '' || !txid.startsWith(`${group}-`)) continue;
    const connector = /^(.+)-\d+$/.exec(txid.slice(group.length + 1));
    if (connector?.[1]) return { kind: 'connector', name: connector[1] };
  }
  return { kind: 'service', name: normalizeClientId(txid) };
}

/**
 * Transactional id → app (§2.2): Streams EOS-v2 "<application.id>-<processUUID>-<threadIdx>" → application.id
 * (EOS-alpha "<application.id>-<subtopology>_<partition>" too); Connect exactly-once source tasks
 * "<groupId>-<connector>-<taskId>" → connector, for the worker group ids in `opts.connectGroupIds`
 * (default "connect-cluster"); otherwise normalizeClientId (Spring "tx-orders-0" → "tx-orders", Flink
 * "<prefix>-<subtask>-<checkpoint>" → "<prefix>"). Overrides on the raw id first, then on the derived name.
 * An id that is nothing but noise gives the raw id back (the result is never "" for a non-empty input).
 */
export function serviceFromTransactionalId(transactionalId: string, opts?: IdentityOptions): string {
  if (typeof transactionalId !== 'string') return '';
  const raw = (transactionalId.length > MAX_ID_CHARS ? transactionalId.slice(0, MAX_ID_CHARS) : transactionalId).trim();
  if (raw === '') return '';
  const rawOverride = matchOverride(raw, opts?.overrides);
  if (rawOverride) return rawOverride;
  const name = parseTransactionalId(raw, opts).name || raw;
  return matchOverride(name, opts?.overrides) ?? name;
}
