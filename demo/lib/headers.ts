/** CloudEvents (Kafka protocol binding, binary mode) and header helpers. */
import type { IHeaders } from 'kafkajs'
import { uuid } from './fake'

/**
 * Binary-mode CloudEvents headers: the event attributes travel as `ce_*` headers and the
 * Kafka value is the event data; `content-type` describes the value.
 */
export function cloudEventHeaders(source: string, type: string, extra: Record<string, string> = {}): IHeaders {
  return {
    ce_id: uuid(),
    ce_source: source,
    ce_type: type,
    ce_specversion: '1.0',
    ce_time: new Date().toISOString(),
    'content-type': 'application/json',
    ...extra,
  }
}

/** Header value as a string (kafkajs hands consumers Buffers). */
export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name]
  if (value === undefined) return undefined
  const first = Array.isArray(value) ? value[0] : value
  if (first === undefined) return undefined
  return typeof first === 'string' ? first : first.toString('utf8')
}

/** Copies consumed headers so they can be re-published (e.g. to a dead-letter topic). */
export function copyHeaders(headers: IHeaders | undefined): IHeaders {
  const out: IHeaders = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = value
  }
  return out
}
