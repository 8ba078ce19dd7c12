/**
 * The names of the functions' environment variables: loadConfig reads them, the stack and the
 * local server write them, so a name cannot differ between the one who sets and the one who reads.
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  mailFrom: 'MAIL_FROM',
  baseUrl: 'BASE_URL',
  allowedOrigins: 'ALLOWED_ORIGINS',
  allowedDomainSuffixes: 'ALLOWED_DOMAIN_SUFFIXES',
  deniedDomains: 'DENIED_DOMAINS',
  deniedSponsorMailboxes: 'DENIED_SPONSOR_MAILBOXES',
  sandboxUrl: 'SANDBOX_URL',
  signupSuccessUrl: 'SIGNUP_SUCCESS_URL',
  supportEmail: 'SUPPORT_EMAIL',
  /** The operator's privacy policy and accessibility statement (https), linked from every page's footer. */
  privacyUrl: 'PRIVACY_URL',
  accessibilityUrl: 'ACCESSIBILITY_URL',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  signingKeysSecretArn: 'SIGNING_KEYS_SECRET_ARN',
  signingKeysFile: 'SIGNING_KEYS_FILE',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  sesEndpoint: 'SES_ENDPOINT',
  secretsManagerEndpoint: 'SECRETS_MANAGER_ENDPOINT',
  /** Behind the edge: the Secrets Manager secret holding the header value CloudFront adds (its value is never in the environment). */
  edgeOriginSecretArn: 'EDGE_ORIGIN_SECRET_ARN',
  webhookUrl: 'WEBHOOK_URL',
  /** A `whsec_…` secret (local, or tests); in AWS the stack names a Secrets Manager secret instead. */
  webhookSecret: 'WEBHOOK_SECRET',
  webhookSecretArn: 'WEBHOOK_SECRET_ARN',
  /** `code` chooses the emailed code even where an OpenID provider is configured. */
  signInMethod: 'SIGN_IN_METHOD',
  oidcIssuer: 'OIDC_ISSUER',
  oidcClientId: 'OIDC_CLIENT_ID',
  /** The client's private JWK for `private_key_jwt`: a file (local), or a Secrets Manager secret (AWS). */
  oidcPrivateKeyFile: 'OIDC_PRIVATE_KEY_FILE',
  oidcPrivateKeySecretArn: 'OIDC_PRIVATE_KEY_SECRET_ARN',
  /** Where the scheduled load fetches the .gov registry's current-full.csv (https); none: only the deployed snapshot. */
  registryUrl: 'REGISTRY_URL',
  /** The registry's domain types that may sign up, and that may sponsor (comma-separated; default: every type). */
  govDomainTypes: 'GOV_DOMAIN_TYPES',
  sponsorGovDomainTypes: 'SPONSOR_GOV_DOMAIN_TYPES',
} as const;

/** Limits and lifetimes: each has a default in loadConfig; the stack's `limits` context may set any of them. */
export const LIMIT = {
  emailCooldownSeconds: 'RATE_LIMIT_EMAIL_COOLDOWN_SECONDS',
  emailsPerDay: 'RATE_LIMIT_EMAIL_PER_DAY',
  ipRequestsPerHour: 'RATE_LIMIT_IP_PER_HOUR',
  sponsorRequestsPerDay: 'SPONSOR_REQUESTS_PER_DAY',
  verificationTtlSeconds: 'VERIFICATION_TTL_SECONDS',
  approvalTtlSeconds: 'APPROVAL_TTL_SECONDS',
  contractorAccessSeconds: 'CONTRACTOR_ACCESS_SECONDS',
  /** The older spelling, still read; setting both is a configuration error. */
  contractorAccessDays: 'CONTRACTOR_ACCESS_DAYS',
  renewalNoticeSeconds: 'RENEWAL_NOTICE_SECONDS',
  sessionTtlSeconds: 'SESSION_TTL_SECONDS',
  /** Local only: how often `npm start` runs the sweep (in AWS a schedule does, from context). */
  sweepIntervalSeconds: 'SWEEP_INTERVAL_SECONDS',
  /** The first retry's delay for emails and webhook events; each later one doubles it. */
  webhookRetrySeconds: 'WEBHOOK_RETRY_SECONDS',
  webhookMaxAttempts: 'WEBHOOK_MAX_ATTEMPTS',
  anonymousAnswerMs: 'ANONYMOUS_ANSWER_MS',
  anonymousEmailsPerHour: 'ANONYMOUS_EMAILS_PER_HOUR',
  newAddressEmailsPerDomainPerHour: 'NEW_ADDRESS_EMAILS_PER_DOMAIN_PER_HOUR',
  /** How much of a domain's new-address budget one client network may spend per hour. */
  budgetSharePerClient: 'BUDGET_SHARE_PER_CLIENT',
  tokenIpRequestsPerHour: 'RATE_LIMIT_TOKEN_IP_PER_HOUR',
  bounceSuppressionDays: 'SUPPRESSION_DAYS',
  /** Accounts end when unused (core/dormancy.ts). */
  dormantAfterSeconds: 'DORMANT_AFTER_SECONDS',
  dormantWarningSeconds: 'DORMANT_WARNING_SECONDS',
  activityReports: 'ACTIVITY_REPORTS',
  reconfirmSeconds: 'RECONFIRM_SECONDS',
} as const;

export type LimitVariable = (typeof LIMIT)[keyof typeof LIMIT];
export const LIMIT_VARIABLES: readonly LimitVariable[] = Object.values(LIMIT);
export type VariableName = (typeof ENV)[keyof typeof ENV] | LimitVariable;

export function isLimitVariable(name: string): name is LimitVariable {
  return (LIMIT_VARIABLES as readonly string[]).includes(name);
}
