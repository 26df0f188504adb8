import type { FilterError } from '../../../lib/contract/messages';
import { MAX_NESTING_DEPTH } from './limits';
import { errorAt, positionAt } from './position';

/**
 * A small CEL lexer and recursive-descent syntax check, run before the library's parser for two reasons:
 * - nesting is limited here, as written (brackets, unary operators, conditionals), before the library's deeply
 *   recursive parser runs (1000 nested parentheses exhaust its stack);
 * - the library reports a syntax error where the enclosing rule started ("found = but expecting end of input"
 *   at the `==` of `value.a == `); this check finds the token where the expression actually goes wrong.
 * The library's parser stays the authority: compile only uses a syntax error found here when the library rejects
 * the expression too, so a gap in this grammar can never reject a valid filter.
 */

export type SyntaxCheck =
  | { kind: 'ok' }
  /** Breaks MAX_NESTING_DEPTH: reported without running the library's parser. */
  | { kind: 'too-deep'; error: FilterError }
  | { kind: 'syntax'; error: FilterError };

type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'eof';

interface Token {
  kind: TokenKind;
  text: string;
  start: number;
}

class Problem extends Error {
  constructor(
    readonly offset: number,
    message: string,
    readonly tooDeep = false,
  ) {
    super(message);
  }
}

export function checkSyntax(source: string): SyntaxCheck {
  try {
    new SyntaxChecker(source, tokenize(source)).checkWhole();
    return { kind: 'ok' };
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    return { kind: e.tooDeep ? 'too-deep' : 'syntax', error: errorAt(source, e.offset, e.message) };
  }
}

/** Words CEL reserves as names; `true`, `false`, `null` and `in` are handled as literals and an operator. */
const RESERVED = new Set([
  'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace',
  'return', 'var', 'void', 'while',
]);

const TWO_CHAR_PUNCT = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const ONE_CHAR_PUNCT = new Set(['<', '>', '!', '+', '-', '*', '/', '%', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}']);

/** Operators people bring from other languages, with what to write instead (longest first). */
const FOREIGN_OPERATORS: ReadonlyArray<readonly [string, string]> = [
  ['===', '=='],
  ['!==', '!='],
  ['=', '=='],
  ['&', '&&'],
  ['|', '||'],
];

function foreignOperatorAt(source: string, i: number): string | null {
  for (const [op, instead] of FOREIGN_OPERATORS) {
    if (op.length === 1 && TWO_CHAR_PUNCT.has(source.slice(i, i + 2))) return null;
    if (source.startsWith(op, i)) return `'${op}' is not a CEL operator: use '${instead}'.`;
  }
  return null;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (stringPrefixLength(source, i) >= 0) {
      const end = scanString(source, i);
      tokens.push({ kind: 'string', text: source.slice(i, end), start: i });
      i = end;
    } else if (/[_a-zA-Z]/.test(c)) {
      const end = scanWhile(source, i, /[_a-zA-Z0-9]/);
      tokens.push({ kind: 'ident', text: source.slice(i, end), start: i });
      i = end;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const end = scanNumber(source, i);
      tokens.push({ kind: 'number', text: source.slice(i, end), start: i });
      i = end;
    } else {
      const foreign = foreignOperatorAt(source, i);
      if (foreign) throw new Problem(i, foreign);
      const two = source.slice(i, i + 2);
      const text = TWO_CHAR_PUNCT.has(two) ? two : ONE_CHAR_PUNCT.has(c) ? c : null;
      if (text === null) throw new Problem(i, `Unexpected character '${String.fromCodePoint(source.codePointAt(i)!)}'.`);
      tokens.push({ kind: 'punct', text, start: i });
      i += text.length;
    }
  }
  tokens.push({ kind: 'eof', text: 'end of the filter', start: source.length });
  return tokens;
}

function scanWhile(source: string, from: number, pattern: RegExp): number {
  let i = from;
  while (i < source.length && pattern.test(source[i]!)) i++;
  return i;
}

