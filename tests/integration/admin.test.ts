import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_STATUSES } from '../../functions/core/account';
import { itemKeys } from '../../functions/service/table';
import { admin } from '../support/admin-cli';
import { awsStandIn } from '../support/aws-stand-in';
import { LocalService } from '../support/local-service';
import { emailedToken } from '../support/mail-links';

let service: LocalService;
let env: Record<string, string>;
beforeAll(async () => {
  service = await LocalService.start();
  env = {
    DYNAMODB_ENDPOINT: service.dynamodbEndpoint,
    SES_ENDPOINT: service.mailboxUrl,
    DATA_DIR: service.dataDir,
    PORT: new URL(service.baseUrl).port,
  };
  await service.postJson('/signup', { email: 'older@agency.gov' });
  await service.postJson('/verify', { token: await emailedToken(service, 'older@agency.gov', '/verify') });
  await service.postJson('/signup', { email: 'newer@agency.gov' });
});
afterAll(async () => {
  await service.dispose();
});

describe('npm run admin against the local service', () => {
  it('lists accounts newest first, as JSON with the documented fields, filtered by status', async () => {
    const all = await admin(['--format', 'json', 'list'], env);
    expect(all.code).toBe(0);
    const rows = JSON.parse(all.stdout) as { email: string; status: string }[];
    expect(rows.map((row) => [row.email, row.status])).toEqual([
      ['newer@agency.gov', 'pending'],
      ['older@agency.gov', 'active'],
    ]);
    expect(Object.keys(rows[0]!)).toEqual(['email', 'kind', 'status', 'createdAt', 'accessExpiresAt', 'sponsor', 'agency']);
    const active = await admin(['--format', 'json', 'list', '--status', 'active'], env);
    expect((JSON.parse(active.stdout) as { email: string }[]).map((row) => row.email)).toEqual(['older@agency.gov']);
    expect(all.stderr).toContain(`DynamoDB at ${service.dynamodbEndpoint} (DYNAMODB_ENDPOINT)`);
  });

  it('prints an aligned table for people, and CSV for spreadsheets', async () => {
    const table = await admin(['list'], env);
    expect(table.stdout).toMatch(/│ email\s+│ kind\s+│ status/);
    const csv = await admin(['--format', 'csv', 'list'], env);
    expect(csv.stdout.split('\n')[0]).toBe('email,kind,status,createdAt,accessExpiresAt,sponsor,agency');
  });

  it('shows the agency the .gov registry names for an address (a subdomain maps to its registered domain); an unlisted .gov domain cannot sign up', async () => {
    expect((await service.postJson('/signup', { email: 'someone@it.gsa.gov' })).status).toBe(202);
    const shown = JSON.parse((await admin(['--format', 'json', 'show', 'someone@it.gsa.gov'], env)).stdout) as { agency: unknown };
    expect(shown.agency).toEqual({
      organization: 'General Services Administration',
      suborganization: 'Office of GSA IT',
      domainType: 'Federal - Executive',
    });
    const unlisted = await service.postJson('/signup', { email: 'x@not-in-the-registry.gov' });
    expect([unlisted.status, ((await unlisted.json()) as { error: string }).error]).toEqual([422, 'domain_not_registered']);
  });

  it('puts the agency in one column of list and export CSV: organization / suborganization', async () => {
    const gsa = 'General Services Administration / Office of GSA IT';
    const agencyOf = (csv: string, email: string) => {
      const [head, ...rows] = parse(csv) as string[][];
      return rows.find((row) => row[0] === email)?.[head!.indexOf('agency')];
    };
    const listed = await admin(['--format', 'csv', 'list'], env);
    expect(agencyOf(listed.stdout, 'someone@it.gsa.gov')).toBe(gsa);
    const exported = await admin(['export', '--format', 'csv'], env);
    expect(exported.stdout.split('\n')[0]).toBe('email,kind,status,createdAt,accessExpiresAt,sponsor,agency,history');
    expect(agencyOf(exported.stdout, 'someone@it.gsa.gov')).toBe(gsa);
    expect((await admin(['list', '--domain', 'gsa.gov'], env)).stdout).toMatch(
      /│ agency\s+│[\s\S]*General Services Administration \/ Office of GSA IT/,
    );
  });

  it('shows one account with its audit history; an unknown one is refused with exit 1', async () => {
    const shown = await admin(['--format', 'json', 'show', 'Older@Agency.gov'], env);
    const account = JSON.parse(shown.stdout) as { status: string; history: { event: string; by: string }[]; deliveries: unknown[] };
    expect(account.status).toBe('active');
    expect(account.history.map((entry) => [entry.event, entry.by])).toEqual([
      ['signup_requested', 'self'],
      ['email_verified', 'self'],
    ]);
    expect(account.deliveries).toEqual([]);
    const missing = await admin(['show', 'nobody@agency.gov'], env);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('No account for nobody@agency.gov')]);
  });

  it('refuses a change without a terminal and without --yes (exit 2), and makes it with --yes', async () => {
    await service.documentClient().send(
      new PutCommand({
        TableName: 'sandbox-gatekeeper',
        Item: { ...itemKeys.breaker('reputation'), reason: 'test', openedAt: '2030-01-01T00:00:00.000Z' },
      }),
    );
    expect(JSON.parse((await admin(['--format', 'json', 'breaker', 'status'], env)).stdout)).toMatchObject({ open: true, reason: 'test' });
    const refused = await admin(['breaker', 'close'], env);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('not a terminal and no --yes')]);
    expect((await admin(['--yes', 'breaker', 'close'], env)).code).toBe(0);
    expect((await admin(['breaker', 'status'], env)).stdout).toBe('closed\n');
    expect((await admin(['--yes', 'breaker', 'close'], env)).code, 'closing a closed breaker is refused').toBe(1);
  });

  it('lists and lifts suppressions', async () => {
    await service.documentClient().send(
      new PutCommand({
        TableName: 'sandbox-gatekeeper',
        Item: {
          ...itemKeys.suppression('bounced@agency.gov'),
          email: 'bounced@agency.gov',
          reason: 'complaint',
          suppressedAt: '2030-01-01T00:00:00.000Z',
        },
      }),
    );
    const listed = JSON.parse((await admin(['--format', 'json', 'suppressions', 'list'], env)).stdout) as { mailbox: string }[];
    expect(listed.map((row) => row.mailbox)).toEqual(['bounced@agency.gov']);
    expect((await admin(['--yes', 'suppressions', 'remove', 'Bounced+x@agency.gov'], env)).code).toBe(0);
    expect(JSON.parse((await admin(['--format', 'json', 'suppressions', 'list'], env)).stdout)).toEqual([]);
  });

  it('revokes and reinstates through the same use cases: audit entry by the operator, the person emailed, a wrong state refused', async () => {
    const revoked = await admin(
      ['--yes', '--as', 'alice', '--format', 'json', 'revoke', 'older@agency.gov', '--reason', 'Left the agency'],
      env,
    );
    expect([revoked.code, JSON.parse(revoked.stdout)]).toEqual([0, { status: 'revoked' }]);
    const ended = (await service.emailsTo('older@agency.gov')).at(-1);
    expect([ended?.subject, ended?.body.text?.includes('Left the agency')]).toEqual(['Your sandbox access was ended', true]);
    const again = await admin(['--yes', 'revoke', 'older@agency.gov', '--reason', 'twice'], env);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('it is revoked')]);
    expect((await admin(['revoke', 'older@agency.gov'], env)).code, 'no --reason: usage').toBe(2);

    const back = await admin(['--yes', '--as', 'alice', 'reinstate', 'older@agency.gov', '--reason', 'Came back'], env);
    expect([back.code, back.stdout]).toEqual([0, 'older@agency.gov: active\n']);
    expect((await service.emailsTo('older@agency.gov')).at(-1)?.subject).toBe('Your sandbox access is back');
    const history = (
      JSON.parse((await admin(['--format', 'json', 'show', 'older@agency.gov'], env)).stdout) as {
        history: { event: string; by: string }[];
      }
    ).history;
    expect(history.slice(-2).map((entry) => [entry.event, entry.by])).toEqual([
      ['access_revoked', 'operator:alice'],
      ['access_reinstated', 'operator:alice'],
    ]);
    const renewAgency = await admin(['--yes', 'renew', 'older@agency.gov'], env);
    expect([renewAgency.code, renewAgency.stderr]).toEqual([1, expect.stringContaining('Cannot renew')]);
    expect((await admin(['--yes', 'deliveries', 'retry', 'older@agency.gov'], env)).code, 'nothing failed').toBe(1);
  });

  it('resends a fresh, working link to a pending account; refuses an active one', async () => {
    const before = (await service.emailsTo('newer@agency.gov')).length;
    const resent = await admin(['--yes', '--format', 'json', 'resend', 'newer@agency.gov'], env);
    expect([resent.code, JSON.parse(resent.stdout || '{}')]).toEqual([0, { sent: 'verify_link', to: 'newer@agency.gov' }]);
    expect(await service.emailsTo('newer@agency.gov')).toHaveLength(before + 1);
    const token = await emailedToken(service, 'newer@agency.gov', '/verify');
    expect(await (await service.postJson('/verify', { token })).json()).toEqual({ status: 'active' });
    const active = await admin(['--yes', 'resend', 'newer@agency.gov'], env);
    expect([active.code, active.stderr]).toEqual([1, expect.stringContaining('no link to resend')]);
  });

  it('runs the sweep once, now', async () => {
    const swept = await admin(['--format', 'json', 'sweep'], env);
    expect([swept.code, Object.keys(JSON.parse(swept.stdout) as object)]).toEqual([
      0,
      ['examined', 'expired', 'reminded', 'undecided', 'warned', 'dormant', 'suspended', 'failed', 'backlog', 'pages'],
    ]);
  });

  it('answers a usage error with exit 2 and help', async () => {
    const wrong = await admin(['--format', 'yaml', 'list'], env);
    expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringContaining('Allowed choices are table, json, csv')]);
    const status = await admin(['list', '--status', 'enabled'], env);
    expect([status.code, status.stderr]).toEqual([2, expect.stringContaining(`Allowed choices are ${ACCOUNT_STATUSES.join(', ')}.`)]);
    expect((await admin(['list', '--kind', 'vendor'], env)).code).toBe(2);
    expect((await admin(['--help'], env)).code).toBe(0);
  });
});

