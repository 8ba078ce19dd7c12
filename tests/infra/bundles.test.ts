import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventHandlers, handlers } from '../../infra/function-specs';
import { CdkApps } from '../support/cdk-app';
import { httpEvent } from '../support/events';

/** The bundles `cdk synth` makes, run as Lambda runs them: from their own folder, nothing else. */
const apps = new CdkApps();
const specs = { ...handlers, ...eventHandlers };
let bundleDirOf: (description: string) => string;

beforeAll(() => {
  const { stack, outdir } = apps.build();
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function') as Record<
    string,
    { Properties: Record<string, unknown> }
  >;
  const dirs = new Map(
    Object.values(functions).map((fn) => [
      fn.Properties.Description as string,
      join(outdir, `asset.${(fn.Properties.Code as { S3Key: string }).S3Key.replace('.zip', '')}`),
    ]),
  );
  bundleDirOf = (description) => dirs.get(description)!;
});
afterAll(() => apps.removeAll());

describe('function bundles', () => {
  it('carry the Secrets Manager client only where the signing keys are read', () => {
    for (const spec of Object.values(specs)) {
      const bundle = readFileSync(join(bundleDirOf(spec.description), 'index.mjs'), 'utf8');
      // A boolean, so a failure does not print a 400 kB bundle.
      const carries = bundle.includes('GetSecretValue');
      expect(carries, spec.description).toBe((spec.uses as readonly string[]).includes('signing-keys'));
    }
  });

  it('the assets function, run from its bundle folder as Lambda runs it, serves its files', async () => {
    const dir = bundleDirOf(handlers.assets.description);
    const manifest = JSON.parse(readFileSync(join(dir, 'static', 'manifest.json'), 'utf8')) as { version: string; files: string[] };
    const event = httpEvent({ path: `/assets/${manifest.version}/app/app.css` });
    const script = `const { handler } = await import(${JSON.stringify(join(dir, 'index.mjs'))});
const result = await handler(${JSON.stringify(event)});
process.stdout.write(JSON.stringify({ status: result.statusCode, type: result.headers['Content-Type'], bytes: Buffer.from(result.body, 'base64').length }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', LAMBDA_TASK_ROOT: dir, TABLE_NAME: 't', MAIL_FROM: 'no-reply@sandbox.agency.gov' },
    });

    expect(JSON.parse(stdout)).toEqual({
      status: 200,
      type: 'text/css; charset=utf-8',
      bytes: readFileSync(join(dir, 'static', 'app', 'app.css')).length,
    });
  });
});
