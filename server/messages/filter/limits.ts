/**
 * Static limits of the message filter. A filter is user input evaluated against every record of a scan, so
 * what it may cost is bounded twice: at compile time (size and shape of the expression) and at run time
 * (input caps and a per-record time budget enforced by the worker pool's watchdog).
 */

/** Longest expression accepted, in UTF-16 code units (what the browser's text box counts). */
export const MAX_EXPRESSION_CHARS = 2048;

/** Most AST nodes after macro expansion: bounds planning work and per-record evaluation steps. */
export const MAX_AST_NODES = 1000;

/**
 * Deepest nesting, both as written (brackets, unary operators, conditionals) and in the AST (left-deep operator
 * chains): the parser and the evaluator are recursive, so this also keeps them far from the stack limit.
 */
export const MAX_NESTING_DEPTH = 32;

/** Comprehensions (all, exists, exists_one, map, filter) inside the body of another: cost is O(n^depth). */
export const MAX_COMPREHENSION_NESTING = 2;

/** Longest string or bytes literal, in UTF-8 bytes: literals are also regular expressions, keep them small. */
export const MAX_STRING_LITERAL_BYTES = 256;

/** A key or value is parsed as JSON only up to this size; larger ones are searched as text. */
export const MAX_JSON_BYTES = 1024 * 1024;

/** A JSON document nested deeper than this is searched as text (its conversion for CEL is recursive). */
export const MAX_JSON_DEPTH = 64;

/** Longest time one record may take: past it the worker is terminated and the scan fails with a clear error. */
export const PER_RECORD_BUDGET_MS = 50;

/** Records per worker round trip: big enough to amortise the message, small enough to keep latency low. */
export const DEFAULT_BATCH_SIZE = 500;
