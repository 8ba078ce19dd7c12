import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';

/** What the step did: done, or failed with a reason CloudFormation shows in the stack's events. */
export interface CustomResourceOutcome {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly reason: string;
}

/** CloudFormation shows the reason; the whole answer must stay under 4 kB. */
const MAX_REASON = 1000;

/**
 * CloudFormation's answer to one request: the outcome, the resource's physical id and the
 * request's own ids. Nothing else, so no value the step made can travel in it.
 */
export function customResourceResponse(
  event: Pick<CloudFormationCustomResourceEvent, 'StackId' | 'RequestId' | 'LogicalResourceId'>,
  physicalResourceId: string,
  outcome: CustomResourceOutcome,
): CloudFormationCustomResourceResponse {
  return {
    Status: outcome.status,
    Reason: outcome.reason.slice(0, MAX_REASON),
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
}

/** How long the response URL has to take the answer. */
const ANSWER_TIMEOUT_MS = 5000;

/**
 * PUTs the answer to the request's response URL (a pre-signed S3 URL, signed without a content
 * type: hence the empty one). Throws when it is not taken, so the invocation fails and Lambda's
 * retries of CloudFormation's asynchronous call run the step again.
 */
export async function answerCloudFormation(responseUrl: string, response: CloudFormationCustomResourceResponse): Promise<void> {
  const answer = await fetch(responseUrl, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body: JSON.stringify(response),
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  });
  await answer.body?.cancel();
  if (!answer.ok) throw new Error(`CloudFormation's response URL answered HTTP ${answer.status}`);
}
