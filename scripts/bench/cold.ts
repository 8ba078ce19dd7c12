import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { CdkApps } from '../../infra/harness/cdk-apps';
import { buildClientFloor, clientsOf, specsByBundleName } from './client-floors';
import { type FixedMonthly, fixedMonthly } from './fixed-cost';
import { median } from './stats';

export interface BundleFigure {
  readonly name: string;
  readonly bytes: number;
  /** Median of fresh-process imports, ms. */
  readonly importMs: number;
  /** The SDK clients its spec implies (clientsOf), and the bundle of them alone built the same way. */
  readonly clients: readonly string[];
  readonly floorBytes: number;
  readonly floorImportMs: number;
}

export interface ColdFigures {
  /** Largest first. */
  readonly bundles: BundleFigure[];
  readonly bareMs: number;
  /** The idle deployment's monthly cost, from the same template (every deploy, no options). */
  readonly fixed: FixedMonthly;
}

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
 * with the environment the stack gives it, against a bundle of exactly its own SDK clients and bare
 * `node`, all measured in the same loop.
 */
export async function measureBundles(runs: number): Promise<ColdFigures> {
  const apps = new CdkApps();
  const floorsDir = mkdtempSync(join(tmpdir(), 'gatekeeper-floor-'));
  try {
    const { stack, outdir } = apps.build();
    const template = Template.fromStack(stack);
    const functions = template.findResources('AWS::Lambda::Function') as Record<string, { Properties: Record<string, unknown> }>;
    const floorFiles = new Map<string, string>();
    const targets = [];
    for (const [id, fn] of Object.entries(functions)) {
      const name = id.replace(/Function[0-9A-F]{8}$/, '');
      const spec = specsByBundleName.get(name);
      // Functions the construct library adds (custom resources' providers) are not ours.
      if (!spec) continue;
      const dir = join(outdir, `asset.${(fn.Properties.Code as { S3Key: string }).S3Key.replace('.zip', '')}`);
      const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      // Values the template leaves to CloudFormation (ARNs, names) are stand-ins of the same shape.
      const env = Object.fromEntries(
        Object.entries(variables).map(([variable, value]) => [
          variable,
          typeof value === 'string'
            ? value
            : variable.endsWith('_URL')
              ? 'https://sandbox.agency.gov'
              : `arn:aws:bench:us-east-1:000000000000:${variable}`,
        ]),
      );
      const clients = clientsOf(spec);
      const key = clients.join(',') || 'none';
      if (!floorFiles.has(key)) {
        const floorDir = join(floorsDir, String(floorFiles.size));
        mkdirSync(floorDir);
        floorFiles.set(key, await buildClientFloor(clients, floorDir));
      }
      targets.push({ name, dir, clients, key, env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV, LAMBDA_TASK_ROOT: dir, ...env } });
    }
    const samples = new Map<string, number[]>([...targets.map((t) => t.name), ...floorFiles.keys()].map((name) => [name, []]));
    const bare: number[] = [];
    const floorEnv = { PATH: process.env.PATH ?? '', ...LAMBDA_ENV };
    for (let run = 0; run < runs; run++) {
      bare.push(freshImportMs(undefined, { PATH: process.env.PATH ?? '' }, outdir));
      for (const [key, file] of floorFiles) samples.get(key)!.push(freshImportMs(file, floorEnv, floorsDir));
      for (const target of targets) {
        samples.get(target.name)!.push(freshImportMs(join(target.dir, 'index.mjs'), target.env, target.dir));
      }
    }
    const bundles = targets
      .map((target) => ({
        name: target.name,
        bytes: statSync(join(target.dir, 'index.mjs')).size,
        importMs: median(samples.get(target.name)!),
        clients: target.clients,
        floorBytes: statSync(floorFiles.get(target.key)!).size,
        floorImportMs: median(samples.get(target.key)!),
      }))
      .sort((a, b) => b.bytes - a.bytes);
    return { bundles, bareMs: median(bare), fixed: fixedMonthly(template) };
  } finally {
    apps.removeAll();
    rmSync(floorsDir, { recursive: true, force: true });
  }
}
