import { setFlagsFromString } from 'node:v8';

/**
 * Rule patterns cannot stall a run. V8 has a linear-time regular expression engine (matching costs
 * O(pattern × input) whatever the pattern), behind flags set here once, before any rule pattern is compiled:
 *
 * - `--enable-experimental-regexp-engine` enables it for the `l` flag. Validation compiles every pattern with `l`:
 *   what the engine refuses (backreferences, lookahead and lookbehind, large counted repetitions such as
 *   `a{2,1000}`, and in Node 20 the `i` and `u` flags, which rules do not use) is refused as REGEX_NOT_LINEAR.
 * - `--enable-experimental-regexp-engine-on-excessive-backtracks` makes V8 run a match on the backtracking engine
 *   (irregexp, compiled to machine code) and, past a fixed number of backtracks, redo it on the linear one. Rules run
 *   their patterns this way: the linear engine alone is an interpreter, measured 10–30× slower on ordinary patterns
 *   (bench:feed-rules), while a pattern that validated can always fall back, so `(a+)+$` against "aaaa…b" costs
 *   milliseconds instead of hours.
 *
 * V8 flags are per process, so this holds on worker threads (the ingestion reader) and in jest's vm contexts; a
 * pattern of another library is unaffected unless it backtracks excessively, and then it only gets faster.
 */
let available: boolean | null = null;
/** The linear engine's flag (a constant, so linters that know only the standard flags leave it alone). */
const LINEAR = 'l';

export function linearRegexAvailable(): boolean {
  if (available === null) {
    try {
      setFlagsFromString('--enable-experimental-regexp-engine');
      setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
      available = new RegExp('a', LINEAR).flags.includes(LINEAR);
    } catch {
      available = false;
    }
  }
  return available;
}

export type LinearRegexResult =
  { ok: true; regex: RegExp } | { ok: false; code: 'INVALID_REGEX' | 'REGEX_NOT_LINEAR'; message: string };

/**
 * Checks that `pattern` can run in linear time and compiles it (`global` for REPLACE) for the backtracking engine
 * with the linear fallback; refuses anything the linear engine cannot run.
 */
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
    new RegExp(pattern, LINEAR);
  } catch {
    return {
      ok: false,
      code: 'REGEX_NOT_LINEAR',
      message:
        'The pattern needs backtracking (a backreference, lookahead/lookbehind or a large counted repetition such as {2,1000}), which could stall a run; rewrite it without',
    };
  }
  return { ok: true, regex: new RegExp(pattern, global ? 'g' : '') };
}
