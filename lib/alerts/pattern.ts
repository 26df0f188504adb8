/**
 * Subject patterns of alert rules: an exact name, or a glob where `*` is any run of characters and `?` one
 * character. The pattern `*` alone matches every subject except internal topics (`__consumer_offsets`...).
 *
 * Rules come from the UI (an API without authentication) as well as from the config file, so a pattern is
 * untrusted input run once per subject per poll cycle on the poller's thread. Regexes are refused: JS regexes
 * backtrack, and no syntactic guard catches every catastrophic shape (`((a+))+$`, `(a|a)+$` ...). A glob is
 * matched by an iterative two-pointer matcher that never builds a RegExp: O(subject × pattern) at worst, with
 * the pattern capped at MAX_PATTERN_LENGTH characters and the subject at MAX_SUBJECT_LENGTH.
 */
export const MAX_PATTERN_LENGTH = 200;
/** Group ids can be long; a longer subject is never matched by a wildcard glob (an exact name still is). */
export const MAX_SUBJECT_LENGTH = 1024;

/** Written like a JS regex literal: "/.../" with optional flags. */
const REGEX_FORM = /^\/.+\/[dgimsuvy]*$/s;

export const REGEX_REFUSED = 'regex patterns are not supported (they can hang the server); use a glob such as billing-*';

export type PatternCheck = { ok: true } | { ok: false; message: string };

export interface CompiledPattern {
  readonly source: string;
  matches(name: string, internal?: boolean): boolean;
}

/** Why a pattern cannot be used, in words for the config file or the UI; ok when it can. */
export function checkPattern(pattern: string): PatternCheck {
  if (pattern.length === 0) return { ok: false, message: 'the pattern is empty; write a name, "*" for all, or a glob such as "billing-*"' };
  if (pattern.length > MAX_PATTERN_LENGTH) return { ok: false, message: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  if (REGEX_FORM.test(pattern)) return { ok: false, message: REGEX_REFUSED };
  return { ok: true };
}

/**
 * Whether `name` matches the glob `pattern` (`*` any run, `?` one character, anything else itself). The classic
 * greedy two-pointer algorithm: on a mismatch after a `*`, let that star swallow one more character and retry from
 * there. Only the last star ever needs revisiting, so the work is at most name.length × pattern.length steps.
 */
export function globMatches(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let starMatch = 0;
  while (n < name.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && c !== 42 /* * */ && (c === 63 /* ? */ || c === name.charCodeAt(n))) {
      p += 1;
      n += 1;
    } else if (p < pattern.length && c === 42) {
      star = p;
      starMatch = n;
      p += 1;
    } else if (star >= 0) {
      p = star + 1;
      starMatch += 1;
      n = starMatch;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p += 1;
  return p === pattern.length;
}

/** Compiles a pattern that passed checkPattern; a pattern that did not never matches anything. */
export function compilePattern(pattern: string): CompiledPattern {
  const check = checkPattern(pattern);
  if (!check.ok) return { source: pattern, matches: () => false };
  // "*" (or "**"...) means "all of them": never the internal topics, which nobody means by "all".
  if (/^\*+$/.test(pattern)) return { source: pattern, matches: (_name, internal = false) => !internal };
  if (!/[*?]/.test(pattern)) return { source: pattern, matches: (name) => name === pattern };
  // Any other glob may match internal topics (`__consumer*`): the user asked for them by name.
  return { source: pattern, matches: (name) => name.length <= MAX_SUBJECT_LENGTH && globMatches(pattern, name) };
}
