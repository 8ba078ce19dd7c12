import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarksMarkdown, type Measured, writeBenchmarks } from '../../scripts/bench/benchmarks-md';
import { costPer10k } from '../../scripts/bench/cost';

const work = { reads: 1, writes: 2, readUnits: 0.5, writeUnits: 2 };
const warm = (p50: number) => ({ p50, p99: p50 * 2, floor50: p50 / 2, floor99: p50 });
const steps = [{ name: 'POST /signup', ms: 20, work, emails: 1, floorMs: 350 }];
const bundle = (name: string, clients: string[]) => ({
  name,
  bytes: 400_000,
  importMs: 90,
  clients,
  floorBytes: clients.length ? 250_000 : 0,
  floorImportMs: 70,
});
const measured: Measured = {
  samples: 200,
  quick: false,
  rows: [{ figure: 'warm verification p50 ÷ its raw I/O floor', value: '2×', goal: '≤ 1.3×', holds: false }],
  warm: { 'sign-up': warm(30), verification: warm(10), decision: warm(18) },
  work: { 'verification (POST /verify)': work },
  steps,
  scale: { service: 70, floor: 140, asBuilt: 92 },
  sweepReads: new Map([
    [100, 10],
    [10_000, 10],
  ]),
  cold: {
    bundles: [bundle('Verify', ['dynamodb:GetCommand', 'ses:SendEmailCommand']), bundle('Pages', [])],
    bareMs: 40,
    fixed: { lines: { 'CloudWatch alarms': { count: 46, dollars: 4.6 } }, total: 7 },
  },
  cost: costPer10k(steps, 512),
  told: { changes: 200, p50Ms: 0, p99Ms: 4, maxMs: 9, beforeAnswer: 190, fromClickP99Ms: 30, sweepSeconds: 60 },
};

describe('BENCHMARKS.md', () => {
  it('says what each figure means for a person, with the run’s figures', () => {
    const text = benchmarksMarkdown(measured);
    expect(text).toContain('**The sandbox is told of a change** 0 ms after it at the median and 4 ms at worst');
    expect(benchmarksMarkdown({ ...measured, told: { ...measured.told, beforeAnswer: 200 } })).toContain(
      "**The sandbox is told of a change** before the person's answer comes back, every time (200 of 200 changes, receiver up; 30 ms from the click at p99)",
    );
    expect(text).toContain('the change sends its event before it answers, so a contractor');
    expect(benchmarksMarkdown({ ...measured, told: { ...measured.told, p50Ms: 30_000, p99Ms: 59_500 } })).toContain(
      'events go out only with the sweep, every 60 s',
    );
    expect(text).toContain('an idle deployment pays $7.00 a month');
    expect(text).toContain('| warm verification p50 ÷ its raw I/O floor | 2× | ≤ 1.3× | **no** |');
    expect(text).toContain('| Pages | 400 kB | 0 kB | — |');
    expect(text).not.toMatch(/DESIGN|§\s?\d|\.\.\/shared/);
  });

  it('is written to the file given, exactly as rendered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-md-'));
    try {
      const file = join(dir, 'BENCHMARKS.md');
      expect(existsSync(file)).toBe(false);
      writeBenchmarks(measured, file);
      expect(readFileSync(file, 'utf8')).toBe(benchmarksMarkdown(measured));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
