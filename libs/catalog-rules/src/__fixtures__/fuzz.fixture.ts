import fc from 'fast-check';

/**
 * Settings for the property-based (fuzz) suites: a fixed number of runs keeps each suite bounded in CI, and the seed
 * is random per run (so CI keeps exploring) but printed by fast-check on failure. Replay a failure with
 * FUZZ_SEED=<seed> (and the printed path with FUZZ_PATH); FUZZ_RUNS multiplies the runs for a longer local session.
 */
export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  const scale = Number(process.env.FUZZ_RUNS ?? '1');
  const seed = process.env.FUZZ_SEED;
  const path = process.env.FUZZ_PATH;
  return {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    ...(seed ? { seed: Number(seed) } : {}),
    ...(path ? { path } : {}),
  };
}

/** Text as feeds carry it: printable ASCII, markup and entity characters, whitespace of every kind, controls, any Unicode. */
export const feedText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '<',
          '>',
          '&',
          ';',
          '#',
          '/',
          '"',
          "'",
          '=',
          ' ',
          '\n',
          '\r',
          '\t',
          '\u00A0',
          '\u200B',
          '\u202E',
          '\u2066',
          '\u200D',
          '\uFEFF',
          '\u00AD',
          '\u0301',
          '\uFFFD',
          '\uD800',
          '\uDC00',
          '\0',
          '\x85',
          'é',
          'e',
          'p',
          'b',
          'r',
          'amp',
          'lt',
          'gt',
          'nbsp',
        ),
      },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    ),
    maxLength,
  });
