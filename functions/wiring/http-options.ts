import { log, logger } from '../adapters/logger';
import { flushMetrics } from '../adapters/metrics';
import type { HttpOptions } from '../http/http-handler';
import { config } from './config';

/** What every HTTP handler shares: the origins it accepts, its log, and per-request observation. */
export const httpOptions: HttpOptions = {
  allowedOrigins: config.allowedOrigins,
  log,
  observe: (event) => {
    logger.setCorrelationId(event.requestContext.requestId);
    return flushMetrics;
  },
  ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
};
