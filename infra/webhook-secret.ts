import { CustomResource, type Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { GatekeeperFunction } from './constructs/gatekeeper-function';
import { LOG_ENVIRONMENT } from './function-environment';
import { eventHandlers } from './function-specs';
import { type PrivateSecret, privateSecretIn } from './private-secret';

export interface WebhookSecret extends PrivateSecret {
  /** The custom step that puts the secret's value: whatever reads the secret depends on it. */
  readonly value: CustomResource;
  /** The step's function (alarmed like every function). */
  readonly setup: GatekeeperFunction;
}

/**
 * The webhook signing secret (`WebhookSecret`) on its own key (`WebhookSecretKey`), which only the
 * roles given `grantRead` may decrypt. CloudFormation cannot generate a `whsec_` value, so the
 * secret starts empty and a custom step (`WebhookSecretValue`, `Custom::WebhookSecret`, function
 * `WebhookSecretFunction`) puts one when the stack makes it, and leaves it alone afterwards.
 */
export function webhookSecretIn(stack: Stack, options: { logRetention: RetentionDays }): WebhookSecret {
  const secret = privateSecretIn(stack, 'WebhookSecret', {
    description:
      'Sandbox Gatekeeper: the secret that signs webhook events; its value (whsec_…) is what the sandbox verifies with, given as it is',
    keyDescription: 'Sandbox Gatekeeper: encrypts the webhook signing secret',
    withoutRotation:
      'The sandbox verifies signatures with the same secret: changing it is a coordinated change with the sandbox team (README, "Webhook events"), not a single-sided rotation Lambda.',
  });
  // The step reads no service configuration: CloudFormation's request names the secret.
  const setup = new GatekeeperFunction(stack, 'WebhookSecretFunction', {
    spec: eventHandlers.webhookSecret,
    environment: { ...LOG_ENVIRONMENT },
    logRetention: options.logRetention,
  });
  // It may put a value in this secret, and have Secrets Manager encrypt it with the secret's key; nothing else.
  setup.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:PutSecretValue'], resources: [secret.secret.secretArn] }));
  setup.addToRolePolicy(
    new PolicyStatement({
      actions: ['kms:GenerateDataKey'],
      resources: [secret.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
    }),
  );
  const value = new CustomResource(stack, 'WebhookSecretValue', {
    serviceToken: setup.functionArn,
    resourceType: 'Custom::WebhookSecret',
    properties: { SecretId: secret.secret.secretArn },
  });
  return { ...secret, value, setup };
}