describe('where npm run admin finds the data', () => {
  it('uses the running npm start on DYNAMODB_PORT, and says so; refuses it with a DATA_DIR it does not hold (its settings are there)', async () => {
    const port = new URL(service.dynamodbEndpoint).port;
    const found = await admin(['--format', 'json', 'list'], { DYNAMODB_PORT: port, DATA_DIR: service.dataDir });
    expect([found.code, found.stderr]).toEqual([0, expect.stringContaining(`the running npm start's DynamoDB on port ${port}`)]);
    const elsewhere = await admin(['--format', 'json', 'list'], { DYNAMODB_PORT: port, DATA_DIR: '/nonexistent' });
    expect([elsewhere.code, elsewhere.stderr]).toEqual([1, expect.stringContaining('no running npm start holds /nonexistent')]);
  });

  it('opens DATA_DIR itself when no server runs, and refuses a DATA_DIR a server on another port holds', async () => {
    const held = await admin(['list'], { DATA_DIR: service.dataDir, DYNAMODB_PORT: '1' });
    expect([held.code, held.stderr]).toEqual([1, expect.stringContaining(`is in use by a running npm start (pid`)]);
    expect(held.stderr).toContain(`DYNAMODB_PORT=${new URL(service.dynamodbEndpoint).port}`);

    const stopped = await LocalService.start();
    await stopped.postJson('/signup', { email: 'offline@agency.gov' });
    await stopped.stop();
    try {
      const opened = await admin(['--format', 'json', 'list'], { DATA_DIR: stopped.dataDir, DYNAMODB_PORT: '1' });
      expect(opened.stderr).toContain('opened directly (no server running)');
      expect((JSON.parse(opened.stdout) as { email: string }[]).map((row) => row.email)).toEqual(['offline@agency.gov']);
    } finally {
      await stopped.dispose();
    }
  });
});

