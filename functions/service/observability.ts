/** The service's name in logs and metrics, and the CloudWatch namespace of its own metrics. */
export const SERVICE_NAME = 'sandbox-gatekeeper';
export const METRIC_NAMESPACE = 'SandboxGatekeeper';
