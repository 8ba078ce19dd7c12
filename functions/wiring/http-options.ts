import { withDynamoWork } from '../adapters/dynamodb-work';
import { storedEdgeSecret } from '../adapters/edge-origin-secret';
import { startInvocation } from '../adapters/invocation';
import { log } from '../adapters/logger';
import { metrics } from '../adapters/metrics';
import type { HttpOptions } from '../http/http-handler';
import { secretsManagerClient } from './aws-clients';
import { config } from './config';

/** What every HTTP handler shares: the origins it accepts, the edge it trusts, its log, and per-request observation. */
export const httpOptions: HttpOptions = {
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
  ...(config.edgeOriginSecretArn ? { edgeSecret: storedEdgeSecret(() => secretsManagerClient(config), config.edgeOriginSecretArn) } : {}),
};
