/**
 * The runs of a property-based test: `n` by default, scaled by FUZZ_RUNS (a multiplier: FUZZ_RUNS=20 explores longer),
 * and replaying FUZZ_SEED (the seed fast-check printed on a failure) when it is set. Shared by the end-to-end fuzz
 * suites (apps/api/test/*-fuzz.e2e.spec.ts).
 */
export function fuzzRuns(n: number): number {
  const scale = Number(process.env.FUZZ_RUNS ?? '1');
  return Math.max(1, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** fast-check's parameters for `fuzzRuns(n)` runs, with FUZZ_SEED when set. */
export function fuzzOptions(n: number): { numRuns: number; seed?: number } {
  const seed = process.env.FUZZ_SEED;
  return { numRuns: fuzzRuns(n), ...(seed ? { seed: Number(seed) } : {}) };
}
