import { startInvocation } from '../adapters/invocation';
import { log } from '../adapters/logger';
import { metrics } from '../adapters/metrics';
import type { HttpOptions } from '../http/http-handler';
import { config } from './config';

/** What every HTTP handler shares: the origins it accepts, the edge it trusts, its log, and per-request observation. */
export const httpOptions: HttpOptions = {
  allowedOrigins: config.allowedOrigins,
  log,
  metrics,
  observe: (event, context) => startInvocation(context, event.requestContext.requestId),
  ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
  ...(config.edgeOriginSecret ? { edgeSecret: config.edgeOriginSecret } : {}),
};
