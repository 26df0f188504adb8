import type { FilterError } from '../../../lib/contract/messages';
import { patternLiteral, type Call, type Expr, type ParsedFilter } from './ast';
import { FUNCTIONS, preparePattern, type CallShape } from './env';
import { MAX_AST_NODES, MAX_COMPREHENSION_NESTING, MAX_NESTING_DEPTH, MAX_STRING_LITERAL_BYTES } from './limits';
import { errorAt, errorOnWhole } from './position';
import { isRecordField, isVariable, RECORD_FIELDS, TYPE_NAMES, VARIABLES } from './variables';

/**
 * Static checks of a parsed filter: size and shape limits, names, regular expression literals and whether the
 * result can be a bool. Everything that can be found before the first record is found here, so a mistake is
 * reported once with its position instead of as an error on every record.
 */

/** Calls the planner handles itself rather than through the function table. */
const PLANNER_OPERATORS = new Set(['_&&_', '_||_', '_?_:_', '_[_]', '_[?_]', '_?._', '@not_strictly_false', '__not_strictly_false__']);

/** Macros the parser expands when their first argument is a plain name; left as calls, they were misused. */
const MACROS = new Set(['all', 'exists', 'exists_one', 'existsOne', 'map', 'filter']);

const NAMES_HELP = `the filter can use ${Object.keys(VARIABLES).join(', ')}`;

export function inspectFilter(source: string, parsed: ParsedFilter): FilterError | null {
  const walker = new Walker(source, parsed.sourceInfo?.positions ?? {});
  walker.visit(parsed.expr, 1, 0, new Set());
  if (walker.nodes > MAX_AST_NODES) {
    return errorOnWhole(`The filter is too large: ${walker.nodes} expression nodes (limit ${MAX_AST_NODES}); shorten it.`);
  }
  return walker.problem ?? checkResultType(parsed.expr);
}

class Walker {
  nodes = 0;
  problem: FilterError | null = null;

  constructor(
    private readonly source: string,
    private readonly positions: { [id: string]: number },
  ) {}

  /** Keeps the first problem in visiting order (outer before inner, left before right); counting goes on. */
  private report(at: Expr, message: string): void {
    if (this.problem) return;
    let offset = this.positions[at.id.toString()] ?? 0;
    // Operator positions can include the whitespace before the operator.
    while (/\s/.test(this.source[offset] ?? '')) offset++;
    this.problem = errorAt(this.source, offset, message);
  }

  visit(expr: Expr, depth: number, comprehensions: number, scope: ReadonlySet<string>): void {
    this.nodes++;
    if (depth > MAX_NESTING_DEPTH) {
      this.report(
        expr,
        `The filter nests more than ${MAX_NESTING_DEPTH} levels deep here ` +
          '(a long chain like a + b + c + … nests one level per operator): simplify it.',
      );
    }
    const inner = depth + 1;
    const kind = expr.exprKind;
    switch (kind.case) {
      case 'constExpr': {
        const constant = kind.value.constantKind;
        const bytes = constant.case === 'stringValue' ? Buffer.byteLength(constant.value) : constant.case === 'bytesValue' ? constant.value.length : 0;
        if (bytes > MAX_STRING_LITERAL_BYTES) {
          const limit = MAX_STRING_LITERAL_BYTES;
          this.report(expr, `This literal is ${bytes} bytes long (limit ${limit}): search for a shorter, distinctive part of it.`);
        }
        return;
      }
      case 'identExpr':
        return this.checkName(expr, kind.value.name, scope);
      case 'selectExpr': {
        const { operand, field } = kind.value;
        const onRecord = operand?.exprKind.case === 'identExpr' && operand.exprKind.value.name === 'record' && !scope.has('record');
        if (onRecord && !isRecordField(field)) {
          this.report(expr, `record has no field '${field}'; its fields are ${Object.keys(RECORD_FIELDS).join(', ')}.`);
        }
        if (operand) this.visit(operand, inner, comprehensions, scope);
        return;
      }
      case 'callExpr': {
        const call = kind.value;
        if (call.target && this.isQualifiedFunction(call, scope)) {
          for (const arg of call.args) this.visit(arg, inner, comprehensions, scope);
          return;
        }
        this.checkCall(expr, call);
        if (call.target) this.visit(call.target, inner, comprehensions, scope);
        for (const arg of call.args) this.visit(arg, inner, comprehensions, scope);
        return;
      }
      case 'listExpr':
        for (const element of kind.value.elements) this.visit(element, inner, comprehensions, scope);
        return;
      case 'structExpr':
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') this.visit(entry.keyKind.value, inner, comprehensions, scope);
          if (entry.value) this.visit(entry.value, inner, comprehensions, scope);
        }
        return;
      case 'comprehensionExpr': {
        const c = kind.value;
        const level = comprehensions + 1;
        if (level > MAX_COMPREHENSION_NESTING) {
          this.report(
            expr,
            `all/exists/exists_one/map/filter are nested ${level} deep here (limit ${MAX_COMPREHENSION_NESTING}): ` +
              'each level multiplies the work per record; simplify the filter.',
          );
        }
        // The range and the initial value are evaluated once per comprehension, outside its loop.
        for (const part of [c.iterRange, c.accuInit]) if (part) this.visit(part, inner, comprehensions, scope);
        const loopScope = new Set([...scope, c.iterVar, c.accuVar]);
        for (const part of [c.loopCondition, c.loopStep, c.result]) if (part) this.visit(part, inner, level, loopScope);
        return;
      }
    }
  }

  private checkName(expr: Expr, name: string, scope: ReadonlySet<string>): void {
    if (scope.has(name)) return;
    const global = name.startsWith('.') ? name.slice(1) : name;
    if (isVariable(global) || TYPE_NAMES.has(global)) return;
    this.report(expr, `Unknown name '${name}': ${NAMES_HELP}.`);
  }

  /** `strings.quote(x)`: a function whose name has dots, parsed as a method call on a name. */
  private isQualifiedFunction(call: Call, scope: ReadonlySet<string>): boolean {
    const parts: string[] = [];
    let target = call.target;
    while (target?.exprKind.case === 'selectExpr') {
      parts.unshift(target.exprKind.value.field);
      target = target.exprKind.value.operand;
    }
    if (target?.exprKind.case !== 'identExpr' || scope.has(target.exprKind.value.name)) return false;
    parts.unshift(target.exprKind.value.name);
    return FUNCTIONS.has(`${parts.join('.')}.${call.function}`);
  }

  private checkCall(expr: Expr, call: Call): void {
    const name = call.function;
    if (PLANNER_OPERATORS.has(name)) return;
    const info = FUNCTIONS.get(name);
    if (!info) {
      if (MACROS.has(name)) {
        this.report(expr, `${name}() takes a variable name and an expression, e.g. value.items.${name}(item, item.qty > 10).`);
      } else if (name === 'has') {
        this.report(expr, 'has() takes a field, e.g. has(value.status).');
      } else {
        this.report(expr, `Unknown function '${name}'.`);
      }
      return;
    }
    const method = call.target !== undefined;
    if (!info.shapes.some((s) => s.method === method && s.arity === call.args.length)) {
      this.report(expr, `'${name}' is not called like that: write ${info.shapes.map((s) => callForm(name, s)).join(' or ')}.`);
      return;
    }
    const literal = patternLiteral(call);
    if (literal) {
      try {
        preparePattern(literal.pattern);
      } catch (e) {
        this.report(
          literal.expr,
          `Invalid regular expression (${e instanceof Error ? e.message : String(e)}). Filters use RE2 syntax: ` +
            'backreferences (\\1) and lookaround ((?=…), (?!…), (?<=…), (?<!…)) are not supported.',
        );
      }
    }
  }
}

