import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildApp } from '../../infra/gatekeeper-app';
import { BASE_CONTEXT } from '../support/cdk-app';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const workdir = mkdtempSync(join(tmpdir(), 'gatekeeper-cdk-cli-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

const shippedContext = () => (JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

describe('cdk.json and the CDK CLI', () => {
  it('ships no sender: a synth with cdk.json’s context alone fails naming mailFrom and sesIdentity', () => {
    const app = new App({ outdir: join(workdir, 'refused'), context: shippedContext() });
    expect(() => buildApp(app)).toThrow(/"mailFrom" and "sesIdentity" are required .*-c mailFrom=\.\.\. -c sesIdentity=\.\.\./);
  });

  it('names the one that is missing', () => {
    const app = new App({ outdir: join(workdir, 'half'), context: { ...shippedContext(), mailFrom: BASE_CONTEXT.mailFrom } });
    expect(() => buildApp(app)).toThrow(/Context value "sesIdentity" is required/);
  });

  it('`cdk synth > t.yaml` writes the template alone to stdout: valid YAML, the very template in cdk.out', async () => {
    const outdir = join(workdir, 'cdk.out');
    const { stdout } = await run(
      'npx',
      ['cdk', 'synth', '--output', outdir, '-c', `mailFrom=${BASE_CONTEXT.mailFrom}`, '-c', `sesIdentity=${BASE_CONTEXT.sesIdentity}`],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
    );
    const { Rules, ...template } = JSON.parse(readFileSync(join(outdir, 'SandboxGatekeeper.template.json'), 'utf8')) as {
      Rules?: Record<string, unknown>;
    };
    // The CLI prints the template without CDK's own bootstrap-version rule; every other rule stays.
    const { CheckBootstrapVersion, ...rules } = Rules ?? {};
    expect(CheckBootstrapVersion).toBeDefined();
    expect(parse(stdout)).toEqual(Object.keys(rules).length ? { ...template, Rules: rules } : template);
  }, 90_000);
});
