import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWebhookSecret } from '../../functions/core/webhook-secret';
import { CustomResourceStandIn, SECRET_ARN } from '../support/custom-resource-stand-in';

/**
 * The stack's custom step `Custom::WebhookSecret` (functions/handlers/webhook-secret.ts), run as
 * CloudFormation invokes it, against a stand-in for Secrets Manager and for the response URL.
 */
const standIn = new CustomResourceStandIn();
const saved = { ...process.env };
let handler: typeof import('../../functions/handlers/webhook-secret').handler;

beforeAll(async () => {
  await standIn.start();
  // As Lambda gives them: the region and the role's credentials in the environment.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDSTEPTEST',
    AWS_SECRET_ACCESS_KEY: 'step-test-secret',
    AWS_SESSION_TOKEN: 'step-test-session',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.url,
  });
  ({ handler } = await import('../../functions/handlers/webhook-secret'));
});
afterAll(async () => {
  process.env = saved;
  await standIn.close();
});

/** Runs the handler, keeping what it printed (its logs) to check that no secret is among them. */
async function run(event: Parameters<typeof handler>[0]): Promise<{ printed: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let printed = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    printed += String(chunk);
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    await handler(event);
  } finally {
    process.stdout.write = write;
  }
  return { printed };
}

const common = { StackId: expect.stringContaining(':stack/'), LogicalResourceId: 'WebhookSecretValue' };

describe('the webhook secret’s custom step', () => {
  it('on Create puts a new whsec_ value of 32 random bytes in the secret and answers SUCCESS, the secret’s ARN as physical id', async () => {
    const [puts, answers] = [standIn.puts.length, standIn.answers.length];
    const { printed } = await run(standIn.event('Create'));

    const put = standIn.puts.slice(puts);
    expect(put.map((call) => [call.target, call.body.SecretId])).toEqual([['secretsmanager.PutSecretValue', SECRET_ARN]]);
    expect(put[0]!.authorization).toContain('Credential=AKIDSTEPTEST/');
    const value = String(put[0]!.body.SecretString);
    expect(isWebhookSecret(value)).toBe(true);
    expect(Buffer.from(value.slice('whsec_'.length), 'base64')).toHaveLength(32);

    const [answer, ...more] = standIn.answers.slice(answers);
    expect(more).toEqual([]);
    expect(answer!.url).toBe('/response/Create?X-Amz-Signature=abc');
    // Pre-signed without a content type: an empty one, and the length of what is sent.
    expect(answer!.headers['content-type']).toBe('');
    expect(Number(answer!.headers['content-length'])).toBe(Buffer.byteLength(answer!.body));
    expect(JSON.parse(answer!.body)).toEqual({
      Status: 'SUCCESS',
      Reason: 'A new whsec_ value was put in the secret',
      PhysicalResourceId: SECRET_ARN,
      RequestId: 'request-Create',
      ...common,
    });
    // The value goes to Secrets Manager only.
    const base64 = value.slice('whsec_'.length);
    expect([answer!.body.includes(base64), printed.includes(base64)]).toEqual([false, false]);
    expect(printed).toContain('webhook secret step');
  });

  it('on Update and Delete changes nothing and answers SUCCESS with the same physical id', async () => {
    const [puts, answers] = [standIn.puts.length, standIn.answers.length];
    await run(standIn.event('Update'));
    await run(standIn.event('Delete'));

    expect(standIn.puts.slice(puts)).toEqual([]);
    expect(standIn.answers.slice(answers).map((answer) => JSON.parse(answer.body))).toEqual(
      ['Update', 'Delete'].map((type) => ({
        Status: 'SUCCESS',
        Reason: 'The secret was left as it is',
        PhysicalResourceId: SECRET_ARN,
        RequestId: `request-${type}`,
        ...common,
      })),
    );
  });

  it('on an Update that names another secret (a new, empty one) fills that one and takes its ARN as physical id', async () => {
    const other = `${SECRET_ARN}-other`;
    const [puts, answers] = [standIn.puts.length, standIn.answers.length];
    await run(standIn.event('Update', { secretId: other, physicalResourceId: SECRET_ARN }));

    expect(standIn.puts.slice(puts).map((call) => call.body.SecretId)).toEqual([other]);
    expect(JSON.parse(standIn.answers.slice(answers)[0]!.body)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: other });
  });

  it('answers FAILED with Secrets Manager’s message when the value cannot be put, and still resolves', async () => {
    standIn.refuse = { type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." };
    const answers = standIn.answers.length;
    try {
      await expect(run(standIn.event('Create'))).resolves.toBeDefined();
    } finally {
      standIn.refuse = undefined;
    }
    expect(JSON.parse(standIn.answers.slice(answers)[0]!.body)).toEqual({
      Status: 'FAILED',
      Reason: "Secrets Manager can't find the specified secret.",
      PhysicalResourceId: SECRET_ARN,
      RequestId: 'request-Create',
      ...common,
    });
  });

  it('without a SecretId fails a Create, and still lets CloudFormation delete what it made', async () => {
    const [puts, answers] = [standIn.puts.length, standIn.answers.length];
    await run(standIn.event('Create', { secretId: '' }));
    await run(standIn.event('Delete', { secretId: '', physicalResourceId: 'WebhookSecretValue' }));

    expect(standIn.puts.slice(puts)).toEqual([]);
    expect(standIn.answers.slice(answers).map((answer) => JSON.parse(answer.body))).toEqual([
      {
        Status: 'FAILED',
        Reason: 'The resource names no SecretId',
        PhysicalResourceId: 'WebhookSecretValue',
        RequestId: 'request-Create',
        ...common,
      },
      {
        Status: 'SUCCESS',
        Reason: 'The secret was left as it is',
        PhysicalResourceId: 'WebhookSecretValue',
        RequestId: 'request-Delete',
        ...common,
      },
    ]);
  });

  it('fails the invocation when the response URL does not take the answer (Lambda runs it again)', async () => {
    standIn.answerStatus = 403;
    try {
      await expect(handler(standIn.event('Delete'))).rejects.toThrow(/response URL answered HTTP 403/);
    } finally {
      standIn.answerStatus = 200;
    }
  });
});
