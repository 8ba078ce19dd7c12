import { log, logger } from './adapters/logger';
import { flushMetrics } from './adapters/metrics';
import { loadConfig } from './config';
import type { HttpOptions } from './http/route';

/** Read and checked once per cold start; handlers without AWS clients need only this. */
export const config = loadConfig(process.env);

export const httpOptions: HttpOptions = {
  allowedOrigins: config.allowedOrigins,
  log,
  observe: (event) => {
    logger.setCorrelationId(event.requestContext.requestId);
    return flushMetrics;
  },
  ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
};
