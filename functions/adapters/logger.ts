import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../core/ports';
import { SERVICE_NAME } from '../service/observability';

/** Structured JSON logs. Callers pass masked addresses only, never a token or a full address. */
export const logger = new Logger({ serviceName: SERVICE_NAME });

export const log: Log = {
  info: (message, fields) => logger.info(message, { ...fields }),
  warn: (message, fields) => logger.warn(message, { ...fields }),
  error: (message, fields) => logger.error(message, { ...fields }),
};
