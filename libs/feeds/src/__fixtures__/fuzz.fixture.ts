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

/** Cut points for splitting a string or buffer of `length` into chunks (sorted, unique, inside 1…length-1). */
export function cutsFor(length: number): fc.Arbitrary<number[]> {
  if (length < 2) return fc.constant([]);
  return fc
    .oneof(
      fc.uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: 12 }),
      // Small fixed chunk sizes put a boundary everywhere, inside every CRLF, "" and multi-byte character.
      {
        weight: 2,
        arbitrary: fc
          .integer({ min: 1, max: 4 })
          .map((size) => Array.from({ length: Math.ceil(length / size) - 1 }, (_, i) => (i + 1) * size)),
      },
    )
    .map((cuts) => [...new Set(cuts)].filter((cut) => cut > 0 && cut < length).sort((a, b) => a - b));
}

export function splitAt<T extends string | Buffer>(data: T, cuts: readonly number[]): T[] {
  const parts: T[] = [];
  let from = 0;
  for (const cut of cuts) {
    parts.push(data.slice(from, cut) as T);
    from = cut;
  }
  parts.push(data.slice(from) as T);
  return parts;
}
