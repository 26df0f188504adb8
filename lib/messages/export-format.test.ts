import { describe, expect, it } from 'vitest';
import { CSV_HEADER, csvCell, minifyJson, toCsvRow, toJsonlLine, type ExportRecord } from './export-format';

const utf8 = (s: string) => new TextEncoder().encode(s);

const record = (over: Partial<ExportRecord> = {}): ExportRecord => ({
  partition: 2,
  offset: 1041,
  timestamp: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  timestampType: 'CreateTime',
  key: utf8('order-17'),
  value: utf8('{\n  "id": 17,\n  "total": 12.5\n}'),
  headers: [],
  ...over,
});

/** A minimal RFC 4180 parser, to check the rows read back as written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('toJsonlLine', () => {
  it('one JSON object per line with timestamps, encodings and embedded JSON', () => {
    const line = toJsonlLine(record({ headers: [['trace', utf8('abc')], ['meta', utf8('{"v": 2}')], ['bin', Uint8Array.of(0, 1, 255)], ['none', null]] }));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual({
      partition: 2,
      offset: 1041,
      timestamp: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
      timestampIso: '2026-01-02T03:04:05.678Z',
      timestampType: 'CreateTime',
      key: 'order-17',
      keyEncoding: 'text',
      value: { id: 17, total: 12.5 },
      valueEncoding: 'json',
      headers: [
        { key: 'trace', value: 'abc', encoding: 'text' },
        { key: 'meta', value: { v: 2 }, encoding: 'json' },
        { key: 'bin', value: 'AAH/', encoding: 'base64' },
        { key: 'none', value: null, encoding: null },
      ],
    });
  });

  it('null key and tombstone, binary as base64, no timestamp', () => {
    const parsed = JSON.parse(toJsonlLine(record({ key: null, value: null, timestamp: -1 })));
    expect(parsed).toMatchObject({ key: null, keyEncoding: null, value: null, valueEncoding: null, timestamp: -1, timestampIso: null });
    const bin = JSON.parse(toJsonlLine(record({ value: Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0) })));
    expect(bin).toMatchObject({ value: '3q2+7wA=', valueEncoding: 'base64' });
  });

  it('keeps every digit of big numbers and the original key order', () => {
    const line = toJsonlLine(record({ value: utf8('{ "z": 12345678901234567890, "a": [ 1.0 , "a b\\" c" ] }') }));
    expect(line).toContain('"value":{"z":12345678901234567890,"a":[1.0,"a b\\" c"]},"valueEncoding":"json"');
    expect(() => JSON.parse(line)).not.toThrow();
  });

  it('text that merely looks like JSON stays text; newlines inside text are escaped', () => {
    const parsed = JSON.parse(toJsonlLine(record({ key: utf8('42'), value: utf8('line 1\nline 2 <script>') })));
    expect(parsed).toMatchObject({ key: '42', keyEncoding: 'text', value: 'line 1\nline 2 <script>', valueEncoding: 'text' });
  });

  it('unicode survives', () => {
    const parsed = JSON.parse(toJsonlLine(record({ value: utf8('{"name":"Zoë 🎉 \u2028"}') })));
    expect(parsed.value).toEqual({ name: 'Zoë 🎉 \u2028' });
  });
});

describe('minifyJson', () => {
  it('drops whitespace only between tokens', () => {
    expect(minifyJson('{\n\t"a b" : [ 1 , 2 ],\r\n "c\\\\": " x "\n}')).toBe('{"a b":[1,2],"c\\\\":" x "}');
    expect(minifyJson('[1]')).toBe('[1]');
  });
});

describe('csv', () => {
  it('header and terminators', () => {
    expect(CSV_HEADER).toBe('partition,offset,timestamp,timestampType,key,keyEncoding,value,valueEncoding,headers\r\n');
    const row = toCsvRow(record({ value: utf8('plain') }));
    expect(row).toBe(`2,1041,${Date.UTC(2026, 0, 2, 3, 4, 5, 678)},CreateTime,order-17,text,plain,text,[]\r\n`);
  });

  it('formula injection gets a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('')).toBe('');
  });

  it('RFC 4180 quoting for commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell('line1\r\nline2')).toBe('"line1\r\nline2"');
    expect(csvCell('Zoë 🎉')).toBe('Zoë 🎉');
  });

  it('escapes keys, values and the headers JSON; numbers as they are', () => {
    const row = toCsvRow(
      record({
        timestamp: -1,
        key: utf8('=cmd|"/c calc"!A0'),
        value: utf8('-2+3, "quoted"\r\nnext line'),
        headers: [['@h', utf8('=1+1')]],
      }),
    );
    const rows = parseCsv(CSV_HEADER + row);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual([
      '2',
      '1041',
      '-1',
      'CreateTime',
      `'=cmd|"/c calc"!A0`,
      'text',
      `'-2+3, "quoted"\r\nnext line`,
      'text',
      '[{"key":"@h","value":"=1+1","encoding":"text"}]',
    ]);
  });

  it('the headers JSON cell is quoted like any other', () => {
    expect(csvCell('[{"key":"a"}]')).toBe('"[{""key"":""a""}]"');
  });

  it('json as written, binary as base64, null as empty cells', () => {
    const rows = parseCsv(toCsvRow(record({ key: null, value: utf8('{\n  "a": 1\n}'), headers: [['b', Uint8Array.of(0, 255)]] })));
    expect(rows[0]).toEqual(['2', '1041', String(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), 'CreateTime', '', '', '{\n  "a": 1\n}', 'json', '[{"key":"b","value":"AP8=","encoding":"base64"}]']);
    const bin = parseCsv(toCsvRow(record({ value: Uint8Array.of(1, 2, 3) })));
    expect(bin[0]!.slice(6, 8)).toEqual(['AQID', 'base64']);
    const empty = parseCsv(toCsvRow(record({ value: new Uint8Array(0) })));
    expect(empty[0]!.slice(6, 8)).toEqual(['', 'text']);
  });
});
