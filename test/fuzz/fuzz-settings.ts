import fc from 'fast-check';

/**
 * The in-suite run is small and always the same (a fixed seed); `FUZZ_RUNS=N` and `FUZZ_SEED=S` turn a file into a
 * long local campaign, and fast-check prints the seed and the shrunk counterexample of a failure to replay it.
 */
const DEFAULT_SEED = 20261202;

function fromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

export const FUZZ_SEED = fromEnv('FUZZ_SEED') ?? DEFAULT_SEED;
const FUZZ_RUNS = fromEnv('FUZZ_RUNS');

/** How many runs a property makes: `inSuite` unless FUZZ_RUNS asks for more (or fewer). */
function fuzzRuns(inSuite: number): number {
  return FUZZ_RUNS ?? inSuite;
}

/** fast-check parameters for one property of `inSuite` runs. */
export function fuzzParameters(inSuite: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: fuzzRuns(inSuite) };
}

/** A long campaign takes as long as it takes; the in-suite one stays well inside a minute and a half. */
export function fuzzTimeout(inSuiteMs: number): number {
  return FUZZ_RUNS === undefined ? inSuiteMs : 24 * 3600_000;
}
