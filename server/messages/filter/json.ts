import { MAX_JSON_BYTES, MAX_JSON_DEPTH } from './limits';

/**
 * JSON payloads as CEL values. Objects become Maps (the library turns plain objects into maps by looking at
 * their `constructor`, which a JSON key "constructor" would break). Numbers follow Kafbat (Jackson): an integral
 * number becomes a CEL int (bigint) when it is a safe integer, any other number a double. Since cel-es compares
 * and tests equality across int and double, `value.amount > 100`, `value.amount > 100.5` and `value.n == 3` all
 * work whichever way the producer wrote the number; only arithmetic mixing them needs a conversion, e.g.
 * `double(value.amount) * 1.2 > 100.0`. Integers beyond 2^53 have already lost precision in JSON.parse.
 */

/** JSON.parse throws on anything else; checking the first byte first avoids paying for that on plain text. */
const JSON_START = new Set([...'{["-0123456789tfn'].map((c) => c.charCodeAt(0)));

const TOO_DEEP = Symbol('too deep');

/** The CEL input for a payload, or undefined when it is not JSON, is too large or is nested too deep. */
export function jsonForCel(bytes: Uint8Array, text: string): unknown {
  if (bytes.length > MAX_JSON_BYTES || !JSON_START.has(bytes[firstNonSpace(bytes)] ?? 0)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  try {
    return toCelInput(parsed, 0);
  } catch (e) {
    if (e === TOO_DEEP) return undefined;
    throw e;
  }
}

function firstNonSpace(bytes: Uint8Array): number {
  let i = 0;
  while (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09) i++;
  return i;
}

function toCelInput(v: unknown, depth: number): unknown {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (v === null || typeof v !== 'object') return v;
  if (depth === MAX_JSON_DEPTH) throw TOO_DEEP;
  if (Array.isArray(v)) {
    const list = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) list[i] = toCelInput(v[i], depth + 1);
    return list;
  }
  const map = new Map<string, unknown>();
  const object = v as Record<string, unknown>;
  for (const key of Object.keys(object)) map.set(key, toCelInput(object[key], depth + 1));
  return map;
}