function callForm(name: string, shape: CallShape): string {
  const args = ['a', 'b', 'c', 'd'].slice(0, shape.arity).join(', ');
  return shape.method ? `x.${name}(${args})` : `${name}(${args})`;
}

/**
 * What the whole expression evaluates to, as far as it is known statically: 'bool', 'dyn' (depends on the
 * record) or a description of a value that is never a bool.
 */
type StaticType = { kind: 'bool' } | { kind: 'dyn' } | { kind: 'other'; description: string };

const BOOL: StaticType = { kind: 'bool' };
const DYN: StaticType = { kind: 'dyn' };

function checkResultType(expr: Expr): FilterError | null {
  const type = staticType(expr);
  if (type.kind !== 'other') return null;
  return errorOnWhole(
    `The filter must evaluate to true or false, but it evaluates to ${type.description}: ` +
      'compare it with something, e.g. value.status == "FAILED" or valueText.contains("timeout").',
  );
}

function named(typeName: string, description: string): StaticType {
  return typeName === 'bool' ? BOOL : typeName === 'dyn' ? DYN : { kind: 'other', description };
}

function staticType(expr: Expr): StaticType {
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'constExpr': {
      const constant = kind.value.constantKind;
      return constant.case === 'boolValue' ? BOOL : { kind: 'other', description: withArticle(`${literalName(constant.case)} literal`) };
    }
    case 'identExpr': {
      const name = kind.value.name.replace(/^\./, '');
      if (isVariable(name)) return named(VARIABLES[name], `${name}, ${withArticle(VARIABLES[name])}`);
      return TYPE_NAMES.has(name) ? { kind: 'other', description: 'a type' } : DYN;
    }
    case 'selectExpr': {
      const { operand, field, testOnly } = kind.value;
      if (testOnly) return BOOL;
      const onRecord = operand?.exprKind.case === 'identExpr' && operand.exprKind.value.name === 'record';
      return onRecord && isRecordField(field) ? named(RECORD_FIELDS[field], `record.${field}, ${withArticle(RECORD_FIELDS[field])}`) : DYN;
    }
    case 'listExpr':
      return { kind: 'other', description: 'a list' };
    case 'structExpr':
      return { kind: 'other', description: kind.value.messageName ? 'a message' : 'a map' };
    case 'comprehensionExpr': {
      // all/exists/map/filter return their accumulator, whose type is that of its initial value.
      const { result, accuVar, accuInit } = kind.value;
      const returnsAccumulator = result?.exprKind.case === 'identExpr' && result.exprKind.value.name === accuVar;
      const decisive = returnsAccumulator ? accuInit : result;
      return decisive ? staticType(decisive) : DYN;
    }
    case 'callExpr':
      return callType(kind.value);
    default:
      return DYN;
  }
}

function callType(call: Call): StaticType {
  switch (call.function) {
    case '_&&_':
    case '_||_':
    case '@not_strictly_false':
    case '__not_strictly_false__':
      return BOOL;
    case '_?_:_': {
      const [yes, no] = call.args.slice(1).map(staticType);
      if (!yes || !no) return DYN;
      if (yes.kind === 'other' && no.kind === 'other') return yes;
      return yes.kind === 'bool' && no.kind === 'bool' ? BOOL : DYN;
    }
  }
  const results = FUNCTIONS.get(call.function)?.results;
  if (!results || results.has('dyn')) return DYN;
  if (results.has('bool')) return results.size === 1 ? BOOL : DYN;
  return { kind: 'other', description: `the result of '${call.function.replace(/^_|_$/g, '')}' (${[...results].join(' or ')})` };
}

function literalName(constantCase: string | undefined): string {
  return (constantCase ?? 'value').replace(/Value$/, '').replace('int64', 'int').replace('uint64', 'uint');
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}
