/**
 * What the service counts. The emitter and the alarms share this list, so renaming a counter
 * breaks the build instead of silencing an alarm.
 */
export const METRIC_NAMES = [
  'SignupsAccepted',
  'SponsorshipRequests',
  'Verifications',
  'RequestsCancelled',
  'Approvals',
  'Denials',
  'EmailsSent',
  'EmailsSuppressed',
  'EmailsFailed',
  'EmailsFailedPermanently',
  'RateLimitHits',
  'EmailBudgetExhausted',
  'EmailsHeldByBreaker',
  'BreakerOpened',
  'TokenFailures',
  'AddressesSuppressed',
  'SignInCodesRequested',
  'SignInCodesRefused',
  'SignIns',
  'DecisionsRefused',
  'RenewalReminders',
  'AccessRenewed',
  'AccessEnded',
  'AccessRevoked',
  'AccessReinstated',
  'AccessExpired',
  'DeliveriesFailed',
  'WebhooksDelivered',
  'WebhooksFailed',
  'DependencyUnavailable',
  'InternalErrors',
  'DynamoDBReads',
  'DynamoDBWrites',
  'DynamoDBReadUnits',
  'DynamoDBWriteUnits',
  'RegistryLoadsRefused',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];
