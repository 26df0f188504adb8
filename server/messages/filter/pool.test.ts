import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, type CompiledFilter } from './compile';
import { DEFAULT_BATCH_SIZE, MAX_JSON_BYTES } from './limits';
import { FilterBudgetError, FilterPool, FilterWorkerError } from './pool';
import type { FilterRecord } from './record';

const encoder = new TextEncoder();

function compiled(source: string): CompiledFilter {
  const result = compileFilter(source);
  if (!result.ok) throw new Error(`${source}: ${result.error.message}`);
  return result.filter;
}

function record(value: unknown, extra: Partial<FilterRecord> = {}): FilterRecord {
  const bytes = value === null ? null : value instanceof Uint8Array ? value : encoder.encode(typeof value === 'string' ? value : JSON.stringify(value));
  return { partition: 0, offset: 0, timestamp: 0, key: null, value: bytes, headers: [], ...extra };
}

async function matching(pool: FilterPool, source: string, records: FilterRecord[]): Promise<number[]> {
  const result = await pool.match(compiled(source), records);
  expect(result.firstError, source).toBeNull();
  return [...result.matches].flatMap((m, i) => (m ? [i] : []));
}

describe('FilterPool', () => {
  let pool: FilterPool;
  beforeAll(() => {
    pool = new FilterPool({ size: 2 });
  });
  afterAll(() => pool.close());

  it('compares JSON numbers across int and double', async () => {
    const records = [{ amount: 150 }, { amount: 100.75 }, { amount: 99 }, { amount: 1e3 }, { amount: 100 }, { amount: -0.5 }].map((v) => record(v));
    expect(await matching(pool, 'value.amount > 100', records)).toEqual([0, 1, 3]);
    expect(await matching(pool, 'value.amount > 100.5', records)).toEqual([0, 1, 3]);
    expect(await matching(pool, 'value.amount == 100', records)).toEqual([4]);
    expect(await matching(pool, 'value.amount == 100.0', records)).toEqual([4]);
    expect(await matching(pool, 'value.amount < 0', records)).toEqual([5]);
    expect(await matching(pool, 'value.amount + 1 == 151', records.slice(0, 1))).toEqual([0]);
    expect(await matching(pool, 'double(value.amount) * 2.0 > 300.0', records.slice(0, 2))).toEqual([]);
  });

  it('reads headers as a map of text, the last value winning, a null value as ""', async () => {
    const headers: FilterRecord['headers'] = [
      ['trace', encoder.encode('first')],
      ['trace', encoder.encode('second')],
      ['empty', null],
    ];
    const records = [record({}, { headers }), record({})];
    expect(await matching(pool, 'headers["trace"] == "second"', records.slice(0, 1))).toEqual([0]);
    expect(await matching(pool, 'headers["empty"] == "" && "empty" in headers', records)).toEqual([0]);
    expect(await matching(pool, 'record.headers["trace"].startsWith("sec")', records.slice(0, 1))).toEqual([0]);
    expect(await matching(pool, 'size(headers) == 0', records)).toEqual([1]);
  });

  it('handles a null key and a tombstone', async () => {
    const tombstone = record(null, { key: null, partition: 4, offset: 77 });
    expect(await matching(pool, 'key == null && value == null', [tombstone])).toEqual([0]);
    expect(await matching(pool, 'keyText == "" && valueText == "" && record.value == null && record.keyAsText == ""', [tombstone])).toEqual([0]);
    const result = await pool.match(compiled('value.status == "FAILED"'), [tombstone]);
    expect(result).toMatchObject({ errors: 1, firstError: expect.stringMatching(/^partition 4 offset 77: /) });
    expect([...result.matches]).toEqual([0]);
  });

  it('reads binary values as text with replacement characters', async () => {
    const binary = record(new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0x41]));
    expect(await matching(pool, 'valueText.endsWith("A") && value == valueText && valueText.contains("\\uFFFD")', [binary])).toEqual([0]);
  });

  it('parses JSON only up to 1 MiB and 64 levels; beyond that value is the text', async () => {
    const big = record({ big: 'x'.repeat(MAX_JSON_BYTES) });
    const small = record({ big: 'x'.repeat(1000) });
    expect(await matching(pool, 'type(value) == string && valueText.startsWith("{\\"big\\"")', [big, small])).toEqual([0]);
    expect(await matching(pool, 'type(value) == map && value.big.size() == 1000', [big, small])).toEqual([1]);
    const nested = (levels: number) => record(`${'['.repeat(levels)}${']'.repeat(levels)}`);
    expect(await matching(pool, 'type(value) == list', [nested(64), nested(65)])).toEqual([0]);
  });

  it('parses JSON keys, and gives plain-text keys as text', async () => {
    const records = ['{"tenant":"acme"}', 'order-17', '42'].map((key) => record({}, { key: encoder.encode(key) }));
    expect(await matching(pool, 'has(key.tenant) && key.tenant == "acme"', records.slice(0, 1))).toEqual([0]);
    expect(await matching(pool, 'key == "order-17" && keyText == "order-17"', records.slice(1, 2))).toEqual([0]);
    expect(await matching(pool, 'key == 42 && record.key == 42', records.slice(2))).toEqual([0]);
  });

  it('offers the Kafbat record fields and the top-level ones', async () => {
    const r = record({ status: 'ok' }, { partition: 3, offset: 1234, timestamp: 1_700_000_000_000, key: encoder.encode('k1') });
    expect(
      await matching(
        pool,
        'record.partition == 3 && record.offset == 1234 && record.timestampMs == 1700000000000 && record.keyAsText == "k1" && ' +
          'record.valueAsText.contains("ok") && record.value.status == "ok" && record.key == "k1"',
        [r],
      ),
    ).toEqual([0]);
    expect(await matching(pool, 'partition == 3 && offset == 1234 && timestamp > 1600000000000 && size(record) == 8', [r])).toEqual([0]);
  });

  it('supports the string functions, has() and size()', async () => {
    const records = [record({ name: 'Bob', message: 'Payment FAILED: timeout' }), record({ name: 'alice' })];
    expect(await matching(pool, 'value.message.lowerAscii().contains("failed")', records.slice(0, 1))).toEqual([0]);
    expect(await matching(pool, 'value.name.indexOf("o") == 1 && value.name.startsWith("B") && value.name.endsWith("b")', records)).toEqual([0]);
    expect(await matching(pool, 'has(value.message) && value.message.size() > 10', records)).toEqual([0]);
    expect(await matching(pool, "valueText.matches(r'FAIL(ED)?:\\s+time')", records)).toEqual([0]);
  });

  it('counts a non-bool result as an error on that record', async () => {
    const result = await pool.match(compiled('value.flag'), [record({ flag: true }), record({ flag: 'yes' }, { partition: 1, offset: 5 })]);
    expect([...result.matches]).toEqual([1, 0]);
    expect(result.errors).toBe(1);
    expect(result.firstError).toBe('partition 1 offset 5: the filter evaluated to a value of type string, not to true or false');
  });

  it('runs a catastrophic-backtracking pattern in linear time (RE2)', async () => {
    const result = await pool.match(compiled("valueText.matches('(a+)+$')"), [record(`${'a'.repeat(30_000)}!`)]);
    expect([...result.matches]).toEqual([0]);
  });

  it('finds the needle among 100,000 JSON records matched in batches of 500', async () => {
    const needleAt = 73_421;
    const records = Array.from({ length: 100_000 }, (_, i) =>
      record({ id: i, status: i === needleAt ? 'FAILED' : i % 3 === 0 ? 'FAILED' : 'OK', amount: i === needleAt ? 250 : i % 100 }, { offset: i }),
    );
    const filter = compiled('value.status == "FAILED" && value.amount > 100');
    const batches: Promise<number[]>[] = [];
    for (let start = 0; start < records.length; start += DEFAULT_BATCH_SIZE) {
      batches.push(
        pool.match(filter, records.slice(start, start + DEFAULT_BATCH_SIZE)).then((r) => [...r.matches].flatMap((m, i) => (m ? [start + i] : []))),
      );
    }
    expect((await Promise.all(batches)).flat()).toEqual([needleAt]);
  }, 60_000);

  it('answers queued batches in the order they were queued', async () => {
    const single = new FilterPool({ size: 1 });
    try {
      const done: number[] = [];
      const filter = compiled('value.n >= 0');
      await Promise.all([0, 1, 2, 3].map((n) => single.match(filter, [record({ n })]).then(() => done.push(n))));
      expect(done).toEqual([0, 1, 2, 3]);
    } finally {
      await single.close();
    }
    await expect(single.match(compiled('true'), [record({})])).rejects.toBeInstanceOf(FilterWorkerError);
  });
});

