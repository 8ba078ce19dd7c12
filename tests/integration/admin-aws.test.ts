import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../support/admin-cli';
import { awsStandIn } from '../support/aws-stand-in';
import { LocalService } from '../support/local-service';
import { emailedToken } from '../support/mail-links';
import { neverAnswers } from '../support/silent-server';

const CALLER = 'arn:aws:sts::111122223333:assumed-role/SandboxGatekeeperOperator/alice@agency.gov';

/**
 * `npm run admin -- --stack` as against AWS: CloudFormation and STS stand-ins at the wire level,
 * the table and mail on the local emulators, the operator's own (static) credentials.
 */
let service: LocalService;
let stack: Awaited<ReturnType<typeof awsStandIn>>;
let aws: Record<string, string>;
beforeAll(async () => {
  service = await LocalService.start();
  await service.postJson('/signup', { email: 'lee@agency.gov' });
  await service.postJson('/verify', { token: await emailedToken(service, 'lee@agency.gov', '/verify') });
  stack = await awsStandIn({
    stackName: 'SandboxGatekeeper',
    callerArn: CALLER,
    outputs: {
      TableName: 'sandbox-gatekeeper',
      OperatorEnvironment: JSON.stringify({
        TABLE_NAME: 'sandbox-gatekeeper',
        MAIL_FROM: 'no-reply@sandbox.agency.gov',
        BASE_URL: 'https://sandbox.agency.gov',
        SES_ENDPOINT: service.mailboxUrl,
        SIGNING_KEYS_FILE: join(service.dataDir, 'signing-keys.json'),
      }),
    },
  });
  aws = {
    AWS_ENDPOINT_URL_CLOUDFORMATION: stack.url,
    AWS_ENDPOINT_URL_STS: stack.url,
    AWS_ENDPOINT_URL_DYNAMODB: service.dynamodbEndpoint,
    AWS_ACCESS_KEY_ID: 'AKIAOPERATOR',
    AWS_SECRET_ACCESS_KEY: 'operator-secret',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  };
});
afterAll(async () => {
  await stack.close();
  await service.dispose();
});

const onStack = ['--stack', 'SandboxGatekeeper', '--region', 'us-east-1'];

describe('npm run admin --stack: who acts', () => {
  it('names the caller’s ARN, as STS gives it, in the audit entry', async () => {
    const revoked = await admin([...onStack, 'revoke', 'lee@agency.gov', '--reason', 'Left', '--yes'], aws);
    expect([revoked.code, revoked.stderr]).toEqual([0, expect.stringContaining(`acting as ${CALLER}`)]);
    expect(stack.asked).toContain('GetCallerIdentity');
    const shown = await admin([...onStack, 'show', 'lee@agency.gov', '--format', 'json'], aws);
    const history = (JSON.parse(shown.stdout) as { history: { event: string; by: string }[] }).history;
    expect(history.at(-1)).toEqual({ at: expect.any(String), event: 'access_revoked', by: `operator:${CALLER}` });
  });

  it('refuses --as against AWS (exit 2), changing nothing', async () => {
    const typed = await admin([...onStack, '--as', 'someone-else', 'reinstate', 'lee@agency.gov', '--reason', 'x', '--yes'], aws);
    expect([typed.code, typed.stderr]).toEqual([2, expect.stringContaining('--as is for local targets')]);
    const shown = await admin([...onStack, 'show', 'lee@agency.gov', '--format', 'json'], aws);
    expect((JSON.parse(shown.stdout) as { status: string }).status).toBe('revoked');
  });
});

describe('npm run admin --stack against AWS services that never answer', () => {
  it('stops within seconds when CloudFormation or STS never answers', async () => {
    const silent = await neverAnswers();
    try {
      for (const service of ['CLOUDFORMATION', 'STS']) {
        const started = Date.now();
        const result = await bounded(admin([...onStack, 'list'], { ...aws, [`AWS_ENDPOINT_URL_${service}`]: silent.endpoint }, tracked));
        expect([service, result.code], result.stderr).toEqual([service, 1]);
        expect(Date.now() - started, service).toBeLessThan(20_000);
      }
    } finally {
      await silent.close();
    }
  }, 90_000);

  it('stops within seconds when DynamoDB never answers: list, revoke and sweep', async () => {
    const silent = await neverAnswers();
    try {
      const dead = { ...aws, AWS_ENDPOINT_URL_DYNAMODB: silent.endpoint };
      for (const args of [['list'], ['revoke', 'lee@agency.gov', '--reason', 'x', '--yes'], ['sweep']]) {
        const started = Date.now();
        const result = await bounded(admin([...onStack, ...args], dead, tracked));
        expect([args[0], result.code, result.stderr]).toEqual([args[0], 1, expect.stringContaining('briefly unavailable')]);
        expect(Date.now() - started, args[0]).toBeLessThan(20_000);
      }
    } finally {
      await silent.close();
    }
  }, 90_000);
});

/** The CLI under test, killed after 30 s so that a hang fails the test instead of stalling it. */
let running: number | undefined;
const tracked = { started: (pid: number) => (running = pid) };
async function bounded<T>(result: Promise<T>): Promise<T> {
  const pid = running;
  const timer = setTimeout(() => pid && process.kill(pid, 'SIGKILL'), 30_000);
  try {
    return await result;
  } finally {
    clearTimeout(timer);
  }
}
