// The rehearsal's stand-in for Lambda's Node.js runtime, one process per function: it imports the
// bundle CDK built (LAMBDA_TASK_ROOT/index.mjs, `_HANDLER`) with the environment the template gives
// the function, then runs each invocation the host sends over IPC with a context whose deadline is
// the function's timeout. Plain JavaScript: no loader of any kind runs before the bundle.
//
// Two things differ from Lambda on purpose, both set by the host and removed from the environment
// before the bundle loads: the rehearsal's clock (REHEARSAL_CLOCK_OFFSET_MS, moved per invocation,
// so a year can pass between two journeys' steps) and name resolution for the sandbox's webhook
// host (REHEARSAL_HOSTS: origin → a receiver on loopback), as a hosts file would.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { realNow, setClockOffset } from './shifted-clock.mjs';

const hosts = JSON.parse(process.env.REHEARSAL_HOSTS ?? '{}');
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const replacement = hosts[url.origin];
  return realFetch(replacement ? `${replacement}${url.pathname}${url.search}` : input, init);
};
delete process.env.REHEARSAL_HOSTS;
const functionArn = process.env.REHEARSAL_FUNCTION_ARN;
delete process.env.REHEARSAL_FUNCTION_ARN;

const [file, exported] = (process.env._HANDLER ?? 'index.handler').split('.');
let loaded;
const load = () => {
  loaded ??= import(pathToFileURL(join(process.env.LAMBDA_TASK_ROOT, `${file}.mjs`)).href).then((module) => {
    if (typeof module[exported] !== 'function') throw new Error(`${process.env._HANDLER} is not a function of the bundle`);
    return module[exported];
  });
  return loaded;
};

const timeoutMs = Number(process.env.AWS_LAMBDA_FUNCTION_TIMEOUT) * 1000;
process.on('message', async ({ id, event, clockOffsetMs }) => {
  if (clockOffsetMs !== undefined) setClockOffset(clockOffsetMs);
  const deadline = realNow() + timeoutMs;
  const requestId = randomUUID();
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: 'rehearsal',
    getRemainingTimeInMillis: () => Math.max(0, deadline - realNow()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const handler = await load();
    const result = await Promise.race([
      handler(event, context),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`Task timed out after ${timeoutMs / 1000} seconds`)), timeoutMs).unref(),
      ),
    ]);
    process.send({ id, result: result ?? null });
  } catch (error) {
    process.send({
      id,
      error: { name: error?.name ?? 'Error', message: String(error?.message ?? error), stack: String(error?.stack ?? '') },
    });
  }
});
process.send({ ready: true });
