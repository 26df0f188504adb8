import { describe, expect, it } from 'vitest';
import {
  analyzePayload,
  base64ToBytes,
  bytesToBase64,
  decodeUtf8,
  detectFormat,
  hexLines,
  hexLineWidth,
  isUtf8,
  parseJsonForView,
  RawJsonNumber,
  showControlChars,
  toPayload,
  trimIncompleteUtf8Tail,
  tryDecodeUtf8,
  utf8Boundary,
} from './payload';

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...b: number[]) => Uint8Array.from(b);

describe('base64', () => {
  it('matches Node for every length remainder and all byte values', () => {
    for (let n = 0; n < 70; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 0xff);
      const expected = Buffer.from(b).toString('base64');
      expect(bytesToBase64(b)).toBe(expected);
      expect(Array.from(base64ToBytes(expected))).toEqual(Array.from(b));
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytesToBase64(all)).toBe(Buffer.from(all).toString('base64'));
  });

  it('round-trips a few MiB (chunked string building)', () => {
    const big = Uint8Array.from({ length: 3 * 1024 * 1024 + 1 }, (_, i) => (i * 31) & 0xff);
    const b64 = bytesToBase64(big);
    expect(b64).toBe(Buffer.from(big).toString('base64'));
    const back = base64ToBytes(b64);
    expect(back.length).toBe(big.length);
    expect(Buffer.from(back).equals(Buffer.from(big))).toBe(true);
  });

  it('accepts missing padding, whitespace and the URL-safe alphabet', () => {
    expect(decodeUtf8(base64ToBytes('aGk'))).toBe('hi');
    expect(decodeUtf8(base64ToBytes('aGVs\nbG8=\n'))).toBe('hello');
    expect(Array.from(base64ToBytes('-_8'))).toEqual(Array.from(base64ToBytes('+/8')));
    expect(base64ToBytes('').length).toBe(0);
  });

  it('rejects what is not base64', () => {
    expect(() => base64ToBytes('ab$d')).toThrow(/invalid base64/);
    expect(() => base64ToBytes('a')).toThrow(/invalid base64/);
    expect(() => base64ToBytes('aG=k')).toThrow(/invalid base64/);
    expect(() => base64ToBytes('aGé=')).toThrow(/invalid base64/);
  });
});

describe('utf-8', () => {
  it('decodes leniently or fatally', () => {
    expect(decodeUtf8(bytes(0x68, 0xff, 0x69))).toBe('h\uFFFDi');
    expect(() => decodeUtf8(bytes(0x68, 0xff), { fatal: true })).toThrow();
    expect(tryDecodeUtf8(bytes(0xc3, 0xa9))).toBe('é');
    expect(tryDecodeUtf8(bytes(0xc3))).toBeNull();
  });

  it('isUtf8', () => {
    expect(isUtf8(utf8('plain ascii'))).toBe(true);
    expect(isUtf8(utf8('ünïcödé 🎉'))).toBe(true);
    expect(isUtf8(bytes(0x41, 0xc0, 0x80))).toBe(false); // overlong
    expect(isUtf8(bytes(0xed, 0xa0, 0x80))).toBe(false); // surrogate
    expect(isUtf8(new Uint8Array(0))).toBe(true);
  });

  it('utf8Boundary never cuts a character in half', () => {
    const b = utf8('aé🎉'); // 61 | c3 a9 | f0 9f 8e 89
    expect(utf8Boundary(b, 0)).toBe(0);
    expect(utf8Boundary(b, 1)).toBe(1);
    expect(utf8Boundary(b, 2)).toBe(1);
    expect(utf8Boundary(b, 3)).toBe(3);
    expect(utf8Boundary(b, 4)).toBe(3);
    expect(utf8Boundary(b, 5)).toBe(3);
    expect(utf8Boundary(b, 6)).toBe(3);
    expect(utf8Boundary(b, 7)).toBe(7);
    expect(utf8Boundary(b, 100)).toBe(7);
    // Not UTF-8 (continuation bytes after ASCII): cut where asked.
    expect(utf8Boundary(bytes(0x41, 0x80, 0x80), 2)).toBe(2);
  });

  it('trimIncompleteUtf8Tail drops only a partial last character', () => {
    const b = utf8('aé🎉');
    expect(decodeUtf8(trimIncompleteUtf8Tail(b))).toBe('aé🎉');
    expect(decodeUtf8(trimIncompleteUtf8Tail(b.subarray(0, 6)))).toBe('aé');
    expect(decodeUtf8(trimIncompleteUtf8Tail(b.subarray(0, 4)))).toBe('aé');
    expect(decodeUtf8(trimIncompleteUtf8Tail(b.subarray(0, 2)))).toBe('a');
    expect(trimIncompleteUtf8Tail(new Uint8Array(0)).length).toBe(0);
  });

  it('showControlChars makes control characters visible but keeps tab and newlines', () => {
    expect(showControlChars('a\u0000b\u001b\u007f\t\r\n')).toBe('a\u2400b\u241b\u2421\t\r\n');
    const plain = 'nothing to see';
    expect(showControlChars(plain)).toBe(plain);
  });
});

