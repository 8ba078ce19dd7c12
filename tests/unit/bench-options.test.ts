import { describe, expect, it } from 'vitest';
import { benchOptions } from '../../scripts/bench/options';

describe('npm run bench arguments', () => {
  it('writes BENCHMARKS.md only when --write is given, quick or not', () => {
    expect(benchOptions([])).toEqual({ quick: false, write: false });
    expect(benchOptions(['--quick'])).toEqual({ quick: true, write: false });
    expect(benchOptions(['--write'])).toEqual({ quick: false, write: true });
    expect(benchOptions(['--quick', '--write'])).toEqual({ quick: true, write: true });
  });

  it('refuses an argument it does not know instead of running without it', () => {
    expect(() => benchOptions(['--wirte'])).toThrow(/--wirte/);
  });
});
