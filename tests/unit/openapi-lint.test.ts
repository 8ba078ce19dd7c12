import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/http/openapi';

/**
 * Redocly's own linter, with its recommended rules and nothing else: every problem it reports,
 * warning or error, fails. @redocly/cli is a bundled CLI with no Node API, so it runs once for
 * the whole file, on the document as served with and without BASE_URL and on a control it must refuse.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Problem {
  readonly ruleId: string;
  readonly severity: 'error' | 'warn';
  readonly message: string;
  readonly location: readonly { readonly source: { readonly ref: string }; readonly pointer: string }[];
}

let directory: string;
let problemsOf: (file: string) => string[];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  // An explicit config: a redocly.yaml found in some parent folder cannot change the rules.
  await writeFile(join(directory, 'redocly.yaml'), 'extends:\n  - recommended\n');
  const control = structuredClone(openApiDocument()) as { paths: Record<string, Record<string, { operationId?: string }>> };
  // A warning, not an error: the test fails on warnings too.
  delete control.paths['/signup']!.post!.operationId;
  const files = {
    configured: openApiDocument('https://sandbox.agency.gov'),
    relative: openApiDocument(),
    control,
  };
  for (const [name, document] of Object.entries(files)) await writeFile(join(directory, `${name}.json`), JSON.stringify(document));
  const { stdout } = await promisify(execFile)(
    join(root, 'node_modules', '.bin', 'redocly'),
    ['lint', '--config', 'redocly.yaml', '--format', 'json', '--max-problems', '1000', ...Object.keys(files).map((name) => `${name}.json`)],
    {
      cwd: directory,
      env: { PATH: process.env.PATH ?? '', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  // One pretty-printed report per file, one after another: only theirs start a line with a brace.
  const reports = JSON.parse(`[${stdout.replace(/^\}\{$/gm, '},{')}]`) as { problems: Problem[] }[];
  const problems = reports.flatMap((report) => report.problems);
  expect(reports).toHaveLength(Object.keys(files).length);
  problemsOf = (file) =>
    problems
      .filter((problem) => problem.location[0]?.source.ref.endsWith(file))
      .map((problem) => `${problem.severity} ${problem.ruleId} ${problem.location[0]?.pointer}: ${problem.message}`);
}, 60_000);

afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('the OpenAPI document under Redocly’s recommended rules', () => {
  it('has no problem, warning or error, with BASE_URL and without', () => {
    expect(problemsOf('configured.json')).toEqual([]);
    expect(problemsOf('relative.json')).toEqual([]);
  });

  it('a control: an operation without its operationId is reported (a warning)', () => {
    expect(problemsOf('control.json')).toEqual([
      expect.stringMatching(/^warn operation-operationId #\/paths\/~1signup\/post\/operationId:/),
    ]);
  });
});
