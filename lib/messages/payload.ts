import type { Payload, PayloadFormat } from '../contract/messages';

/**
 * Payload bytes: base64, UTF-8, format detection, the contract object and a hexdump. Pure and shared by the server
 * (per record, so it must be cheap) and the browser, hence Uint8Array / TextDecoder and no Node Buffer.
 */

export const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Base64 (standard alphabet, padded). Hand-written: btoa/atob need a binary string, which costs a copy per byte.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
/** Char code → 6-bit value; 255 marks an invalid character. Accepts the URL-safe alphabet (`-`, `_`) as well. */
const B64_VALUES = (() => {
  const table = new Uint8Array(256).fill(255);
  for (let i = 0; i < B64.length; i++) table[B64.charCodeAt(i)] = i;
  table['-'.charCodeAt(0)] = 62;
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

/** ASCII bytes → string. A latin1 TextDecoder is ~20x faster than String.fromCharCode over chunks, the fallback. */
const LATIN1: TextDecoder | null = (() => {
  try {
    return new TextDecoder('latin1');
  } catch {
    return null; // a runtime without the legacy encodings
  }
})();

function asciiToString(codes: Uint8Array): string {
  if (LATIN1) return LATIN1.decode(codes);
  const CHUNK = 0x8000;
  const parts: string[] = [];
  for (let i = 0; i < codes.length; i += CHUNK) {
    parts.push(String.fromCharCode.apply(null, codes.subarray(i, i + CHUNK) as unknown as number[]));
  }
  return parts.join('');
}

/** `Uint8Array.prototype.toBase64` (TC39, in recent browsers) when the runtime has it. */
const nativeToBase64 = (Uint8Array.prototype as { toBase64?: (this: Uint8Array) => string }).toBase64;

export function bytesToBase64(bytes: Uint8Array): string {
  if (nativeToBase64) return nativeToBase64.call(bytes);
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = B64_CODES[v >> 18]!;
    out[o++] = B64_CODES[(v >> 12) & 63]!;
    out[o++] = B64_CODES[(v >> 6) & 63]!;
    out[o++] = B64_CODES[v & 63]!;
  }
  const rest = n - i;
  if (rest > 0) {
    const v = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = B64_CODES[v >> 18]!;
    out[o++] = B64_CODES[(v >> 12) & 63]!;
    out[o++] = rest === 2 ? B64_CODES[(v >> 6) & 63]! : 61; // '='
    out[o++] = 61;
  }
  return asciiToString(out);
}

/**
 * Base64 (standard or URL-safe, padding optional, ASCII whitespace ignored) → bytes. Throws on any other character
 * or an impossible length, so it doubles as validation (e.g. a produce request with `base64` encoding).
 */
export function base64ToBytes(b64: string): Uint8Array {
  const len = b64.length;
  const out = new Uint8Array(Math.floor((len * 3) / 4) + 3);
  let o = 0;
  let acc = 0;
  let bits = 0;
  let pad = 0;
  for (let i = 0; i < len; i++) {
    const c = b64.charCodeAt(i);
    if (c === 61 /* = */) {
      pad++;
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) continue;
    const v = c < 256 ? B64_VALUES[c]! : 255;
    if (v === 255 || pad > 0) throw new Error(`invalid base64: unexpected character at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  // 6 leftover bits mean one stray character: no byte length encodes to that.
  if (bits >= 6 || pad > 2) throw new Error('invalid base64: bad length');
  return out.slice(0, o);
}

// ---------------------------------------------------------------------------------------------------------------
// UTF-8

const FATAL = new TextDecoder('utf-8', { fatal: true });
const LENIENT = new TextDecoder('utf-8');

/** Decodes UTF-8. `fatal: true` throws on invalid bytes; otherwise they become U+FFFD. A leading BOM is dropped. */
export function decodeUtf8(bytes: Uint8Array, options: { fatal?: boolean } = {}): string {
  return (options.fatal ? FATAL : LENIENT).decode(bytes);
}

/** Decodes UTF-8, or null when the bytes are not valid UTF-8. */
export function tryDecodeUtf8(bytes: Uint8Array): string | null {
  try {
    return FATAL.decode(bytes);
  } catch {
    return null;
  }
}

export function isUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    // ASCII prefix is by far the common case and needs no decoder.
    if (bytes[i]! >= 0x80) return tryDecodeUtf8(bytes.subarray(i)) !== null;
  }
  return true;
}

/**
 * The largest `end <= cut` that does not split a UTF-8 sequence: a cut inside a multi-byte character moves back to
 * its lead byte. Bytes that are not UTF-8 anyway are left as they are (at most 3 bytes are ever given up).
 */
export function utf8Boundary(bytes: Uint8Array, cut: number): number {
  const end = Math.min(cut, bytes.length);
  if (end === bytes.length || end <= 0) return Math.max(0, end);
  // The byte at `end` is the first one left out: if it is a continuation byte, the character straddles the cut.
  if ((bytes[end]! & 0xc0) !== 0x80) return end;
  for (let i = end - 1; i >= 0 && i >= end - 3; i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue;
    return b >= 0xc0 ? i : end; // a lead byte: drop the partial character; ASCII: not UTF-8 here, cut as asked
  }
  return end;
}

/** Drops an incomplete multi-byte character at the very end (a cut made without `utf8Boundary`). */
export function trimIncompleteUtf8Tail(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue; // continuation: keep looking for its lead byte
    if (b < 0xc0) return bytes; // ASCII: nothing pending
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return n - i < need ? bytes.subarray(0, i) : bytes;
  }
  return bytes;
}

const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Control characters (other than tab, LF, CR) as their visible Control Pictures (␀, ␛, ␡), for a text view. */
export function showControlChars(text: string): string {
  CONTROL_RE.lastIndex = 0;
  if (!CONTROL_RE.test(text)) return text;
  return text.replace(CONTROL_RE, (c) => {
    const code = c.charCodeAt(0);
    return String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Format detection

export const DEFAULT_MAX_JSON_BYTES = MiB;

export interface PayloadAnalysis {
  format: PayloadFormat;
  /** The decoded text when the bytes are UTF-8 (json or text), else null. */
  text: string | null;
  /** True when JSON.parse accepted `text`; false for json found by the bracket heuristic over the size cap. */
  parsed: boolean;
}

const isJsonSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Detects the format and keeps the decoded text, so a caller that needs the text (export, filter) does not decode
 * twice. One pass over the bytes finds C0 control characters, which neither JSON text nor plain text may hold
 * (JSON forbids them raw even inside strings): most binary payloads (Avro, Protobuf) stop there without a decode.
 */
export function analyzePayload(bytes: Uint8Array, maxJsonBytes: number = DEFAULT_MAX_JSON_BYTES): PayloadAnalysis {
  let otherControl = false; // DEL or C1 (U+0080..U+009F = C2 80..C2 9F): legal raw in JSON strings, not in text
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x20) {
      if (b !== 0x09 && b !== 0x0a && b !== 0x0d) return { format: 'binary', text: null, parsed: false };
    } else if (b >= 0x7f) {
      if (b === 0x7f) otherControl = true;
      else {
        ascii = false;
        if (b === 0xc2 && i + 1 < bytes.length && bytes[i + 1]! >= 0x80 && bytes[i + 1]! <= 0x9f) otherControl = true;
      }
    }
  }
  let text: string;
  if (ascii) text = LENIENT.decode(bytes);
  else {
    const decoded = tryDecodeUtf8(bytes);
    if (decoded === null) return { format: 'binary', text: null, parsed: false };
    text = decoded;
  }

  // JSON only when the text starts with `{`, `[` or `"`. A bare `42`, `true` or `null` is valid JSON too, but on a
  // Kafka topic it is nearly always a plain string (a StringSerializer id, count or flag) and reads best as text;
  // a quoted string only appears when something JSON-encoded a string, so showing it as JSON is faithful.
  let first = 0;
  while (first < text.length && isJsonSpace(text.charCodeAt(first))) first++;
  const open = text.charCodeAt(first);
  if (open === 0x7b /* { */ || open === 0x5b /* [ */ || open === 0x22 /* " */) {
    if (bytes.length <= maxJsonBytes) {
      try {
        JSON.parse(text);
        return { format: 'json', text, parsed: true };
      } catch {
        // not JSON: text or binary below
      }
    } else if (open !== 0x22) {
      // Too big to parse per record: trust matching outer brackets.
      let last = text.length - 1;
      while (last > first && isJsonSpace(text.charCodeAt(last))) last--;
      const close = text.charCodeAt(last);
      if ((open === 0x7b && close === 0x7d) || (open === 0x5b && close === 0x5d)) return { format: 'json', text, parsed: false };
    }
  }
  return otherControl ? { format: 'binary', text: null, parsed: false } : { format: 'text', text, parsed: false };
}

/**
 * `json`: UTF-8 that JSON.parse accepts and starts with `{`, `[` or `"` (over `maxJsonBytes`: starts with `{`/`[`
 * and ends with the matching `}`/`]`, not parsed). `text`: UTF-8 without control characters other than tab, LF,
 * CR. Otherwise `binary`.
 */
export function detectFormat(bytes: Uint8Array, maxJsonBytes: number = DEFAULT_MAX_JSON_BYTES): PayloadFormat {
  return analyzePayload(bytes, maxJsonBytes).format;
}

// ---------------------------------------------------------------------------------------------------------------
// The contract object

export const LIST_SHOWN_BYTES = 16 * 1024;
export const FULL_SHOWN_BYTES = MiB;

/**
 * The contract's `Payload` for a key, value or header value; null stays null (null key, tombstone, null header).
 * The format is detected on the whole value; only the first `shownBytesCap` bytes travel, cut back to a UTF-8
 * character boundary for json/text so the shown part never ends in half a character. Pass `format` when it is
 * already known (e.g. the filter analysed the value) to skip detection.
 */
export function toPayload(
  bytes: Uint8Array | null | undefined,
  shownBytesCap: number,
  options: { format?: PayloadFormat; maxJsonBytes?: number } = {},
): Payload | null {
  if (bytes === null || bytes === undefined) return null;
  const format = options.format ?? detectFormat(bytes, options.maxJsonBytes);
  const size = bytes.length;
  if (size <= shownBytesCap) return { base64: bytesToBase64(bytes), size, truncated: false, format };
  const cap = Math.max(0, Math.floor(shownBytesCap));
  const end = format === 'binary' ? cap : utf8Boundary(bytes, cap);
  return { base64: bytesToBase64(bytes.subarray(0, end)), size, truncated: true, format };
}

// ---------------------------------------------------------------------------------------------------------------
// JSON for the viewer

/** A JSON number whose text a JS number cannot hold exactly (a 64-bit id, a long decimal): shown as written. */
export class RawJsonNumber {
  constructor(readonly source: string) {}
  toString(): string {
    return this.source;
  }
}

type ReviverContext = { source?: string } | undefined;

/**
 * JSON.parse for display: numbers that would lose digits (12345678901234567890, 0.10000000000000000001) become
 * `RawJsonNumber` holding the original text, where the engine passes the source to revivers (JSON.parse source
 * text access: Chrome/Node 21+, Firefox 135+); elsewhere they parse as plain numbers. Throws like JSON.parse.
 */
export function parseJsonForView(text: string): unknown {
  return JSON.parse(text, (_key: string, v: unknown, context?: ReviverContext) =>
    typeof v === 'number' && context?.source !== undefined && String(v) !== context.source ? new RawJsonNumber(context.source) : v,
  ) as unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Hexdump

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const ASCII_CHAR = Array.from({ length: 256 }, (_, i) => (i >= 0x20 && i < 0x7f ? String.fromCharCode(i) : '.'));

export interface HexLine {
  /** Byte offset of the line, 8 hex digits (more past 4 GiB). */
  offset: string;
  /** Bytes as hex pairs, an extra space after each 8, padded on the last line so columns align. */
  hex: string;
  /** Printable ASCII as is, everything else as '.'. */
  ascii: string;
}

/** The width of `hexLines(...).hex` for a full line. */
export function hexLineWidth(bytesPerLine = 16): number {
  return bytesPerLine * 3 - 1 + Math.floor((bytesPerLine - 1) / 8);
}

/**
 * A classic hexdump (`hexdump -C`), one entry per `bytesPerLine` bytes. `fromLine`/`maxLines` render a window so a
 * 1 MiB value (65,536 lines) need not be formatted at once.
 */
export function hexLines(bytes: Uint8Array, bytesPerLine = 16, window: { fromLine?: number; maxLines?: number } = {}): HexLine[] {
  const per = Math.max(1, Math.floor(bytesPerLine));
  const total = Math.ceil(bytes.length / per);
  const from = Math.max(0, window.fromLine ?? 0);
  const to = Math.min(total, window.maxLines === undefined ? total : from + Math.max(0, window.maxLines));
  const width = hexLineWidth(per);
  const lines: HexLine[] = [];
  for (let line = from; line < to; line++) {
    const start = line * per;
    const end = Math.min(bytes.length, start + per);
    let hex = '';
    let ascii = '';
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      const col = i - start;
      if (col > 0) hex += col % 8 === 0 ? '  ' : ' ';
      hex += HEX[b];
      ascii += ASCII_CHAR[b];
    }
    lines.push({ offset: start.toString(16).padStart(8, '0'), hex: hex.padEnd(width, ' '), ascii });
  }
  return lines;
}
