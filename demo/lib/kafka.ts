/**
 * Kafka client factory shared by the demo services and the scenario runner.
 *
 * Every service gets a Kubernetes-pod-like client id (`email-service-5d8f7b9c4-x2k7p`):
 * `<service>-<pod-template-hash>-<pod-id>`. The template hash is stable for one run of the
 * scenario (the runner passes it in POD_TEMPLATE_HASH), the pod id changes on every (re)start,
 * exactly like a Deployment's pods. Topolog is expected to normalise these back to the service name.
 */
import { randomInt } from 'node:crypto'
import { Kafka, logLevel } from 'kafkajs'
import type { KafkaConfig, LogEntry, logCreator } from 'kafkajs'

export const DEFAULT_BROKERS = '127.0.0.1:9092'

/** The alphabet Kubernetes uses for generated names (no vowels, no ambiguous characters). */
const K8S_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

export function randomK8sString(length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += K8S_ALPHABET[randomInt(K8S_ALPHABET.length)] ?? 'x'
  return out
}

/** A pod-template-hash look-alike (9–10 characters). */
export function podTemplateHash(): string {
  return randomK8sString(randomInt(9, 11))
}

/** `<service>-<templateHash>-<5 chars>`; templateHash defaults to POD_TEMPLATE_HASH or a fresh one. */
export function podClientId(service: string, templateHash = process.env.POD_TEMPLATE_HASH || podTemplateHash()): string {
  return `${service}-${templateHash}-${randomK8sString(5)}`
}

/** Parses `host:port,host:port` (whitespace tolerant) into a broker list. */
export function parseBrokers(value: string | undefined | null): string[] {
  const list = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  return list.length > 0 ? list : [DEFAULT_BROKERS]
}

export function brokersFromEnv(): string[] {
  return parseBrokers(process.env.KAFKA_BROKERS)
}

function formatExtra(log: LogEntry['log']): string {
  const parts: string[] = []
  for (const [key, value] of Object.entries(log)) {
    if (key === 'message' || key === 'timestamp' || key === 'logger' || value === undefined) continue
    if (key === 'stack') continue
    parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  }
  return parts.length > 0 ? ` (${parts.join(' ')})` : ''
}

/** Identical kafkajs messages (e.g. ECONNREFUSED while the broker is down) are shown once per window. */
const REPEAT_WINDOW_MS = 15_000
const recent = new Map<string, { at: number; suppressed: number }>()

/** One short line per kafkajs log entry instead of kafkajs' JSON blobs; repeats are throttled. */
export const compactLogCreator: logCreator = () => (entry: LogEntry) => {
  const label = entry.label.trim() || logLevel[entry.level] || 'LOG'
  const key = `${entry.level}|${entry.namespace}|${entry.log.message}`
  const now = Date.now()
  const seen = recent.get(key)
  if (seen && now - seen.at < REPEAT_WINDOW_MS) {
    seen.suppressed++
    return
  }
  const repeats = seen && seen.suppressed > 0 ? ` [${seen.suppressed} similar in the last ${Math.round((now - seen.at) / 1000)} s]` : ''
  recent.set(key, { at: now, suppressed: 0 })
  if (recent.size > 500) recent.clear()
  const line = `kafkajs ${label} [${entry.namespace}] ${entry.log.message}${formatExtra(entry.log)}${repeats}`
  if (entry.level <= logLevel.WARN) console.error(line)
  else console.log(line)
}

export interface CreateKafkaOptions {
  brokers?: string[]
  clientId: string
  level?: logLevel
  retry?: KafkaConfig['retry']
}

/** A kafkajs client with the compact logger at WARN (override with KAFKAJS_LOG_LEVEL=debug|info|warn|error|nothing). */
export function createKafka(opts: CreateKafkaOptions): Kafka {
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers ?? brokersFromEnv(),
    logLevel: opts.level ?? levelFromEnv(),
    logCreator: compactLogCreator,
    connectionTimeout: 3000,
    retry: opts.retry ?? { initialRetryTime: 300, retries: 8 },
  })
}

function levelFromEnv(): logLevel {
  switch ((process.env.KAFKAJS_LOG_LEVEL ?? '').toLowerCase()) {
    case 'nothing':
      return logLevel.NOTHING
    case 'error':
      return logLevel.ERROR
    case 'info':
      return logLevel.INFO
    case 'debug':
      return logLevel.DEBUG
    default:
      return logLevel.WARN
  }
}

/**
 * kafkajs 2.2.4 sometimes arms a timer with a negative delay, which Node >= 23 reports as a
 * TimeoutNegativeWarning on every occurrence. Drop exactly that warning and nothing else.
 * (Child processes are additionally started with --disable-warning=TimeoutNegativeWarning.)
 */
let warningFilterInstalled = false
export function suppressTimeoutNegativeWarning(): void {
  if (warningFilterInstalled) return
  warningFilterInstalled = true
  const original = process.emitWarning.bind(process) as (...args: unknown[]) => void
  const filtered = (warning: unknown, ...rest: unknown[]): void => {
    if (isTimeoutNegative(warning, rest[0])) return
    original(warning, ...rest)
  }
  process.emitWarning = filtered as typeof process.emitWarning
}

function isTimeoutNegative(warning: unknown, typeOrOptions: unknown): boolean {
  if (warning instanceof Error && warning.name === 'TimeoutNegativeWarning') return true
  if (typeOrOptions === 'TimeoutNegativeWarning') return true
  if (typeof typeOrOptions === 'object' && typeOrOptions !== null) {
    const type = (typeOrOptions as { type?: unknown }).type
    if (type === 'TimeoutNegativeWarning') return true
  }
  return false
}