/** Length of an r/b prefix (0 to 2 letters) when a string literal starts at `i`, else -1. */
function stringPrefixLength(source: string, i: number): number {
  const prefix = /^(?:[rR][bB]?|[bB][rR]?)?(?=["'])/.exec(source.slice(i, i + 3));
  return prefix ? prefix[0].length : -1;
}

function scanString(source: string, start: number): number {
  const prefixLength = stringPrefixLength(source, start);
  const raw = /[rR]/.test(source.slice(start, start + prefixLength));
  let i = start + prefixLength;
  const quote = source[i]!;
  const triple = source.startsWith(quote.repeat(3), i);
  const close = triple ? quote.repeat(3) : quote;
  i += close.length;
  while (i < source.length) {
    if (source.startsWith(close, i)) return i + close.length;
    const c = source[i]!;
    if (!triple && (c === '\n' || c === '\r')) break;
    // The library keeps unknown escapes like \d as written (handy in regular expressions): only skip them.
    i += c === '\\' && !raw ? 2 : 1;
  }
  throw new Problem(start, 'This string is never closed: add the closing quote.');
}

function scanNumber(source: string, start: number): number {
  const hex = /^0[xX][0-9a-fA-F]+[uU]?/.exec(source.slice(start, start + 40));
  if (hex) return start + hex[0].length;
  const decimal = /^(?:[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|[0-9]+[uU]?)/.exec(source.slice(start, start + 400));
  const end = start + (decimal?.[0].length ?? 0);
  if (/[_a-zA-Z0-9]/.test(source[end] ?? '')) {
    throw new Problem(start, 'Malformed number: digits may be followed only by an operator, a bracket or a space.');
  }
  return end;
}

class SyntaxChecker {
  private at = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  checkWhole(): void {
    if (this.peek().kind === 'eof') throw new Problem(0, 'The filter is empty: write a condition such as value.status == "FAILED".');
    this.expr();
    const extra = this.peek();
    if (extra.kind !== 'eof') {
      const before = this.tokens[this.at - 1]!;
      throw new Problem(extra.start, `Unexpected '${extra.text}' after '${before.text}': is an operator such as '&&' or '==' missing?`);
    }
  }

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    return this.tokens[this.at++]!;
  }

  private accept(text: string): Token | null {
    const token = this.peek();
    if ((token.kind === 'punct' || token.kind === 'ident') && token.text === text) return this.next();
    return null;
  }

  /** One more level of nesting at `offset`; the caller calls leave() when the nested part ends. */
  private enter(offset: number): void {
    this.depth++;
    if (this.depth > MAX_NESTING_DEPTH) {
      throw new Problem(
        offset,
        `The filter is nested more than ${MAX_NESTING_DEPTH} levels deep here (brackets, '!', '-' and '? :' each add a level): simplify it.`,
        true,
      );
    }
  }

  private leave(levels = 1): void {
    this.depth -= levels;
  }

  private close(text: string, opener: Token): void {
    if (this.accept(text)) return;
    const found = this.peek();
    const { line, column } = positionAt(this.source, opener.start);
    const opened = `the '${opener.text}' at line ${line}, column ${column}`;
    throw new Problem(found.start, `Expected '${text}' to close ${opened}, but found ${describe(found)}.`);
  }

  private expr(): void {
    this.binary(0);
    const question = this.accept('?');
    if (!question) return;
    this.enter(question.start);
    this.binary(0);
    if (!this.accept(':')) {
      const { column } = positionAt(this.source, question.start);
      throw new Problem(this.peek().start, `Expected ':' for the '?' at column ${column}, but found ${describe(this.peek())}.`);
    }
    this.expr();
    this.leave();
  }

  /** Binary operators by precedence: ||, &&, relations, + -, * / %. */
  private binary(level: number): void {
    if (level === BINARY_LEVELS.length) return this.unary();
    this.binary(level + 1);
    for (;;) {
      const token = this.peek();
      if ((token.kind !== 'punct' && token.kind !== 'ident') || !BINARY_LEVELS[level]!.has(token.text)) return;
      this.next();
      this.operand(token);
      this.binary(level + 1);
    }
  }

  /** Fails with a useful message when the token after `operator` cannot start an operand. */
  private operand(operator: Token): void {
    const token = this.peek();
    if (startsOperand(token)) return;
    if (token.kind === 'eof') throw new Problem(token.start, `The filter ends after '${operator.text}': add what comes after it.`);
    throw new Problem(token.start, `Expected a value after '${operator.text}', but found ${describe(token)}.`);
  }

  private unary(): void {
    let levels = 0;
    let token = this.peek();
    const op = token.text === '!' || token.text === '-' ? token.text : null;
    while (op !== null && token.kind === 'punct' && token.text === op) {
      this.next();
      this.enter(token.start);
      levels++;
      this.operand(token);
      token = this.peek();
    }
    this.member();
    this.leave(levels);
  }

  private member(): void {
    this.primary();
    for (;;) {
      const token = this.peek();
      if (this.accept('.')) {
        const field = this.next();
        if (field.kind !== 'ident') throw new Problem(field.start, `Expected a field or method name after '.', but found ${describe(field)}.`);
        const open = this.accept('(');
        if (open) this.list(open, ')', () => this.expr());
      } else if (this.accept('[')) {
        this.enter(token.start);
        this.operand(token);
        this.expr();
        this.close(']', token);
        this.leave();
      } else {
        return;
      }
    }
  }

  private primary(): void {
    const token = this.next();
    switch (token.kind) {
      case 'number':
      case 'string':
        return;
      case 'ident': {
        if (token.text === 'in') throw new Problem(token.start, "'in' needs a value before it, e.g. 'x in [1, 2]'.");
        // Reserved as names, not as field names after a dot.
        if (RESERVED.has(token.text)) throw new Problem(token.start, `'${token.text}' is a reserved word in CEL and cannot be used as a name.`);
        const open = this.accept('(');
        if (open) return this.list(open, ')', () => this.expr());
        const brace = this.accept('{');
        if (brace) return this.list(brace, '}', () => this.fieldInit());
        return;
      }
      case 'punct':
        if (token.text === '.') {
          const name = this.next();
          if (name.kind !== 'ident') throw new Problem(name.start, `Expected a name after '.', but found ${describe(name)}.`);
          this.at--;
          return this.primary();
        }
        if (token.text === '(') {
          this.enter(token.start);
          this.operand(token);
          this.expr();
          this.close(')', token);
          return this.leave();
        }
        if (token.text === '[') return this.list(token, ']', () => this.expr());
        if (token.text === '{') return this.list(token, '}', () => this.mapInit());
        break;
      case 'eof':
        throw new Problem(token.start, 'The filter ends too early: a value is missing.');
    }
    throw new Problem(token.start, `Expected a value, but found ${describe(token)}.`);
  }

  /** A bracketed, comma-separated list (a trailing comma is allowed), the opener already consumed. */
  private list(opener: Token, closer: string, item: () => void): void {
    this.enter(opener.start);
    while (!this.accept(closer)) {
      if (this.peek().kind === 'eof' || !startsOperand(this.peek())) this.close(closer, opener);
      item();
      if (!this.accept(',')) {
        this.close(closer, opener);
        break;
      }
    }
    this.leave();
  }

  private mapInit(): void {
    this.expr();
    this.colon('after the map key');
    this.expr();
  }

  private fieldInit(): void {
    const field = this.next();
    if (field.kind !== 'ident') throw new Problem(field.start, `Expected a field name, but found ${describe(field)}.`);
    this.colon('after the field name');
    this.expr();
  }

  private colon(where: string): void {
    if (!this.accept(':')) throw new Problem(this.peek().start, `Expected ':' ${where}, but found ${describe(this.peek())}.`);
  }
}

const BINARY_LEVELS: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['||']),
  new Set(['&&']),
  new Set(['<', '<=', '>=', '>', '==', '!=', 'in']),
  new Set(['+', '-']),
  new Set(['*', '/', '%']),
];

function startsOperand(token: Token): boolean {
  if (token.kind === 'number' || token.kind === 'string') return true;
  if (token.kind === 'ident') return token.text !== 'in';
  return token.kind === 'punct' && ['!', '-', '(', '[', '{', '.'].includes(token.text);
}

function describe(token: Token): string {
  return token.kind === 'eof' ? 'the end of the filter' : `'${token.text}'`;
}
