import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EDGE_SECRET_HEADER, VIEWER_ADDRESS_HEADER } from '../../functions/http/edge';
import { type HandlerName, routes } from '../../functions/service/routes';
import type { Json } from './cloud-assembly';
import { type Grant, grantUse } from './grant-use';
import type { Check } from './iam-gateway';
import { expectThat } from './journey-steps';
import { Rehearsal } from './rehearsal';
import { synthesize } from './synthesize';

/** The edge option as a deployment names it: the public name, and the API's custom domain behind it. */
export const EDGE_REHEARSAL_CONTEXT = {
  edge: 'true',
  edgeDomainName: 'signup.rehearsal.agency.gov',
  domainName: 'origin.signup.rehearsal.agency.gov',
  certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-4000-8000-000000000000',
} as const;

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

export interface EdgeRehearsalReport {
  readonly ok: boolean;
  readonly error?: string;
  /** The functions the template names the edge secret to, by short name. */
  readonly named: readonly string[];
  readonly checks: readonly Check[];
  readonly denied: readonly Check[];
  /** Grants on the edge secret that no function used. */
  readonly unused: readonly Grant[];
  readonly ms: number;
}

/** One of the handler's own paths (below it, for a prefix route; the fallback: any other path). */
function pathOf(handler: string): string {
  const route = routes.find((candidate) => candidate.handler === (handler as HandlerName));
  if (!route) return '/no-such-page';
  return 'prefix' in route && route.prefix ? `${route.path}/app/app.css` : route.path;
}

/**
 * The stack deployed with the edge (`-c edge=true`): each function CloudFront serves is asked once
 * as CloudFront asks it (the origin header, whose value CloudFormation resolves from the secret,
 * and the viewer's address) and once as a caller who skipped the edge; each reads the secret
 * from Secrets Manager under its own role to tell them apart. The machine route, which the sandbox
 * signs and sends to the API directly, is answered without the header.
 */
export async function rehearseEdge(options: { edit?: (template: Template) => void } = {}): Promise<EdgeRehearsalReport> {
  const started = Date.now();
  const outdir = mkdtempSync(join(tmpdir(), 'gatekeeper-rehearsal-edge-'));
  synthesize(outdir, EDGE_REHEARSAL_CONTEXT);
  if (options.edit) {
    const file = join(outdir, 'SandboxGatekeeper.template.json');
    const template = JSON.parse(readFileSync(file, 'utf8')) as Template;
    options.edit(template);
    writeFileSync(file, JSON.stringify(template));
  }
  const rehearsal = await Rehearsal.open({ assemblyDir: outdir });
  const named = rehearsal.model.functions.filter((fn) => fn.environment.EDGE_ORIGIN_SECRET_ARN !== undefined).map((fn) => fn.name);
  let error: string | undefined;
  try {
    const header = originHeader(rehearsal);
    for (const name of named) {
      const path = pathOf(name);
      const skipped = await rehearsal.http('GET', path, { headers: { accept: 'text/html' } });
      expectThat(skipped.status === 403, `${name}: GET ${path} without the edge's header is refused with 403 (got ${skipped.status})`);
      const through = await rehearsal.http('GET', path, {
        headers: { accept: 'text/html', [EDGE_SECRET_HEADER]: header, [VIEWER_ADDRESS_HEADER]: '198.51.100.23:50312' },
      });
      expectThat(
        through.status !== 403 && through.status < 500,
        `${name}: GET ${path} through CloudFront passes the edge (got ${through.status} ${through.body.slice(0, 200)})`,
      );
    }
    const roster = await rehearsal.http('GET', '/v1/accounts', { signedAs: rehearsal.sandboxPrincipal() });
    expectThat(roster.status === 200, `the sandbox's signed GET /v1/accounts is answered without the header (got ${roster.status})`);
  } catch (failure) {
    error = (failure as Error).message;
  } finally {
    await rehearsal.close();
    rmSync(outdir, { recursive: true, force: true });
  }
  const checks = [...rehearsal.gateway.checks];
  const denied = rehearsal.gateway.denied();
  const unused = grantUse(rehearsal.model, checks).unused.filter((grant) => grant.resource.includes(':secret:EdgeOriginSecret'));
  const problems = [
    ...denied.map((check) => `AccessDenied: ${check.reason}`),
    ...unused.map((grant) => `unused: ${grant.caller} ${grant.action} on the edge secret (${grant.source})`),
    ...(error ? [error] : []),
  ];
  return {
    ok: problems.length === 0,
    ...(problems.length ? { error: problems.join('\n') } : {}),
    named,
    checks,
    denied,
    unused,
    ms: Date.now() - started,
  };
}

/** The value CloudFront adds: the distribution's origin header, its dynamic reference resolved as CloudFormation would. */
function originHeader(rehearsal: Rehearsal): string {
  const distribution = Object.values(rehearsal.deployment.assembly.resources).find(
    (resource) => resource.Type === 'AWS::CloudFront::Distribution',
  );
  const origins = (distribution?.Properties?.DistributionConfig as { Origins?: { OriginCustomHeaders?: Json }[] } | undefined)?.Origins;
  const headers = rehearsal.deployment.resolve(origins?.[0]?.OriginCustomHeaders ?? []) as { HeaderName: string; HeaderValue: string }[];
  const reference = headers.find((header) => header.HeaderName === EDGE_SECRET_HEADER)?.HeaderValue ?? '';
  const arn = /^\{\{resolve:secretsmanager:(arn:[^}]+?):SecretString:::\}\}$/.exec(reference)?.[1];
  const value = arn ? rehearsal.gateway.secretAsDeployer(arn) : undefined;
  expectThat(value !== undefined, `CloudFront's ${EDGE_SECRET_HEADER} header names a secret of the stack (got ${reference || 'none'})`);
  return value!;
}
