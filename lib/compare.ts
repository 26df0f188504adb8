/**
 * Plain code-unit order. Not localeCompare: its result depends on the locale and the engine, and the browser and
 * the server must sort (and so lay out) the same graph identically.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
