import type { FilterError } from '../../../lib/contract/messages';

export type SourcePosition = NonNullable<FilterError['position']>;

/**
 * Where `offset` (0-based, UTF-16 code units like a browser text box) is in `source`: 1-based line and column.
 * Line breaks are \n, \r\n and \r, as the CEL parser counts them.
 */
export function positionAt(source: string, offset: number): SourcePosition {
  const clamped = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && source.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}

/** A FilterError at `offset` of `source`. */
export function errorAt(source: string, offset: number, message: string): FilterError {
  return { message, position: positionAt(source, offset) };
}

/** A FilterError about the whole expression. */
export function errorOnWhole(message: string): FilterError {
  return { message, position: null };
}
