import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { Metrics } from '../core/ports';
import { METRIC_NAMESPACE, SERVICE_NAME } from '../service/observability';

/**
 * CloudWatch metrics in Embedded Metric Format (Powertools): written with the logs, no API call
 * on the hot path. Counters without a dimension share one EMF blob per invocation; a counter
 * with a dimension gets its own, so dimensions never leak onto unrelated counters.
 */
export const powertoolsMetrics = new PowertoolsMetrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE_NAME });

export const metrics: Metrics = {
  count(name, dimension, value = 1) {
    if (!dimension) {
      powertoolsMetrics.addMetric(name, MetricUnit.Count, value);
      return;
    }
    const single = powertoolsMetrics.singleMetric();
    for (const [key, dimensionValue] of Object.entries(dimension)) single.addDimension(key, dimensionValue);
    single.addMetric(name, MetricUnit.Count, value);
  },
};

/** Writes what this invocation counted; the HTTP adapter calls it once per request. */
export function flushMetrics(): void {
  if (powertoolsMetrics.hasStoredMetrics()) powertoolsMetrics.publishStoredMetrics();
}
