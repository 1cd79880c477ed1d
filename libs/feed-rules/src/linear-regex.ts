import { setFlagsFromString } from 'node:v8';

/**
 * Rule patterns run on V8's linear-time regular expression engine (the `l` flag): matching costs
 * O(pattern × input) whatever the pattern, so `(a+)+$` against "aaaa…b" cannot backtrack for hours. The engine
 * is behind a V8 flag, set here once before any pattern is compiled; V8 flags are per process, so it holds in
 * worker threads and jest's vm contexts too. The engine (Node 20's V8) refuses what needs backtracking:
 * backreferences, lookahead and lookbehind, large counted repetitions (`a{2,1000}`), and the `i` and `u` flags;
 * such patterns are refused when rules are validated (REGEX_NOT_LINEAR), never run on the backtracking engine.
 */
let available: boolean | null = null;
/** The linear engine's flag (a constant, so linters that know only the standard flags leave it alone). */
const LINEAR = 'l';

export function linearRegexAvailable(): boolean {
  if (available === null) {
    try {
      setFlagsFromString('--enable-experimental-regexp-engine');
      available = new RegExp('a', LINEAR).flags.includes(LINEAR);
    } catch {
      available = false;
    }
  }
  return available;
}

export type LinearRegexResult =
  { ok: true; regex: RegExp } | { ok: false; code: 'INVALID_REGEX' | 'REGEX_NOT_LINEAR'; message: string };

/** Compiles `pattern` for the linear engine (`global` for REPLACE); refuses anything it cannot run in linear time. */
export function compileLinearRegex(pattern: string, global = false): LinearRegexResult {
  try {
    new RegExp(pattern);
  } catch (error) {
    return { ok: false, code: 'INVALID_REGEX', message: `Not a valid regular expression: ${(error as Error).message}` };
  }
  if (!linearRegexAvailable()) {
    return {
      ok: false,
      code: 'REGEX_NOT_LINEAR',
      message: 'Patterns are unavailable: this runtime has no linear-time regular expression engine',
    };
  }
  try {
    return { ok: true, regex: new RegExp(pattern, global ? `g${LINEAR}` : LINEAR) };
  } catch {
    return {
      ok: false,
      code: 'REGEX_NOT_LINEAR',
      message:
        'The pattern needs backtracking (a backreference, lookahead/lookbehind or a large counted repetition such as {2,1000}), which could stall a run; rewrite it without',
    };
  }
}
