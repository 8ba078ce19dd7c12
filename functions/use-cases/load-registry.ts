import { createHash } from 'node:crypto';
import type { Clock, DomainRegistry, Log, Metrics } from '../core/ports';
import { parseRegistry, registryChanges, shrinkProblem } from '../core/registry';

export interface LoadRegistryDeps {
  readonly registry: DomainRegistry;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
}

export type RegistryLoad =
  | { readonly outcome: 'current'; readonly publishedAt: string }
  | { readonly outcome: 'loaded'; readonly domains: number; readonly written: number; readonly removed: number; readonly ms: number }
  | { readonly outcome: 'refused'; readonly problem: string };

/**
 * Loads a registry file into the table. Steps:
 * 1. nothing to do when the table already holds this publication or a newer one, or this very
 *    file (a daily fetch of an unchanged registry costs one read);
 * 2. parse by header name; refuse a file missing a needed column;
 * 3. refuse a file that shrank past the limit against the last good load (a truncated download,
 *    a broken export): the last good data stays, and the refusal is logged and counted;
 * 4. write only what changed, mark domains that left the registry (never delete: accounts on them
 *    must be found), then the load's facts.
 */
export async function loadRegistry(file: { csv: string; publishedAt: string }, deps: LoadRegistryDeps): Promise<RegistryLoad> {
  const started = deps.clock.nowMs();
  const last = await deps.registry.snapshot();
  const sha256 = createHash('sha256').update(file.csv).digest('hex');
  if (last && (last.publishedAt >= file.publishedAt || last.sha256 === sha256))
    return { outcome: 'current', publishedAt: last.publishedAt };
  const parsed = parseRegistry(file.csv);
  const problem = parsed.ok ? shrinkProblem(parsed.domains.size, last?.domains) : parsed.problem;
  if (problem || !parsed.ok) {
    const why = problem ?? 'unreadable';
    deps.log.error('registry load refused: the last good data stays', { problem: why, publishedAt: file.publishedAt });
    deps.metrics.count('RegistryLoadsRefused');
    return { outcome: 'refused', problem: why };
  }
  const changes = registryChanges(await deps.registry.all(), parsed.domains);
  const nowIso = new Date(deps.clock.nowMs()).toISOString();
  const written = await deps.registry.apply(
    changes,
    { publishedAt: file.publishedAt, domains: parsed.domains.size, loadedAt: nowIso, sha256 },
    nowIso,
  );
  const ms = deps.clock.nowMs() - started;
  deps.log.info('registry loaded', {
    publishedAt: file.publishedAt,
    domains: parsed.domains.size,
    written,
    removed: changes.removed.length,
    ms,
  });
  return { outcome: 'loaded', domains: parsed.domains.size, written, removed: changes.removed.length, ms };
}
