import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { answerCloudFormation, type CustomResourceOutcome, customResourceResponse } from '../adapters/custom-resource';
import { log } from '../adapters/logger';
import { newWebhookSecret } from '../core/webhook-secret';
import { secretsManagerClient } from '../wiring/secrets-manager-client';

/** The resource's one property: the secret to fill (its ARN). */
export type WebhookSecretEvent = CloudFormationCustomResourceEvent<{ readonly SecretId: string }>;

/** Kept back from the invocation's time to answer CloudFormation after a slow Secrets Manager. */
const ANSWER_MARGIN_MS = 6000;

// No service configuration: CloudFormation's request names everything this step touches.
const secretsManager = secretsManagerClient({});

/**
 * The stack's custom step `Custom::WebhookSecret`, invoked by CloudFormation: on Create it puts a
 * new `whsec_` value (32 random bytes) in the secret, the one format the sender and the sandbox
 * take as it is; on Update and Delete it changes nothing (an operator may have changed the value
 * since), except that an Update naming another secret fills that one, which starts empty. Then it
 * answers CloudFormation itself: the physical id is the secret's ARN; a failure is FAILED with its
 * message. The value goes to Secrets Manager only, never to the answer or a log.
 */
export async function handler(event: WebhookSecretEvent, context?: Context): Promise<void> {
  const secretId = event.ResourceProperties.SecretId;
  const fills = event.RequestType === 'Create' || (event.RequestType === 'Update' && event.PhysicalResourceId !== secretId);
  let outcome: CustomResourceOutcome;
  try {
    if (fills) {
      if (!secretId) throw new Error('The resource names no SecretId');
      const left = context?.getRemainingTimeInMillis();
      await secretsManager.send(
        new PutSecretValueCommand({ SecretId: secretId, SecretString: newWebhookSecret() }),
        left === undefined ? {} : { abortSignal: AbortSignal.timeout(Math.max(1, left - ANSWER_MARGIN_MS)) },
      );
    }
    outcome = { status: 'SUCCESS', reason: fills ? 'A new whsec_ value was put in the secret' : 'The secret was left as it is' };
  } catch (error) {
    outcome = { status: 'FAILED', reason: (error as Error)?.message || String(error) };
  }
  // The secret's ARN, as CloudFormation already knows it on Delete (or, without one, the resource's own name).
  const physicalResourceId = (event.RequestType === 'Delete' ? event.PhysicalResourceId : secretId) || event.LogicalResourceId;
  const response = customResourceResponse(event, physicalResourceId, outcome);
  log[outcome.status === 'SUCCESS' ? 'info' : 'error']('webhook secret step', {
    requestType: event.RequestType,
    logicalResourceId: event.LogicalResourceId,
    status: response.Status,
    reason: response.Reason,
  });
  await answerCloudFormation(event.ResponseURL, response);
}