describe('FilterPool limits', () => {
  const numbers = record(Array.from({ length: 3000 }, (_, i) => i), { partition: 3, offset: 42 });

  it('terminates a worker whose record runs past the budget, and keeps working', async () => {
    const pool = new FilterPool({ size: 1 });
    try {
      const runaway = compiled('value.all(a, value.all(b, a != b || a == b))');
      const failure = await pool.match(runaway, [record([1], { partition: 1, offset: 7 }), numbers]).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(FilterBudgetError);
      expect(failure).toMatchObject({
        partition: 3,
        offset: 42,
        message:
          'the filter took longer than 50 ms on partition 3 offset 42; simplify it (nested comprehensions over large lists are the usual cause)',
      });
      expect(await matching(pool, 'value.size() == 3000 && value[2999] == 2999', [numbers, record([])])).toEqual([0]);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('fails the batch of a worker that runs out of memory, and keeps working', async () => {
    const pool = new FilterPool({ size: 1, perRecordBudgetMs: 20_000, maxOldGenerationSizeMb: 32 });
    try {
      const hungry = compiled('value.map(a, value.map(b, valueText)).size() > 0');
      const failure = await pool.match(hungry, [numbers]).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(FilterWorkerError);
      expect((failure as Error).message).toBe('the filter needed more than 32 MB of memory on partition 3 offset 42; simplify it');
      expect(await matching(pool, 'value.size() == 3000', [numbers])).toEqual([0]);
    } finally {
      await pool.close();
    }
  }, 30_000);
});
