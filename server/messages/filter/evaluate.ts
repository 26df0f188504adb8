import { celType, isCelError, plan, type CelResult } from '@bufbuild/cel';
import { RecordActivation, recordFieldsUsed } from './activation';
import { allNodes, patternLiteral } from './ast';
import type { CompiledFilter } from './compile';
import { filterEnv, parseFilter, preparePattern, typeName } from './env';
import type { FilterRecord } from './record';
import type { RecordField } from './variables';

/** A planned filter: evaluates one record to a match, a miss, or an error message. */
export interface PlannedFilter {
  /** true or false, or why the record could not be evaluated (the record then does not match). */
  evaluate(record: FilterRecord): boolean | string;
}

/** Plans by source: a scan sends the same filter batch after batch. Few filters are live at a time. */
const planned = new Map<string, PlannedFilter>();
const MAX_PLANNED = 32;

export function plannedFilter(filter: CompiledFilter): PlannedFilter {
  let found = planned.get(filter.source);
  if (found === undefined) {
    found = planFilter(filter.source);
    if (planned.size >= MAX_PLANNED) planned.delete(planned.keys().next().value!);
    planned.set(filter.source, found);
  }
  return found;
}

function planFilter(source: string): PlannedFilter {
  const parsed = parseFilter(source);
  const program = plan(filterEnv, parsed);
  const recordFields: ReadonlySet<RecordField> = recordFieldsUsed(parsed.expr);
  // Compiled now, so that the first record's time budget does not pay for it.
  for (const node of allNodes(parsed.expr)) {
    const literal = node.exprKind.case === 'callExpr' ? patternLiteral(node.exprKind.value) : null;
    if (literal) preparePattern(literal.pattern);
  }
  return {
    evaluate(record) {
      // The activation is a class instance with getters; the library only reads bindings[name].
      return verdict(program(new RecordActivation(record, recordFields) as unknown as Parameters<typeof program>[0]));
    },
  };
}

function verdict(result: CelResult): boolean | string {
  if (typeof result === 'boolean') return result;
  if (isCelError(result)) return result.message;
  return `the filter evaluated to a value of type ${typeName(celType(result))}, not to true or false`;
}
