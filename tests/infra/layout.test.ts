import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const functionsDir = join(root, 'functions');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'static' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('functions/ never imports infra/', () => {
  it('no file under functions/ imports anything outside functions/ by a relative path', () => {
    const escapes = sources(functionsDir).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'/g)]
        .map((match) => resolve(dirname(file), match[1] ?? match[2]!))
        .filter((target) => relative(functionsDir, target).startsWith('..'))
        .map((target) => `${relative(root, file)} → ${relative(root, target)}`),
    );
    expect(escapes).toEqual([]);
  });

  it('the compiler refuses such an import', async () => {
    const probe = join(functionsDir, 'core', 'layout-probe.ts');
    writeFileSync(probe, "export { handlers } from '../../infra/function-specs';\n");
    try {
      const tsc = join(root, 'node_modules', '.bin', 'tsc');
      const result = await promisify(execFile)(tsc, ['--noEmit', '-p', join(functionsDir, 'tsconfig.json')]).then(
        () => ({ failed: false, output: '' }),
        (error: { stdout?: string }) => ({ failed: true, output: error.stdout ?? '' }),
      );
      expect(result.failed).toBe(true);
      expect(result.output).toMatch(/TS6059.*infra\/function-specs\.ts.*is not under 'rootDir'/);
    } finally {
      rmSync(probe, { force: true });
    }
  }, 60_000);
});

describe('the HTTP adapter stands apart', () => {
  it('imports no AWS adapter and no composition root: http/ knows HTTP and the core, nothing deployed', () => {
    const http = join(functionsDir, 'http');
    const reaches = sources(http).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)]
        .map((match) => relative(functionsDir, resolve(dirname(file), match[1]!)))
        .filter((target) => /^(adapters|wiring|handlers|use-cases)\//.test(target))
        .map((target) => `${relative(root, file)} → ${target}`),
    );
    expect(reaches).toEqual([]);
  });
});

/** Every relative import (static or dynamic) of the TypeScript files under `dirs`: the importer and its target, from the root. */
function importsUnder(...dirs: string[]): { file: string; target: string }[] {
  return dirs
    .flatMap((dir) => sources(join(root, dir)))
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'/g)].map((match) => ({
        file: relative(root, file),
        target: relative(root, resolve(dirname(file), match[1] ?? match[2]!)),
      })),
    );
}

const reaching = (imports: { file: string; target: string }[], folders: RegExp) =>
  imports.filter(({ target }) => folders.test(target)).map(({ file, target }) => `${file} → ${target}`);

describe('the tools stand on the functions, not on the tests', () => {
  it('admin/ and scripts/ import nothing from tests/ nor from the local runtime (infra/local/), and admin/ builds no adapter of its own', () => {
    expect(reaching(importsUnder('admin', 'scripts'), /^(tests|infra\/local)\//)).toEqual([]);
    const ownAdapters = sources(join(root, 'admin')).filter((file) =>
      /from\s+'\.\.\/functions\/adapters\//.test(readFileSync(file, 'utf8')),
    );
    expect(ownAdapters.map((file) => relative(root, file))).toEqual([]);
  });
});

describe('the operator’s CLI stands apart from infra/', () => {
  it('admin/ imports nothing from infra/: what it shares with npm start (DATA_DIR’s files, the local database) is in local/', () => {
    expect(reaching(importsUnder('admin'), /^infra\//)).toEqual([]);
  });

  it('local/ imports only functions/ and itself, and infra/ imports nothing from admin/', () => {
    expect(reaching(importsUnder('local'), /^(?!functions\/|local\/)/)).toEqual([]);
    expect(reaching(importsUnder('infra'), /^admin\//)).toEqual([]);
  });
});
