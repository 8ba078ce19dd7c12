import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../gatekeeper-app';

/** The context a minimal deploy needs (cdk.json's shape). */
export const BASE_CONTEXT = {
  mailFrom: 'no-reply@sandbox.agency.gov',
  sesIdentity: 'sandbox.agency.gov',
  allowedOrigins: 'https://www.agency.gov',
};

/**
 * Synthesizes the app with this context into its own temporary folder (bundles included);
 * `removeAll` deletes every folder made, since each synth leaves a few MB behind.
 */
export class CdkApps {
  private readonly outdirs: string[] = [];

  build(context: Record<string, unknown> = {}) {
    const outdir = mkdtempSync(join(tmpdir(), 'gatekeeper-cdk-'));
    this.outdirs.push(outdir);
    const app = new App({ outdir, context: { ...BASE_CONTEXT, ...context } });
    const stack = buildApp(app);
    return { app, stack, outdir };
  }

  removeAll(): void {
    for (const dir of this.outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
