import { NodeHttpHandler } from '@smithy/node-http-handler';
import { timeLeftMs } from '../service/deadline';

/**
 * What every AWS client shares, in one place. Each client has its own module
 * (dynamodb-client.ts, ses-client.ts, secrets-manager-client.ts) so a bundle carries only the SDK
 * packages its function creates: lib-dynamodb is not tree-shaken, so one module importing every
 * client put DynamoDB's (~45 kB) into functions that never touch the table.
 */
/**
 * Timeouts (docs/design.md §7 "Bounded time"): a connection within 1 s, an answer within 2 s (DynamoDB
 * answers in milliseconds; anything slower is a fault), 3 attempts — and every call also stops at
 * the invocation's deadline (service/deadline.ts), so retries cannot outlive the function.
 */
export const DYNAMODB_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 2000, throwOnRequestTimeout: true };
/** SES takes longer to accept a message; its sends are retried only where no duplicate can result. */
export const SES_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 4000, throwOnRequestTimeout: true };

/**
 * For calls made outside a function (the operator's CLI reading the stack and asking who it is):
 * bounded like SES's, so a service that never answers is an error in seconds, not a hang.
 */
export function controlPlaneHandler(): NodeHttpHandler {
  return new NodeHttpHandler(SES_TIMEOUTS);
}

/** The options an AWS call is sent with under the current invocation's deadline. */
function deadlineOptions(): { abortSignal?: AbortSignal } {
  const left = timeLeftMs();
  return left === undefined ? {} : { abortSignal: AbortSignal.timeout(Math.max(1, left)) };
}

/** Every call the client sends carries the current invocation's deadline. */
export function underDeadline<C extends { send: (...args: never[]) => Promise<unknown> }>(client: C): C {
  const send = client.send.bind(client) as (command: unknown, options?: object) => Promise<unknown>;
  client.send = ((command: unknown, options?: object) => send(command, { ...deadlineOptions(), ...options })) as unknown as C['send'];
  return client;
}