describe('detectFormat', () => {
  const f = (s: string, max?: number) => detectFormat(utf8(s), max);

  it('json for objects, arrays and quoted strings', () => {
    expect(f('{"a":1}')).toBe('json');
    expect(f('  [1, 2, {"b": null}]\n')).toBe('json');
    expect(f('"just a string"')).toBe('json');
    expect(f('{"emoji":"🎉","del":"\u007f"}')).toBe('json'); // DEL is legal raw inside a JSON string
  });

  it('text for bare JSON scalars, broken JSON and plain text', () => {
    expect(f('42')).toBe('text');
    expect(f('true')).toBe('text');
    expect(f('null')).toBe('text');
    expect(f('{not json')).toBe('text');
    expect(f('[1, 2')).toBe('text');
    expect(f('hello\tworld\r\n')).toBe('text');
    expect(f('ünïcödé')).toBe('text');
    expect(f('')).toBe('text');
    expect(f('<script>alert(1)</script>')).toBe('text');
  });

  it('binary for control characters or invalid UTF-8', () => {
    expect(detectFormat(bytes(0x00, 0x01, 0x02))).toBe('binary');
    expect(f('abc\u0000')).toBe('binary');
    expect(f('abc\u001b[31m')).toBe('binary');
    expect(f('abc\u007f')).toBe('binary');
    expect(f('abc\u0085')).toBe('binary'); // C1 control (NEL)
    expect(detectFormat(bytes(0x61, 0xff, 0x62))).toBe('binary');
    expect(detectFormat(bytes(0x7b, 0xc3))).toBe('binary'); // "{" then a cut character
  });

  it('over the size cap: json by matching brackets, without parsing', () => {
    expect(f('{"a": [1, 2, 3]}', 5)).toBe('json');
    expect(f(' [1, 2 \n', 5)).toBe('text');
    expect(f('{"a": 1', 5)).toBe('text');
    expect(f('{ broken but bracketed }', 5)).toBe('json');
    expect(f('[ mismatched }', 5)).toBe('text');
    expect(f('"long string"', 5)).toBe('text');
  });

  it('analyzePayload returns the decoded text once', () => {
    expect(analyzePayload(utf8('{"a":1}'))).toEqual({ format: 'json', text: '{"a":1}', parsed: true });
    expect(analyzePayload(utf8('{"a":1}'), 3)).toEqual({ format: 'json', text: '{"a":1}', parsed: false });
    expect(analyzePayload(utf8('hé'))).toEqual({ format: 'text', text: 'hé', parsed: false });
    expect(analyzePayload(bytes(0, 1))).toEqual({ format: 'binary', text: null, parsed: false });
  });
});

