import { readFile } from 'node:fs/promises';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { answerCloudFormation, type CustomResourceOutcome, customResourceResponse } from '../adapters/custom-resource';
import { startInvocation } from '../adapters/invocation';
import { downloadRegistry } from '../adapters/registry-download';
import { withDeadline } from '../service/deadline';
import { loadRegistry, type RegistryLoad } from '../use-cases/load-registry';
import { config } from '../wiring/config';
import { registryDeps } from '../wiring/registry-deps';

/** The snapshot the function carries (registry/ beside its bundle) and when the registry published it. */
async function carriedSnapshot(): Promise<{ csv: string; publishedAt: string }> {
  const [csv, about] = await Promise.all([
    readFile(new URL('./registry/current-full.csv', import.meta.url), 'utf8'),
    readFile(new URL('./registry/SNAPSHOT.json', import.meta.url), 'utf8'),
  ]);
  return { csv, publishedAt: (JSON.parse(about) as { publishedAt: string }).publishedAt };
}

/** Loads, and fails the invocation on a refusal (the function's error alarm takes it; the last good data stays). */
async function load(file: { csv: string; publishedAt: string }): Promise<RegistryLoad> {
  const done = await loadRegistry(file, registryDeps);
  if (done.outcome === 'refused') throw new Error(`The registry load was refused: ${done.problem}`);
  return done;
}

/**
 * The .gov registry in the table. As the stack's custom step (`Custom::RegistrySnapshot`, on
 * Create and Update) it loads the snapshot it was deployed with, so the table never starts
 * without one; on the daily schedule it loads REGISTRY_URL's current file, when one is set.
 */
export async function handler(
  event: CloudFormationCustomResourceEvent | { readonly source?: string },
  context?: Context,
): Promise<unknown> {
  if (!('RequestType' in event)) {
    if (!config.registryUrl) return { outcome: 'current' };
    const done = startInvocation(context);
    try {
      return await withDeadline(context, async () => load(await downloadRegistry(config.registryUrl!)));
    } finally {
      done();
    }
  }
  let outcome: CustomResourceOutcome;
  try {
    const loaded = event.RequestType === 'Delete' ? undefined : await load(await carriedSnapshot());
    outcome = { status: 'SUCCESS', reason: loaded ? `registry ${loaded.outcome}` : 'nothing to do on delete' };
  } catch (error) {
    outcome = { status: 'FAILED', reason: (error as Error)?.message || String(error) };
  }
  await answerCloudFormation(event.ResponseURL, customResourceResponse(event, event.LogicalResourceId, outcome));
  return outcome;
}
