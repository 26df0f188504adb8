import type { PayloadEncoding, TimestampType } from '../contract/messages';
import { analyzePayload, bytesToBase64 } from './payload';

/**
 * Export rows for a range of records, as JSON Lines or CSV. Pure: the route streams `CSV_HEADER` then one
 * `toCsvRow` per record, or one `toJsonlLine` per record. Every row ends with its terminator (CRLF for CSV, LF for
 * JSONL), so the output is the plain concatenation.
 *
 * Each key, value and header value carries an encoding that says how to read it back, the same names the produce
 * request uses: `json` (the JSON itself), `text` (a string), `base64` (binary), null for a null payload.
 */

export interface ExportRecord {
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: TimestampType;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: ReadonlyArray<readonly [string, Uint8Array | null]>;
}

export const JSONL_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** A payload as a JSON fragment (ready to splice into a line) and its encoding. */
interface Encoded {
  json: string;
  encoding: PayloadEncoding | null;
  /** The cell text for CSV: the JSON or text as written, base64 for binary, '' for null. */
  cell: string;
}

/**
 * Removes the whitespace between JSON tokens so a pretty-printed value fits on one JSONL line. Works on the text
 * rather than JSON.stringify(JSON.parse(...)): numbers keep every digit (64-bit ids lose precision as JS numbers)
 * and keys keep their order and duplicates. The text must already be valid JSON (raw control characters, and so
 * newlines, cannot occur inside its strings).
 */
export function minifyJson(text: string): string {
  const parts: string[] = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      if (i > start) parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (start === 0) return text;
  if (start < text.length) parts.push(text.slice(start));
  return parts.join('');
}

function encode(bytes: Uint8Array | null): Encoded {
  if (bytes === null) return { json: 'null', encoding: null, cell: '' };
  // No size cap on the parse: an export must say `json` only for what really is JSON.
  const a = analyzePayload(bytes, Number.POSITIVE_INFINITY);
  if (a.format === 'json' && a.text !== null) return { json: minifyJson(a.text), encoding: 'json', cell: a.text };
  if (a.format === 'text' && a.text !== null) return { json: JSON.stringify(a.text), encoding: 'text', cell: a.text };
  const b64 = bytesToBase64(bytes);
  return { json: JSON.stringify(b64), encoding: 'base64', cell: b64 };
}

const encodingJson = (e: PayloadEncoding | null) => (e === null ? 'null' : `"${e}"`);

/** Kafka writes -1 for "no timestamp"; anything a Date cannot hold has no ISO form either. */
/** A record timestamp as ISO 8601; null for Kafka's "no timestamp" (-1) and anything a Date cannot hold. */
export function isoTime(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < 0 || Math.abs(ms) > 8.64e15) return null;
  return new Date(ms).toISOString();
}

/** The headers as a JSON array of `{ key, value, encoding }`: inside the JSONL line and as the CSV `headers` cell. */
function headersJson(headers: ExportRecord['headers']): string {
  if (headers.length === 0) return '[]';
  const items = headers.map(([key, value]) => {
    const e = encode(value);
    return `{"key":${JSON.stringify(key)},"value":${e.json},"encoding":${encodingJson(e.encoding)}}`;
  });
  return `[${items.join(',')}]`;
}

/**
 * One record as one JSON object on one line, ending with `\n`: partition, offset, timestamp (epoch ms),
 * timestampIso (null for Kafka's -1), timestampType, key, keyEncoding, value, valueEncoding, headers.
 */
export function toJsonlLine(record: ExportRecord): string {
  const key = encode(record.key);
  const value = encode(record.value);
  return (
    `{"partition":${record.partition},"offset":${record.offset},"timestamp":${record.timestamp},` +
    `"timestampIso":${JSON.stringify(isoTime(record.timestamp))},"timestampType":${JSON.stringify(record.timestampType)},` +
    `"key":${key.json},"keyEncoding":${encodingJson(key.encoding)},` +
    `"value":${value.json},"valueEncoding":${encodingJson(value.encoding)},` +
    `"headers":${headersJson(record.headers)}}\n`
  );
}

export const CSV_COLUMNS = ['partition', 'offset', 'timestamp', 'timestampType', 'key', 'keyEncoding', 'value', 'valueEncoding', 'headers'] as const;

/** The CSV header row, CRLF-terminated. */
export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/** First characters a spreadsheet may read as the start of a formula (OWASP CSV injection). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One text cell: a leading apostrophe when it could start a formula, then RFC 4180 quoting when it holds a comma,
 * quote, CR or LF (quotes doubled). Applied to every text cell; the numbers we write ourselves go out as they are.
 */
export function csvCell(text: string): string {
  const safe = text.length > 0 && FORMULA_START.has(text[0]!) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * One record as a CSV row, CRLF-terminated. Key and value cells hold the JSON or text as written, or base64 for
 * binary; a null key or value is an empty cell with an empty encoding (an empty string has encoding `text`).
 * `headers` is the same JSON array as in JSONL.
 */
export function toCsvRow(record: ExportRecord): string {
  const key = encode(record.key);
  const value = encode(record.value);
  return (
    [
      String(record.partition),
      String(record.offset),
      String(record.timestamp),
      csvCell(record.timestampType),
      csvCell(key.cell),
      csvCell(key.encoding ?? ''),
      csvCell(value.cell),
      csvCell(value.encoding ?? ''),
      csvCell(headersJson(record.headers)),
    ].join(',') + '\r\n'
  );
}
