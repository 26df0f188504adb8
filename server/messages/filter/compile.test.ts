import { describe, expect, it } from 'vitest';
import { compileFilter } from './compile';

function errorOf(source: string) {
  const result = compileFilter(source);
  if (result.ok) throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
  return result.error;
}

describe('compileFilter', () => {
  it('accepts common filters and normalises the source', () => {
    for (const source of [
      'value.status == "FAILED" && value.amount > 100',
      'value.amount > 100.5 || size(value.items) >= 3',
      'has(value.customer) && value.customer.country in ["DE", "FR"]',
      'keyText.startsWith("eu-") && headers["traceparent"].contains("01")',
      'valueText.lowerAscii().indexOf("timeout") >= 0',
      "valueText.matches(r'ERR-\\d{4}')",
      'record.value.items.exists(i, i.sku == "A-1") && record.partition == 0',
      'value.all(a, value.exists(b, a == b))',
      'type(value.id) == string',
      'value // a trailing comment',
    ]) {
      expect(compileFilter(source), source).toMatchObject({ ok: true });
    }
    expect(compileFilter('  value.a == 1 \n')).toEqual({ ok: true, filter: { source: 'value.a == 1' } });
  });

  it('points syntax errors at the token where the expression goes wrong', () => {
    expect(errorOf('value.a == ')).toEqual({
      message: "The filter ends after '==': add what comes after it.",
      position: { offset: 11, line: 1, column: 12 },
    });
    expect(errorOf('value.a === 1')).toEqual({
      message: "'===' is not a CEL operator: use '=='.",
      position: { offset: 8, line: 1, column: 9 },
    });
    expect(errorOf('value.a == 1 &&\n  value.b = 2').position).toEqual({ offset: 26, line: 2, column: 11 });
    expect(errorOf("value.a == 'x").position).toEqual({ offset: 11, line: 1, column: 12 });
    expect(errorOf('value.a ==\r\n (1 + 2').position).toEqual({ offset: 19, line: 2, column: 8 });
    expect(errorOf('value.a 1')).toMatchObject({ position: { offset: 8 }, message: expect.stringContaining('operator') });
    expect(errorOf('value.a == if')).toMatchObject({ position: { offset: 11 }, message: expect.stringContaining('reserved word') });
  });

  it('rejects an empty or blank filter', () => {
    expect(errorOf('')).toMatchObject({ position: null, message: expect.stringContaining('empty') });
    expect(errorOf(' \n\t ')).toMatchObject({ position: null, message: expect.stringContaining('empty') });
  });

  it('rejects an expression over 2048 characters', () => {
    const long = `valueText.contains("x") || ${Array.from({ length: 150 }, (_, i) => `value.field${i} == ${i}`).join(' || ')}`;
    expect(long.length).toBeGreaterThan(3000);
    expect(errorOf(long)).toEqual({ message: `The filter is ${long.length} characters long (limit 2048): shorten it.`, position: null });
  });

  it('rejects more than 1000 AST nodes', () => {
    const source = `[${Array.from({ length: 1000 }, () => '1').join(',')}] == []`;
    expect(source.length).toBeLessThanOrEqual(2048);
    expect(errorOf(source)).toEqual({ message: 'The filter is too large: 1003 expression nodes (limit 1000); shorten it.', position: null });
  });

  it('rejects nesting deeper than 32, as written and in the AST', () => {
    const parens = errorOf(`${'('.repeat(40)}true${')'.repeat(40)}`);
    expect(parens).toMatchObject({ position: { offset: 32 }, message: expect.stringContaining('more than 32 levels deep') });
    const nots = errorOf(`${'!'.repeat(40)}true`);
    expect(nots).toMatchObject({ position: { offset: 32 }, message: expect.stringContaining('more than 32 levels deep') });
    const chain = errorOf(`${Array.from({ length: 40 }, (_, i) => `value.n${i}`).join(' + ')} > 0`);
    expect(chain.message).toContain('more than 32 levels deep');
    // 32 levels are fine.
    expect(compileFilter(`${'('.repeat(32)}true${')'.repeat(32)}`)).toMatchObject({ ok: true });
  });

  it('rejects comprehensions nested more than 2 deep', () => {
    const source = 'value.all(a, value.all(b, value.exists(c, c == -1)))';
    expect(errorOf(source)).toEqual({
      message: expect.stringContaining('nested 3 deep here (limit 2)'),
      position: { offset: 31, line: 1, column: 32 },
    });
    // One after the other is not nesting.
    expect(compileFilter('value.filter(a, a > 1).map(b, b * 2).exists(c, c > 10)')).toMatchObject({ ok: true });
  });

  it('rejects string literals over 256 bytes', () => {
    const source = `valueText.contains("${'é'.repeat(150)}")`;
    expect(errorOf(source)).toEqual({
      message: 'This literal is 300 bytes long (limit 256): search for a shorter, distinctive part of it.',
      position: { offset: 19, line: 1, column: 20 },
    });
  });

  it('validates regular expression literals with RE2', () => {
    const backreference = errorOf("valueText.matches(r'(a)\\1')");
    expect(backreference.position).toEqual({ offset: 18, line: 1, column: 19 });
    expect(backreference.message).toContain('backreferences');
    expect(errorOf("valueText.matches('(?=a)b')").message).toContain('lookaround');
    expect(errorOf("valueText.matches('[a-')").message).toContain('missing closing ]');
  });

  it('rejects unknown names, record fields and functions, and misused macros', () => {
    expect(errorOf('vaule.a == 1')).toMatchObject({ position: { offset: 0 }, message: expect.stringContaining("Unknown name 'vaule'") });
    expect(errorOf('record.valueText == "x"')).toMatchObject({ position: { offset: 6 }, message: expect.stringContaining('valueAsText') });
    expect(errorOf('value.a == 1 && lower(keyText) == "x"')).toMatchObject({
      position: { offset: 16 },
      message: "Unknown function 'lower'.",
    });
    expect(errorOf('valueText.contains()').message).toBe("'contains' is not called like that: write x.contains(a).");
    expect(errorOf('value.items.exists(1, true)').message).toContain('takes a variable name');
    expect(errorOf('has(value)').message).toContain('has(value.status)');
    // Comprehension variables are names too.
    expect(compileFilter('value.items.exists(item, item.qty > 10)')).toMatchObject({ ok: true });
  });

  it('rejects an expression that cannot evaluate to a bool', () => {
    expect(errorOf('"FAILED"')).toEqual({ message: expect.stringContaining('evaluates to a string literal'), position: null });
    expect(errorOf('42').message).toContain('an int literal');
    expect(errorOf('valueText').message).toContain('valueText, a string');
    expect(errorOf('record.offset + 1').message).toContain("the result of '+'");
    expect(errorOf('value.items.map(i, i.qty)').message).toContain('a list');
    // Parsed JSON can be a bool: that is decided per record.
    expect(compileFilter('value.flagged')).toMatchObject({ ok: true });
    expect(compileFilter('value.a ? value.b : false')).toMatchObject({ ok: true });
  });
});