describe('toPayload', () => {
  it('null stays null', () => {
    expect(toPayload(null, 10)).toBeNull();
    expect(toPayload(undefined, 10)).toBeNull();
  });

  it('whole value under the cap', () => {
    expect(toPayload(utf8('{"a":1}'), 100)).toEqual({ base64: Buffer.from('{"a":1}').toString('base64'), size: 7, truncated: false, format: 'json' });
    expect(toPayload(new Uint8Array(0), 100)).toEqual({ base64: '', size: 0, truncated: false, format: 'text' });
  });

  it('truncates, detecting the format on the whole value', () => {
    const value = utf8(JSON.stringify({ long: 'x'.repeat(100) }));
    const p = toPayload(value, 10)!;
    expect(p.truncated).toBe(true);
    expect(p.size).toBe(value.length);
    expect(p.format).toBe('json');
    expect(decodeUtf8(base64ToBytes(p.base64))).toBe('{"long":"x');
  });

  it('cuts text on a character boundary, binary exactly', () => {
    const p = toPayload(utf8('aé🎉 and more'), 4)!; // 4 would split 🎉
    expect(p.truncated).toBe(true);
    expect(decodeUtf8(base64ToBytes(p.base64), { fatal: true })).toBe('aé');
    const bin = toPayload(bytes(0, 0xc3, 0xa9, 0xf0, 0x9f, 0x8e), 4)!;
    expect(bin.format).toBe('binary');
    expect(base64ToBytes(bin.base64).length).toBe(4);
  });

  it('takes a known format instead of detecting', () => {
    expect(toPayload(utf8('{"a":1}'), 100, { format: 'text' })!.format).toBe('text');
  });
});

describe('parseJsonForView', () => {
  it('keeps numbers a double cannot hold as written', () => {
    const v = parseJsonForView('{"id": 12345678901234567890, "n": 42, "f": 1.5, "e": 1.0}') as Record<string, unknown>;
    expect(v.n).toBe(42);
    expect(v.f).toBe(1.5);
    // Only where the engine passes the source to revivers (Node 22+ does).
    expect(v.id).toBeInstanceOf(RawJsonNumber);
    expect(String(v.id)).toBe('12345678901234567890');
    expect(String(v.e)).toBe('1.0');
  });

  it('throws on invalid JSON', () => {
    expect(() => parseJsonForView('{')).toThrow();
  });
});

describe('hexLines', () => {
  it('formats a classic hexdump', () => {
    const lines = hexLines(utf8('Hello, world!\n\u0000\u00ffABC'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ offset: '00000000', hex: '48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 c3', ascii: 'Hello, world!...' });
    expect(lines[1]!.offset).toBe('00000010');
    expect(lines[1]!.hex.trimEnd()).toBe('bf 41 42 43');
    expect(lines[1]!.hex).toHaveLength(hexLineWidth(16));
    expect(lines[1]!.ascii).toBe('.ABC');
  });

  it('other widths and windows', () => {
    const b = Uint8Array.from({ length: 100 }, (_, i) => i);
    expect(hexLines(b, 8)).toHaveLength(13);
    expect(hexLines(b, 8)[0]!.hex).toBe('00 01 02 03 04 05 06 07');
    const win = hexLines(b, 16, { fromLine: 2, maxLines: 2 });
    expect(win.map((l) => l.offset)).toEqual(['00000020', '00000030']);
    expect(hexLines(b, 16, { fromLine: 6, maxLines: 10 })).toHaveLength(1);
    expect(hexLines(new Uint8Array(0))).toEqual([]);
  });
});

