import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { BUNDLE_ALIASES } from '../../infra/constructs/gatekeeper-function';
import { CdkApps } from '../../infra/harness/cdk-apps';
import { type FixedMonthly, fixedMonthly } from './fixed-cost';
import { median } from './stats';

export interface BundleFigure {
  readonly name: string;
  readonly bytes: number;
  /** Median of fresh-process imports, ms. */
  readonly importMs: number;
}

export interface ColdFigures {
  /** Largest first. */
  readonly bundles: BundleFigure[];
  /** The DynamoDB and SES clients alone, built the same way. */
  readonly floor: BundleFigure;
  readonly bareMs: number;
  /** The idle deployment's monthly cost, from the same template (every deploy, no options). */
  readonly fixed: FixedMonthly;
}

export const slowestImport = (bundles: readonly BundleFigure[]): BundleFigure => [...bundles].sort((a, b) => b.importMs - a.importMs)[0]!;

/** A fresh `node` that imports `file` (or nothing) with `env`; wall time in ms. */
function freshImportMs(file: string | undefined, env: Record<string, string>, cwd: string): number {
  const script = file ? `await import(${JSON.stringify(file)});` : '';
  const start = performance.now();
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? error);
    const said = stderr.split('\n').filter((line) => line.length < 300 && line.trim());
    throw new Error(`importing ${file} failed: ${said.slice(-6).join(' | ')}`);
  }
  return performance.now() - start;
}

/** What Lambda gives every function besides its own environment (credentials of the role, region). */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * Every function's bundle as `cdk synth` makes it: its size, and its import in a fresh process
 * with the environment the stack gives it, against bare `node` measured in the same loop.
 */
export async function measureBundles(runs: number): Promise<ColdFigures> {
  const apps = new CdkApps();
  const floorDir = mkdtempSync(join(tmpdir(), 'gatekeeper-floor-'));
  try {
    const floorFile = await buildFloorBundle(floorDir);
    const { stack, outdir } = apps.build();
    const template = Template.fromStack(stack);
    const functions = template.findResources('AWS::Lambda::Function') as Record<string, { Properties: Record<string, unknown> }>;
    const targets = Object.entries(functions).map(([id, fn]) => {
      const dir = join(outdir, `asset.${(fn.Properties.Code as { S3Key: string }).S3Key.replace('.zip', '')}`);
      const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      // Values the template leaves to CloudFormation (ARNs, names) are stand-ins of the same shape.
      const env = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [
          name,
          typeof value === 'string'
            ? value
            : name.endsWith('_URL')
              ? 'https://sandbox.agency.gov'
              : `arn:aws:bench:us-east-1:000000000000:${name}`,
        ]),
      );
      return {
        name: id.replace(/Function[0-9A-F]{8}$/, ''),
        dir,
        env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV, LAMBDA_TASK_ROOT: dir, ...env },
      };
    });
    const floorTarget = { name: 'floor', dir: floorDir, env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV } };
    const samples = new Map<string, number[]>([...targets, floorTarget].map((target) => [target.name, []]));
    const bare: number[] = [];
    for (let run = 0; run < runs; run++) {
      bare.push(freshImportMs(undefined, { PATH: process.env.PATH ?? '' }, outdir));
      for (const target of [...targets, floorTarget]) {
        samples.get(target.name)!.push(freshImportMs(join(target.dir, 'index.mjs'), target.env, target.dir));
      }
    }
    const bundles = targets
      .map((target) => ({
        name: target.name,
        bytes: statSync(join(target.dir, 'index.mjs')).size,
        importMs: median(samples.get(target.name)!),
      }))
      .sort((a, b) => b.bytes - a.bytes);
    const floor = { name: 'floor', bytes: statSync(floorFile).size, importMs: median(samples.get('floor')!) };
    return { bundles, floor, bareMs: median(bare), fixed: fixedMonthly(template) };
  } finally {
    apps.removeAll();
    rmSync(floorDir, { recursive: true, force: true });
  }
}

/**
 * The floor: the smallest bundle that can hold the same clients: DynamoDB (document client) and SES with
 * the commands the functions send, nothing of ours, built with the house construct's options.
 */
async function buildFloorBundle(dir: string): Promise<string> {
  const entry = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand, QueryCommand, DeleteCommand, BatchGetCommand } from '@aws-sdk/lib-dynamodb';
const d = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const s = new SESClient({});
export const handler = (e) => Promise.all([GetCommand, PutCommand, UpdateCommand, QueryCommand, DeleteCommand, BatchGetCommand].map((C) => d.send(new C(e))).concat(s.send(new SendEmailCommand(e))));`;
  const result = await build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    alias: { ...BUNDLE_ALIASES },
    outfile: join(dir, 'index.mjs'),
  });
  if (result.errors.length) throw new Error('the floor bundle did not build');
  return join(dir, 'index.mjs');
}
