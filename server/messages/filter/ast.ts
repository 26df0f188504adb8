import type { parse } from '@bufbuild/cel';

/** The library's parsed expression types, without depending on @bufbuild/cel-spec directly. */
export type ParsedFilter = ReturnType<typeof parse>;
export type Expr = ParsedFilter['expr'];
export type Call = Extract<Expr['exprKind'], { case: 'callExpr' }>['value'];

/** The direct sub-expressions of `expr`. */
export function childrenOf(expr: Expr): Expr[] {
  const kind = expr.exprKind;
  const children: (Expr | undefined)[] = [];
  switch (kind.case) {
    case 'selectExpr':
      children.push(kind.value.operand);
      break;
    case 'callExpr':
      children.push(kind.value.target, ...kind.value.args);
      break;
    case 'listExpr':
      children.push(...kind.value.elements);
      break;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        children.push(entry.keyKind.case === 'mapKey' ? entry.keyKind.value : undefined, entry.value);
      }
      break;
    case 'comprehensionExpr': {
      const c = kind.value;
      children.push(c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result);
      break;
    }
  }
  return children.filter((child): child is Expr => child !== undefined);
}

/** Every node of `expr`, parents before children. */
export function* allNodes(expr: Expr): Generator<Expr> {
  const pending = [expr];
  for (let e = pending.pop(); e; e = pending.pop()) {
    yield e;
    pending.push(...childrenOf(e));
  }
}

/** The literal pattern of `x.matches('…')` (the library has only the method form), else null. */
export function patternLiteral(call: Call): { expr: Expr; pattern: string } | null {
  const arg = call.args[0];
  if (call.function !== 'matches' || !call.target || call.args.length !== 1 || arg?.exprKind.case !== 'constExpr') return null;
  const constant = arg.exprKind.value.constantKind;
  return constant.case === 'stringValue' ? { expr: arg, pattern: constant.value } : null;
}
