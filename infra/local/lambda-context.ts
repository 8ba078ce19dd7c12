import type { Context } from 'aws-lambda';

/** The invocation context Lambda would pass a function of ours: its name, the request id, and the deadline its timeout sets. */
export function lambdaContext(name: string, requestId: string, timeoutMs: number): Context {
  const functionName = `sandbox-gatekeeper-${name}`;
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
