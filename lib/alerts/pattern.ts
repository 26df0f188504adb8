/**
 * Subject patterns of alert rules: an exact name, `*` (every non-internal subject), or a regex written "/.../".
 *
 * Rules come from the UI as well as from the config file, so a regex is untrusted input run once per subject per
 * poll cycle. JS regexes backtrack: a pattern such as `(a+)+$` can take seconds on a 30-character name and would
 * block the poller. We cap the length and refuse nested quantifiers (the usual shape of catastrophic
 * backtracking); Kafka names are at most 249 characters (group ids are capped too), which bounds the rest.
 */
export const MAX_PATTERN_LENGTH = 200;
/** Group ids can be long; a longer subject is never matched by a regex (exact and `*` still apply). */
const MAX_SUBJECT_LENGTH = 1024;

const REGEX_FORM = /^\/(.+)\/([i]?)$/s;
/** A quantified group that itself contains a quantifier: (x+)+, (x*)*, (x+){2,}, (a|b+)+ ... */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;

export type PatternCheck = { ok: true } | { ok: false; message: string };

export interface CompiledPattern {
  readonly source: string;
  matches(name: string, internal?: boolean): boolean;
}

export function isRegexPattern(pattern: string): boolean {
  return REGEX_FORM.test(pattern);
}

/** Why a pattern cannot be used, in words for the config file or the UI; ok when it can. */
export function checkPattern(pattern: string): PatternCheck {
  if (pattern.length === 0) return { ok: false, message: 'the pattern is empty; write a name, "*" for all, or a regex like "/^orders-.*/"' };
  if (pattern.length > MAX_PATTERN_LENGTH) return { ok: false, message: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  const regex = REGEX_FORM.exec(pattern);
  if (!regex) return { ok: true };
  const body = regex[1]!;
  if (NESTED_QUANTIFIER.test(body)) {
    return { ok: false, message: `the regex ${pattern} nests quantifiers (like "(a+)+"), which can hang the poller; simplify it` };
  }
  try {
    new RegExp(body, regex[2]);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: `the regex ${pattern} does not compile (${(err as Error).message}); fix it, or write the exact name without slashes` };
  }
}

/** Compiles a pattern that passed checkPattern; a pattern that did not never matches anything. */
export function compilePattern(pattern: string): CompiledPattern {
  const check = checkPattern(pattern);
  if (!check.ok) return { source: pattern, matches: () => false };
  if (pattern === '*') return { source: pattern, matches: (_name, internal = false) => !internal };
  const regex = REGEX_FORM.exec(pattern);
  if (!regex) return { source: pattern, matches: (name) => name === pattern };
  const re = new RegExp(regex[1]!, regex[2]);
  // An explicit regex may match internal topics (`/^__consumer/`): the user asked for them by name.
  return { source: pattern, matches: (name) => name.length <= MAX_SUBJECT_LENGTH && re.test(name) };
}
