import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rehearseEdge } from '../../infra/rehearsal/edge-rehearsal';
import { observedAccessTable } from '../../infra/rehearsal/observed-access';
import { rehearseOidc } from '../../infra/rehearsal/oidc-rehearsal';
import { type RehearsalReport, rehearse } from '../../infra/rehearsal/run';
import { synthesize } from '../../infra/rehearsal/synthesize';

/**
 * The deploy rehearsal (npm run rehearse) over the stack as `cdk synth` makes it: every journey
 * through the bundles CDK built, each AWS call checked against its role's and the resource's
 * policies. Then copies of the template with one grant removed by hand, each of which must fail
 * naming the call AWS would refuse.
 */
const workdir = mkdtempSync(join(tmpdir(), 'gatekeeper-rehearsal-test-'));
const assembly = join(workdir, 'cdk.out');
let report: RehearsalReport;

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
type Statement = { Action: string | string[]; Principal?: { AWS?: unknown }; Condition?: Record<string, Record<string, string[]>> };

/** A copy of the assembly whose template `edit` changed, as someone might by hand. */
function alteredCopy(name: string, edit: (template: Template) => void): string {
  const copy = join(workdir, name);
  cpSync(assembly, copy, { recursive: true });
  const file = join(copy, 'SandboxGatekeeper.template.json');
  const template = JSON.parse(readFileSync(file, 'utf8')) as Template;
  edit(template);
  writeFileSync(file, JSON.stringify(template));
  return copy;
}

