import { withDynamoWork } from '../adapters/dynamodb-work';
import { startInvocation } from '../adapters/invocation';
import { log } from '../adapters/logger';
import { metrics } from '../adapters/metrics';
import type { HttpOptions } from '../http/http-handler';
import { config } from './config';

/**
 * What every HTTP handler shares but the edge: the origins it accepts, its log and per-request
 * observation. Apart from the edge (http-options.ts), so the machine routes, which the sandbox
 * calls itself and never through CloudFront, carry no Secrets Manager client.
 */
export const observedOptions: HttpOptions = {
  allowedOrigins: config.allowedOrigins,
  log,
  metrics,
  async observe(event, context, run) {
    const done = startInvocation(context, event.requestContext.requestId);
    try {
      return await withDynamoWork(metrics, run);
    } finally {
      done();
    }
  },
  ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
};

export const machineOptions: HttpOptions = { ...observedOptions, machine: true };
