import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../gatekeeper-app';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What the rehearsal deploys on top of cdk.json's context: a sender (cdk.json names none), a webhook receiver (so events and their
 * secret exist), the operator role (so the operator's commands run under it), a registry URL
 * (so the daily registry refresh runs) and the sandbox's account (so its role calls the machine routes). Their hosts are names the rehearsal resolves to its own
 * receiver.
 */
export const REHEARSAL_CONTEXT = {
  mailFrom: 'no-reply@sandbox.rehearsal.agency.gov',
  sesIdentity: 'sandbox.rehearsal.agency.gov',
  webhookUrl: 'https://sandbox.rehearsal.agency.gov/hooks/gatekeeper',
  operatorRole: 'true',
  registryUrl: 'https://registry.rehearsal.example/current-full.csv',
  sandboxAccountId: '444455556666',
} as const;

/** `cdk synth` of the app into `outdir`, as the CLI runs it with cdk.json's context (bundles included, cdk-nag checked). */
export function synthesize(outdir: string, context: Record<string, string> = {}): string {
  const cdkJson = JSON.parse(readFileSync(`${root}cdk.json`, 'utf8')) as { context?: Record<string, unknown> };
  const app = new App({ outdir, context: { ...cdkJson.context, ...REHEARSAL_CONTEXT, ...context } });
  buildApp(app);
  app.synth();
  return outdir;
}
