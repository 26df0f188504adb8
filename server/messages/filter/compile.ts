import { plan } from '@bufbuild/cel';
import type { FilterError } from '../../../lib/contract/messages';
import type { ParsedFilter } from './ast';
import { filterEnv, parseFilter } from './env';
import { inspectFilter } from './inspect';
import { MAX_EXPRESSION_CHARS } from './limits';
import { errorAt, errorOnWhole } from './position';
import { checkSyntax } from './syntax';

/**
 * A filter that passed every static check. Plain data, so it can be posted to a worker, which parses and plans
 * it once per source and caches the plan.
 */
export interface CompiledFilter {
  /** The expression, trimmed: the cache key of the plan. */
  readonly source: string;
}

export type CompileResult = { ok: true; filter: CompiledFilter } | { ok: false; error: FilterError };

/** Checks a CEL filter typed by a user. Positions in errors refer to `source` exactly as given. */
export function compileFilter(source: string): CompileResult {
  if (source.trim() === '') {
    return failed(errorOnWhole('The filter is empty: write a condition such as value.status == "FAILED", or clear the filter.'));
  }
  if (source.length > MAX_EXPRESSION_CHARS) {
    return failed(errorOnWhole(`The filter is ${source.length} characters long (limit ${MAX_EXPRESSION_CHARS}): shorten it.`));
  }
  const syntax = checkSyntax(source);
  if (syntax.kind === 'too-deep') return failed(syntax.error);
  let parsed: ParsedFilter;
  try {
    parsed = parseFilter(source);
  } catch (e) {
    // Our own check usually points closer to the mistake; the library's error is the fallback.
    return failed(syntax.kind === 'syntax' ? syntax.error : libraryParseError(source, e));
  }
  const problem = inspectFilter(source, parsed);
  if (problem) return failed(problem);
  try {
    plan(filterEnv, parsed);
  } catch (e) {
    return failed(errorOnWhole(`The filter cannot be evaluated: ${messageOf(e)}.`));
  }
  return { ok: true, filter: { source: source.trim() } };
}

function failed(error: FilterError): CompileResult {
  return { ok: false, error };
}

/** The parser's errors carry a peggy location ({ start: { offset } }); other errors (bad escapes) carry none. */
function libraryParseError(source: string, e: unknown): FilterError {
  const offset = (e as { location?: { start?: { offset?: unknown } } } | null)?.location?.start?.offset;
  const raw = (e as { rawMessage?: unknown } | null)?.rawMessage;
  const message = `The filter does not parse: ${typeof raw === 'string' ? raw : messageOf(e)}.`;
  return typeof offset === 'number' ? errorAt(source, offset, message) : errorOnWhole(message);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
