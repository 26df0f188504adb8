import { celEnv, parse, type CelType } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
// The RE2 port @bufbuild/cel itself uses for matches() (its own dependency, pinned to the same version).
import { RE2JS } from '@bufbuild/re2';
import type { ParsedFilter } from './ast';

/**
 * The one CEL environment filters compile and run in: the standard library plus the strings extension
 * (lowerAscii, indexOf, split, ...), with matches() on a cached RE2. Nothing here does I/O.
 */

/** Compiled patterns by source: the library compiles the pattern on every call (about 6 µs, 3x a typical match). */
const patterns = new Map<string, RE2JS>();
const MAX_CACHED_PATTERNS = 256;

function compilePattern(pattern: string): RE2JS {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) {
    compiled = RE2JS.compile(pattern);
    // A pattern built at run time from record data could make this grow without end: start over instead.
    if (patterns.size >= MAX_CACHED_PATTERNS) patterns.clear();
    patterns.set(pattern, compiled);
  }
  return compiled;
}

export const filterEnv = celEnv({ funcs: strings, re2: { compile: compilePattern } });

/**
 * Parses a filter. The newline lets a filter end in a // comment: the library's grammar wants a line break
 * after a comment. Offsets are unchanged.
 */
export function parseFilter(source: string): ParsedFilter {
  return parse(`${source}\n`);
}

/**
 * Compiles `pattern` into the cache, or throws the RE2 syntax error (backreferences and lookaround are not RE2).
 * Workers call it while planning so that compiling, which can take 100 ms for the first Unicode class, is not
 * charged to the first record's time budget.
 */
export function preparePattern(pattern: string): void {
  compilePattern(pattern);
}

/** How a function can be called: as a method or not, and with how many arguments. */
export interface CallShape {
  method: boolean;
  arity: number;
}

export interface FunctionInfo {
  shapes: CallShape[];
  /** Result type names of every overload ('bool', 'int', 'dyn', 'list', ...). */
  results: ReadonlySet<string>;
}

/** Every function of the environment by name, for static checks of calls and of the result type. */
export const FUNCTIONS: ReadonlyMap<string, FunctionInfo> = (() => {
  const byName = new Map<string, { shapes: CallShape[]; results: Set<string> }>();
  for (const func of filterEnv.funcs) {
    let info = byName.get(func.name);
    if (!info) byName.set(func.name, (info = { shapes: [], results: new Set() }));
    const shape = { method: func.target !== undefined, arity: func.arguments.length };
    if (!info.shapes.some((s) => s.method === shape.method && s.arity === shape.arity)) info.shapes.push(shape);
    info.results.add(typeName(func.result));
  }
  return byName;
})();

/** A CEL type as people write it: int, string, list, map, timestamp, ... */
export function typeName(type: CelType): string {
  switch (type.kind) {
    case 'scalar':
      return type.name;
    case 'object':
      return type.name.replace(/^google\.protobuf\./, '').toLowerCase();
    default:
      return type.kind;
  }
}
