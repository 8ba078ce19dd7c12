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
  sandboxUrl: 'SANDBOX_URL',
  signupSuccessUrl: 'SIGNUP_SUCCESS_URL',
  supportEmail: 'SUPPORT_EMAIL',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  signingKeysSecretArn: 'SIGNING_KEYS_SECRET_ARN',
  signingKeysFile: 'SIGNING_KEYS_FILE',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  sesEndpoint: 'SES_ENDPOINT',
  secretsManagerEndpoint: 'SECRETS_MANAGER_ENDPOINT',
} as const;

/** Limits and lifetimes: each has a default in loadConfig; the stack's `limits` context may set any of them. */
export const LIMIT_VARIABLES = [
  'RATE_LIMIT_EMAIL_COOLDOWN_SECONDS',
  'RATE_LIMIT_EMAIL_PER_DAY',
  'RATE_LIMIT_IP_PER_HOUR',
  'SPONSOR_REQUESTS_PER_DAY',
  'VERIFICATION_TTL_SECONDS',
  'APPROVAL_TTL_SECONDS',
  'CONTRACTOR_ACCESS_DAYS',
] as const;

export type LimitVariable = (typeof LIMIT_VARIABLES)[number];
export type VariableName = (typeof ENV)[keyof typeof ENV] | LimitVariable;