// The viewer's safety net, rendered on the server (no DOM in the unit project): every byte must come out as text.
describe('PayloadView (server render)', async () => {
  const { createElement } = await import('react');
  const { renderToStaticMarkup } = await import('react-dom/server');
  const { PayloadView } = await import('../../components/messages/PayloadView');
  type Props = Parameters<typeof PayloadView>[0];
  const render = (props: Props) => renderToStaticMarkup(createElement(PayloadView, props));
  const payloadOf = (s: string | Uint8Array, cap = 1024) => toPayload(typeof s === 'string' ? utf8(s) : s, cap);

  it('shows markup literally, never as HTML', () => {
    const html = render({ payload: payloadOf('<script>alert(1)</script><img src=x onerror=alert(2)>'), label: 'Value' });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('data-testid="payload-value"');
    expect(html).toContain('data-view="text"');
  });

  it('JSON keys and values with markup stay text in the tree', () => {
    const html = render({ payload: payloadOf('{"<b>k</b>": "<script>x</script>", "n": 12345678901234567890}'), label: 'Value', testId: 'v' });
    expect(html).toContain('data-testid="json-tree"');
    expect(html).toContain('data-testid="json-search"');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('12345678901234567890');
    expect(html).toContain('aria-expanded="true"');
  });

  it('null payload shows the null text', () => {
    const html = render({ payload: null, label: 'Value', nullText: 'null (tombstone)' });
    expect(html).toContain('null (tombstone)');
    expect(html).toContain('class="payload-null"');
  });

  it('truncated: notice, show full and download; JSON falls back to text', () => {
    const p = payloadOf(JSON.stringify({ a: 'x'.repeat(5000) }), 100)!;
    const html = render({ payload: p, label: 'Value', onShowFull: () => {}, loadingFull: true, downloadHref: '/api/x?download=1' });
    expect(html).toContain('Showing the first 100 B of 4.9 KiB');
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="payload-show-full"/);
    expect(html).toContain('href="/api/x?download=1"');
    expect(html).toContain('data-view="text"');
    expect(html).toContain('cannot be parsed as JSON');
  });

  it('binary defaults to hex with a binary badge', () => {
    const html = render({ payload: payloadOf(Uint8Array.of(0, 1, 2, 0x3c, 0xff)), label: 'Key' });
    expect(html).toContain('data-testid="hex-view"');
    expect(html).toContain('00 01 02 3c ff');
    expect(html).toContain('...&lt;.');
    expect(html).toMatch(/data-testid="payload-badge" data-format="binary"/);
  });

  it('a text override of binary warns about invalid UTF-8', () => {
    const html = render({ payload: payloadOf(Uint8Array.of(0x61, 0xff, 0x00)), label: 'Key', initialMode: 'text' });
    expect(html).toContain('Not valid UTF-8');
    expect(html).toContain('a\uFFFD\u2400');
  });
});

describe('JsonTree (server render)', async () => {
  const { createElement } = await import('react');
  const { renderToStaticMarkup } = await import('react-dom/server');
  const { JsonTree } = await import('../../components/messages/JsonTree');
  const render = (props: Parameters<typeof JsonTree>[0]) => renderToStaticMarkup(createElement(JsonTree, props));
  const value = {
    order: { customer: { address: { city: 'Zürich', zip: '8001' } } },
    items: Array.from({ length: 250 }, (_, i) => ({ sku: `sku-${i}` })),
    flag: true,
    none: null,
  };

  it('opens two levels, pages big arrays', () => {
    const html = render({ value });
    expect(html).toContain('&quot;customer&quot;');
    expect(html).not.toContain('&quot;address&quot;'); // depth 2 stays closed
    expect(html).toContain('Show 100 more (100 of 250 shown)');
    expect(html).toContain('250 items');
    expect(html).not.toContain('<mark>');
  });

  it('search highlights keys and values, counts, and opens ancestors and pages', () => {
    const html = render({ value, initialQuery: 'ZÜR' });
    expect(html).toContain('<mark>Zür</mark>ich');
    expect(html).toContain('1 match');
    expect(html).toContain('&quot;address&quot;'); // opened to reach the match
    const keys = render({ value, initialQuery: 'sku-24' });
    expect(keys).toContain('11 matches'); // sku-24, sku-240..249
    expect(keys).toContain('<mark>sku-24</mark>9');
    expect(keys).not.toContain('Show 100 more'); // paged up to the last match
    expect(render({ value, initialQuery: 'nOnE' })).toContain('<mark>none</mark>');
    expect(render({ value, initialQuery: 'zzz' })).toContain('0 matches');
  });

  it('a primitive root renders without a search box', () => {
    const html = render({ value: 'just <b>text</b>' });
    expect(html).toContain('&quot;just &lt;b&gt;text&lt;/b&gt;&quot;');
    expect(html).not.toContain('json-search');
  });
});