function statementsOf(template: Template, logicalIdPrefix: string): Statement[] {
  const [found] = Object.entries(template.Resources).filter(
    ([id, resource]) => id.startsWith(logicalIdPrefix) && resource.Type === 'AWS::IAM::Policy',
  );
  return (found![1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
}

beforeAll(async () => {
  synthesize(assembly);
  report = await rehearse({ assemblyDir: assembly });
}, 240_000);

afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('the deploy rehearsal', () => {
  it('runs every journey under the stack’s own roles, and AWS would refuse nothing', () => {
    expect(report.journeys.filter((journey) => !journey.ok)).toEqual([]);
    expect(report.denied.map((check) => check.reason)).toEqual([]);
    expect(report.journeys.length).toBeGreaterThanOrEqual(9);
  });

  it('uses every statement of every function’s role (a statement no journey needs is a grant to remove)', () => {
    const functionGrants = [...report.grants.used, ...report.grants.unused].filter((grant) => grant.caller !== 'operator');
    const sources = new Set(functionGrants.map((grant) => `${grant.caller} ${grant.source}`));
    const usedSources = new Set(report.grants.used.map((grant) => `${grant.caller} ${grant.source}`));
    expect([...sources].filter((source) => !usedSources.has(source))).toEqual([]);
  });

  it('is what the README says each function touches', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('| function | reads | writes | queries | also |');
    const documented = readme.slice(start, readme.indexOf('\n\n', start));
    const functions = documented
      .split('\n')
      .slice(2)
      .map((row) => row.split('|')[1]!.trim());
    expect(documented).toBe(observedAccessTable(report.checks, functions));
    expect([...functions].sort()).toEqual([...report.functions].sort());
  });

  it('fails, naming the call, when the sweep may not read the breaker', async () => {
    const copy = alteredCopy('no-breaker-read', (template) => {
      for (const statement of statementsOf(template, 'SweepFunctionRoleDefaultPolicy')) {
        const keys = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
        if (statement.Action === 'dynamodb:GetItem' && keys)
          statement.Condition!['ForAllValues:StringLike']!['dynamodb:LeadingKeys'] = keys.filter((key) => key !== 'BREAKER#*');
      }
    });
    const altered = await rehearse({ assemblyDir: copy, only: ['deploy', 'agency sign-up', 'expiry'] });
    expect(altered.ok).toBe(false);
    expect(altered.denied.map((check) => check.reason)).toContainEqual(
      expect.stringMatching(
        /^sweep \(role .*SweepFunctionRole.*\) may not dynamodb:GetItem on arn:aws:dynamodb:.*:table\/.* with dynamodb:LeadingKeys=\[BREAKER#reputation\].*Missing grant/,
      ),
    );
  }, 120_000);

  it('fails when any key policy no longer lets a role that reads its secret decrypt it, naming the role’s call', async () => {
    const template = JSON.parse(readFileSync(join(assembly, 'SandboxGatekeeper.template.json'), 'utf8')) as Template;
    // Every (key, role) pair a key policy lets decrypt: each removal must be refused by the rehearsal.
    const pairs = Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::KMS::Key')
      .flatMap(([key, resource]) =>
        (resource.Properties.KeyPolicy as { Statement: Statement[] }).Statement.flatMap((statement) => {
          const role = /"(\w+Role)[0-9A-F]{8}"/.exec(JSON.stringify(statement.Principal ?? {}))?.[1];
          return role && [statement.Action].flat().includes('kms:Decrypt') ? [{ key, role }] : [];
        }),
      );
    expect(pairs.length, 'the signers, the verifiers, the sweep and the operator').toBeGreaterThanOrEqual(7);
    // The journeys in which the role reads the key's secret: an event goes at once from verify, decision and manage.
    const journeysFor = (role: string, key: string) => {
      if (role === 'OperatorRole') return undefined;
      if (key.startsWith('WebhookSecretKey'))
        return ['deploy', 'agency sign-up', 'contractor request', 'sponsor renews', 'a review email SES throttled'];
      if (role.startsWith('Sweep')) return ['deploy', 'agency sign-up', 'a review email SES throttled'];
      return ['deploy', 'contractor request'];
    };
    const callerOf = (role: string) =>
      role === 'OperatorRole' ? 'operator' : role[0]!.toLowerCase() + role.slice(1).replace(/FunctionRole$/, '');
    // One rehearsal per removal; verify, decision and the sweep lose the webhook key together (a
    // refused read of that secret fails only the event, which stays for a retry, so no journey
    // stops before the next function's read). Not manage: its renewal's event waits behind the
    // approval's that decision could not send, so it would never read the secret.
    const together = /^(Verify|Decision|Sweep)FunctionRole$/;
    const removals = new Map<string, { key: string; roles: string[] }>();
    for (const { key, role } of pairs) {
      const id = key.startsWith('WebhookSecretKey') && together.test(role) ? `${key}-senders` : `${key}-${role}`;
      removals.set(id, { key, roles: [...(removals.get(id)?.roles ?? []), role] });
    }
    const unnoticed: string[] = [];
    for (const [id, { key, roles }] of removals) {
      const copy = alteredCopy(`no-decrypt-${id}`, (altered) => {
        const policy = altered.Resources[key]!.Properties.KeyPolicy as { Statement: Statement[] };
        policy.Statement = policy.Statement.filter(
          (statement) => !roles.some((role) => JSON.stringify(statement.Principal ?? {}).includes(`"${role}`)),
        );
      });
      const only = journeysFor(roles[0]!, key);
      const altered = await rehearse({ assemblyDir: copy, ...(only ? { only } : {}) });
      for (const role of roles)
        if (!altered.denied.some((check) => check.caller === callerOf(role) && check.action === 'kms:Decrypt'))
          unnoticed.push(`${key} / ${role}`);
    }
    expect(unnoticed).toEqual([]);
  }, 300_000);

  it('signs a sponsor in with an OpenID provider under the sign-in role, which alone reads and decrypts the client key', async () => {
    const oidc = await rehearseOidc();
    expect(oidc.error).toBeUndefined();
    const keyReads = oidc.checks.filter(
      (check) => check.action === 'secretsmanager:GetSecretValue' && check.resource.includes('OidcClientKey'),
    );
    expect([...new Set(keyReads.map((check) => `${check.caller}:${check.allowed}`))]).toEqual(['signIn:true']);

    const refused = await rehearseOidc({
      edit: (template) => {
        const [, key] = Object.entries(template.Resources).find(
          ([id, resource]) => id.startsWith('OidcClientKeyKey') && resource.Type === 'AWS::KMS::Key',
        )!;
        const policy = key.Properties.KeyPolicy as { Statement: Statement[] };
        policy.Statement = policy.Statement.filter(
          (statement) => !JSON.stringify(statement.Principal ?? {}).includes('"SignInFunctionRole'),
        );
      },
    });
    expect(refused.denied.map((check) => `${check.caller} ${check.action}`)).toContain('signIn kms:Decrypt');
  }, 120_000);

  it('behind the edge, each function that checks it reads the origin secret under its own role; without that grant, fails naming the call', async () => {
    const edge = await rehearseEdge();
    expect(edge.error).toBeUndefined();
    const reads = edge.checks.filter(
      (check) => check.action === 'secretsmanager:GetSecretValue' && check.resource.includes(':secret:EdgeOriginSecret'),
    );
    expect([...new Set(reads.map((check) => `${check.caller}:${check.allowed}`))].sort()).toEqual(
      edge.named.map((name) => `${name}:true`).sort(),
    );
    expect(edge.named).toHaveLength(10);
    expect(edge.unused).toEqual([]);

    const refused = await rehearseEdge({
      edit: (template) => {
        const statements = statementsOf(template, 'HealthFunctionRoleDefaultPolicy');
        statements.splice(
          statements.findIndex((statement) => JSON.stringify(statement).includes('EdgeOriginSecret')),
          1,
        );
      },
    });
    expect(refused.ok).toBe(false);
    expect(refused.denied.map((check) => `${check.caller} ${check.action}`)).toContain('health secretsmanager:GetSecretValue');
  }, 240_000);

  it('fails when the reputation alarm may not publish to the breaker’s topic', async () => {
    const copy = alteredCopy('no-alarm-publish', (template) => {
      const [, policy] = Object.entries(template.Resources).find(
        ([id, found]) => id.startsWith('ReputationAlarmsPolicy') && found.Type === 'AWS::SNS::TopicPolicy',
      )!;
      const document = policy.Properties.PolicyDocument as { Statement: Statement[] };
      document.Statement = document.Statement.filter((statement) => !JSON.stringify(statement.Principal ?? {}).includes('cloudwatch'));
    });
    const altered = await rehearse({ assemblyDir: copy, only: ['deploy', 'SES feedback'] });
    expect(
      altered.denied.map((check) => `${check.caller.split(' ')[0]} ${check.action} ${check.resource.split(':').at(-1)}`),
    ).toContainEqual(expect.stringMatching(/^cloudwatch\.amazonaws\.com sns:Publish .*ReputationAlarms/));
  }, 120_000);

  it('fails when sign-up may not send mail', async () => {
    const copy = alteredCopy('no-signup-mail', (template) => {
      const statements = statementsOf(template, 'SignupFunctionRoleDefaultPolicy');
      statements.splice(
        statements.findIndex((statement) => statement.Action === 'ses:SendEmail'),
        1,
      );
    });
    const altered = await rehearse({ assemblyDir: copy, only: ['deploy', 'agency sign-up'] });
    expect(altered.denied.map((check) => `${check.caller} ${check.action}`)).toContain('signup ses:SendEmail');
    expect(altered.journeys.find((journey) => journey.name === 'agency sign-up')?.error).toMatch(
      /signup .* may not ses:SendEmail on arn:aws:ses:.*:identity\//,
    );
  }, 120_000);
});
