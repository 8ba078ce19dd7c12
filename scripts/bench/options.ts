/** How a bench run was asked for: BENCHMARKS.md is rewritten only on `--write`, never as a side effect. */
export interface BenchOptions {
  /** Fewer samples and shorter runs, said so in the output. */
  readonly quick: boolean;
  /** Rewrite BENCHMARKS.md from this run's figures. */
  readonly write: boolean;
}

export function benchOptions(argv: readonly string[]): BenchOptions {
  const known = new Set(['--quick', '--write']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (unknown.length) throw new Error(`npm run bench: unknown argument ${unknown.join(' ')} (known: --quick, --write)`);
  return { quick: argv.includes('--quick'), write: argv.includes('--write') };
}
