import type { Context } from 'aws-lambda';
import { logger } from './logger';
import { flushMetrics, powertoolsMetrics } from './metrics';

/**
 * The start of one Lambda invocation: every log line from here on names the function, its
 * request id and whether this is a cold start, and a cold start is counted (ColdStart metric).
 * Returns what ends the invocation: writing the metrics it counted.
 */
export function startInvocation(context: Context | undefined, correlationId?: string): () => void {
  if (context) {
    logger.addContext(context);
    powertoolsMetrics.captureColdStartMetric(context.functionName);
  }
  if (correlationId !== undefined) logger.setCorrelationId(correlationId);
  return flushMetrics;
}