describe('npm run admin export', () => {
  it('streams 10,000 accounts with their history to a private file, in flat memory', { timeout: 120_000 }, async () => {
    const big = await LocalService.start();
    try {
      const client = big.documentClient();
      const now = new Date().toISOString();
      for (let start = 0; start < 10_000; start += 25) {
        const items = Array.from({ length: 25 }, (_, i) => {
          const email = `person${start + i}@agency.gov`;
          return {
            PutRequest: {
              Item: {
                ...itemKeys.account(email),
                email,
                kind: 'agency',
                status: 'active',
                createdAt: now,
                updatedAt: now,
                history: [{ at: now, event: 'email_verified', by: 'self' }],
                version: 1,
              },
            },
          };
        });
        await client.send(new BatchWriteCommand({ RequestItems: { 'sandbox-gatekeeper': items } }));
      }
      const out = join(big.dataDir, 'export.jsonl');
      const exported = await admin(['export', '--out', out], { DYNAMODB_ENDPOINT: big.dynamodbEndpoint });
      console.info(exported.stderr.trim().split('\n').at(-1));
      expect(exported.code).toBe(0);
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(10_000);
      expect(JSON.parse(lines[0]!)).toMatchObject({ kind: 'agency', status: 'active', history: [{ event: 'email_verified', by: 'self' }] });
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const peak = Number(/peak memory (\d+) MB/.exec(exported.stderr)?.[1]);
      expect(peak, 'streamed, not collected').toBeLessThan(400);

      const csv = await admin(['export', '--format', 'csv'], { DYNAMODB_ENDPOINT: big.dynamodbEndpoint });
      expect(csv.stdout.split('\n')[0]).toBe('email,kind,status,createdAt,accessExpiresAt,sponsor,agency,history');
      expect(csv.stdout.trim().split('\n')).toHaveLength(10_001);
    } finally {
      await big.dispose();
    }
  });
});

