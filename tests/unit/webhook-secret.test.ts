import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { customResourceResponse } from '../../functions/adapters/custom-resource';
import { storedWebhookSecret } from '../../functions/adapters/webhook-secret';
import { isWebhookSecret, newWebhookSecret } from '../../functions/core/webhook-secret';
import { ConfigError } from '../../functions/service/config';

const REQUEST = {
  StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/SandboxGatekeeper/0000',
  RequestId: 'request-1',
  LogicalResourceId: 'WebhookSecretValue',
};

describe('the webhook secret’s one format', () => {
  it('is whsec_ and the base64 of 32 random bytes, which the config check and the Standard Webhooks library take as they are', () => {
    const secrets = [newWebhookSecret(), newWebhookSecret()];
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
      expect(isWebhookSecret(secret)).toBe(true);
      expect(() => new Webhook(secret)).not.toThrow();
    }
    expect(secrets[0]).not.toBe(secrets[1]);
    expect(newWebhookSecret(new Uint8Array(32).fill(255))).toBe(`whsec_${Buffer.alloc(32, 255).toString('base64')}`);
  });
});

describe('the custom step’s answer to CloudFormation', () => {
  it('is the outcome, the physical id and the request’s own ids, nothing else', () => {
    expect(customResourceResponse(REQUEST, 'arn:secret', { status: 'SUCCESS', reason: 'done' })).toEqual({
      Status: 'SUCCESS',
      Reason: 'done',
      PhysicalResourceId: 'arn:secret',
      ...REQUEST,
    });
    // The whole request, as CloudFormation sends it: only its ids are echoed.
    const request = {
      ...REQUEST,
      RequestType: 'Create',
      ResponseURL: 'https://s3.example/response',
      ResourceProperties: { SecretId: 'arn:secret' },
    };
    const failed = customResourceResponse(request, 'arn:secret', {
      status: 'FAILED',
      reason: 'x'.repeat(5000),
    });
    expect(Object.keys(failed).sort()).toEqual(['LogicalResourceId', 'PhysicalResourceId', 'Reason', 'RequestId', 'StackId', 'Status']);
    // CloudFormation takes an answer of at most 4 kB.
    expect(failed.Reason).toHaveLength(1000);
  });
});

describe('the webhook secret read from Secrets Manager (WEBHOOK_SECRET_ARN)', () => {
  const clientAnswering = (SecretString: string | undefined) => async () => SecretString;

  it('is the whsec_ value itself', async () => {
    const secret = newWebhookSecret();
    await expect(storedWebhookSecret(clientAnswering(secret), 'arn:secret')()).resolves.toBe(secret);
  });

  it('refuses any other value (a raw generated password, nothing), naming WEBHOOK_SECRET_ARN and never the value', async () => {
    for (const value of ['Zq8rT3kPx7WmB2nV9cLd4HsJ6fGy1aEo5uKi0tRb3NeXw7Qp', undefined]) {
      const error = await storedWebhookSecret(clientAnswering(value), 'arn:secret')().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe('WEBHOOK_SECRET_ARN');
      expect((error as Error).message).toMatch(/^WEBHOOK_SECRET_ARN: .*whsec_/);
      if (value) expect((error as Error).message).not.toContain(value);
    }
  });
});