describe('npm run admin --stack (AWS) against CloudFormation and STS stand-ins at the wire level', () => {
  it('reads the table from the stack’s outputs with the operator’s credentials, and lists it', async () => {
    const cf = await awsStandIn({
      stackName: 'SandboxGatekeeper',
      callerArn: 'arn:aws:iam::111122223333:user/operator',
      outputs: {
        TableName: 'sandbox-gatekeeper',
        OperatorEnvironment: JSON.stringify({
          TABLE_NAME: 'sandbox-gatekeeper',
          MAIL_FROM: 'no-reply@sandbox.agency.gov',
          BASE_URL: 'https://sandbox.agency.gov',
        }),
      },
    });
    try {
      const aws = {
        AWS_ENDPOINT_URL_CLOUDFORMATION: cf.url,
        AWS_ENDPOINT_URL_STS: cf.url,
        AWS_ENDPOINT_URL_DYNAMODB: service.dynamodbEndpoint,
        AWS_ACCESS_KEY_ID: 'AKIAOPERATOR',
        AWS_SECRET_ACCESS_KEY: 'operator-secret',
      };
      const listed = await admin(['--stack', 'SandboxGatekeeper', '--region', 'us-east-1', '--format', 'json', 'list'], aws);
      expect([listed.code, listed.stderr]).toEqual([0, expect.stringContaining('the stack SandboxGatekeeper in us-east-1 (its outputs)')]);
      expect((JSON.parse(listed.stdout) as { email: string }[]).map((row) => row.email)).toEqual(
        expect.arrayContaining(['older@agency.gov']),
      );
      expect(cf.asked[0]).toBe('DescribeStacks');

      const missing = await admin(['--stack', 'Elsewhere', '--region', 'us-east-1', 'list'], aws);
      expect([missing.code, missing.stderr.trim().split('\n').at(-1)]).toEqual([1, 'No stack named Elsewhere in us-east-1.']);

      const noCredentials = await admin(['--stack', 'SandboxGatekeeper', '--region', 'us-east-1', 'list'], {
        AWS_ENDPOINT_URL_CLOUDFORMATION: cf.url,
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
        AWS_EC2_METADATA_DISABLED: 'true',
      });
      expect(noCredentials.code).toBe(1);
      expect(noCredentials.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^No valid AWS credentials/)]);
    } finally {
      await cf.close();
    }
  });
});
