import { parseAddress } from '../core/address';
import type { DormancyPolicy } from '../core/dormancy';
import { isWebhookSecret } from '../core/webhook-secret';
import {
  ConfigError,
  domains,
  domainTypes,
  type Env,
  fitsADate,
  integer,
  interval,
  mailboxes,
  origins,
  required,
  text,
  timeSpan,
  url,
} from './config-fields';
import { dormancyConfig } from './dormancy-config';
import { ENV, LIMIT, type VariableName } from './environment';

export { ConfigError } from './config-fields';

/**
 * Configuration, read from the environment once at start-up. Anything wrong fails fast with the
 * variable's name in the message, so a bad deploy never serves a single request.
 */
export interface Config {
  readonly tableName: string;
  readonly mailFrom: string;
  /** Origin links are built from; when absent (AWS without a custom domain) taken from API Gateway's request context. */
  readonly baseUrl?: string;
  readonly allowedOrigins: readonly string[];
  readonly allowedDomainSuffixes: readonly string[];
  readonly deniedDomains: readonly string[];
  /** Local parts that name a shared mailbox, never a person: refused as sponsors. */
  readonly deniedSponsorMailboxes: readonly string[];
  readonly emailCooldownSeconds: number;
  readonly emailsPerDay: number;
  readonly ipRequestsPerHour: number;
  readonly sponsorRequestsPerDay: number;
  readonly verificationTtlSeconds: number;
  readonly approvalTtlSeconds: number;
  /** How long a sponsor's approval or renewal grants access. */
  readonly contractorAccessSeconds: number;
  /** How long before access ends the sponsor is reminded (once per access period). */
  readonly renewalNoticeSeconds: number;
  /** Lifetime of a sponsor's session. */
  readonly sessionTtlSeconds: number;
  /** Where the daily load fetches the .gov registry; none: the snapshot deployed with the stack stays. */
  readonly registryUrl?: string;
  /** The registry's domain types admitted to sign up, and to sponsor; empty: every type. */
  readonly govDomainTypes: readonly string[];
  readonly sponsorGovDomainTypes: readonly string[];
  /** How sponsors sign in: with OpenID Connect (when a provider is configured) or an emailed code. */
  readonly signIn: SignInConfig;
  /** How often the local server runs the sweep. */
  readonly sweepIntervalSeconds: number;
  /** Retries of emails and webhook events: the first delay (doubling) and the most attempts. */
  readonly retrySeconds: number;
  readonly maxAttempts: number;
  /** Where webhook events go; none: no events are recorded. */
  readonly webhookUrl?: string;
  readonly webhookSecret?: string;
  readonly webhookSecretArn?: string;
  /** Every anonymous 202 is answered no sooner than this after the request arrived (no timing oracle). */
  readonly anonymousAnswerMs: number;
  /** Service-wide budgets that protect the sending reputation every user depends on. */
  readonly anonymousEmailsPerHour: number;
  readonly budgetSharePerClient: number;
  readonly newAddressEmailsPerDomainPerHour: number;
  /** Token POSTs (/verify, /sponsorships/decision) per client per hour: their own budget. */
  readonly tokenIpRequestsPerHour: number;
  /** How long a permanent bounce suppresses its mailbox; complaints are kept until removed. */
  readonly bounceSuppressionDays: number;
  /** When unused accounts end (service/dormancy-config.ts). */
  readonly dormancy: DormancyPolicy;
  readonly sandboxUrl?: string;
  /** Where a no-JavaScript form post from an allowed other site lands after success (303). */
  readonly signupSuccessUrl?: string;
  /** Who people can write to, named in emails ("if this was not you"). */
  readonly supportEmail?: string;
  /** The operator's privacy policy and accessibility statement, linked from every page's footer. */
  readonly privacyUrl?: string;
  readonly accessibilityUrl?: string;
  /** SES configuration set every send names (bounce and complaint events → the feedback topic). */
  readonly sesConfigurationSet?: string;
  readonly dynamodbEndpoint?: string;
  readonly sesEndpoint?: string;
  readonly secretsManagerEndpoint?: string;
  /** Set when CloudFront fronts the API: the secret holding the value it adds to every origin request (read at start). */
  readonly edgeOriginSecretArn?: string;
  /** Where the approval-token signing keys live: a Secrets Manager secret (AWS) or a file (local). */
  readonly signingKeysSecretArn?: string;
  readonly signingKeysFile?: string;
}

/** OpenID Connect needs an issuer, a client id and the client's private key (`private_key_jwt`). */
export type SignInConfig =
  | { readonly method: 'code' }
  | {
      readonly method: 'oidc';
      readonly issuer: string;
      readonly clientId: string;
      /** A file holding the private JWK (local), or a Secrets Manager secret (AWS). */
      readonly privateKeyFile?: string;
      readonly privateKeySecretArn?: string;
    };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * WEBHOOK_URL: https, or http only to this machine (a local receiver); a `whsec_` secret of at
 * least 24 random bytes, or (in AWS) the ARN of the secret holding one.
 */
function webhook(env: Env): Pick<Config, 'webhookUrl' | 'webhookSecret' | 'webhookSecretArn'> {
  const webhookUrl = url(env, ENV.webhookUrl);
  const webhookSecret = text(env, ENV.webhookSecret);
  const webhookSecretArn = text(env, ENV.webhookSecretArn);
  if (webhookUrl) {
    const parsed = new URL(webhookUrl);
    if (parsed.protocol !== 'https:' && !LOOPBACK_HOSTS.has(parsed.hostname)) {
      throw new ConfigError(ENV.webhookUrl, `${ENV.webhookUrl} must be an https URL (http only to localhost), got "${webhookUrl}"`);
    }
  }
  if (webhookSecret !== undefined && !isWebhookSecret(webhookSecret)) {
    throw new ConfigError(ENV.webhookSecret, `${ENV.webhookSecret} must be "whsec_" followed by at least 24 random bytes in base64`);
  }
  return {
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(webhookSecret ? { webhookSecret } : {}),
    ...(webhookSecretArn ? { webhookSecretArn } : {}),
  };
}

/** CONTRACTOR_ACCESS_SECONDS, or the older CONTRACTOR_ACCESS_DAYS; never both, so no value silently wins. */
function accessSeconds(env: Env): number {
  if (text(env, LIMIT.contractorAccessSeconds) !== undefined && text(env, LIMIT.contractorAccessDays) !== undefined) {
    throw new ConfigError(
      LIMIT.contractorAccessDays,
      `Set ${LIMIT.contractorAccessSeconds} or the older ${LIMIT.contractorAccessDays}, not both`,
    );
  }
  const days = timeSpan(env, LIMIT.contractorAccessDays, 0, 1, 86_400);
  return days ? days * 86_400 : timeSpan(env, LIMIT.contractorAccessSeconds, 31_536_000, 1);
}

/**
 * WEBHOOK_RETRY_SECONDS, doubling up to WEBHOOK_MAX_ATTEMPTS attempts: the longest wait (before
 * the last attempt) must still give a date.
 */
function deliveryRetries(env: Env): Pick<Config, 'retrySeconds' | 'maxAttempts'> {
  const retrySeconds = timeSpan(env, LIMIT.webhookRetrySeconds, 60, 1);
  const maxAttempts = integer(env, LIMIT.webhookMaxAttempts, 12, 1);
  if (!fitsADate(retrySeconds * 2 ** Math.max(0, maxAttempts - 2))) {
    throw new ConfigError(
      LIMIT.webhookMaxAttempts,
      `${LIMIT.webhookMaxAttempts} (${maxAttempts}) is too many: ${LIMIT.webhookRetrySeconds} (${retrySeconds}) doubled that often waits past the last date a date can hold`,
    );
  }
  return { retrySeconds, maxAttempts };
}

function registryUrlOf(env: Env): { registryUrl?: string } {
  const registryUrl = url(env, ENV.registryUrl);
  if (registryUrl && !registryUrl.startsWith('https://')) {
    throw new ConfigError(ENV.registryUrl, `${ENV.registryUrl} must be an https URL, got "${registryUrl}"`);
  }
  return registryUrl ? { registryUrl } : {};
}

/** An optional https page of the operator's (the footer's links). */
function httpsPage(env: Env, name: VariableName): string | undefined {
  const page = url(env, name);
  if (page && !page.startsWith('https://')) throw new ConfigError(name, `${name} must be an https URL, got "${page}"`);
  return page;
}

function signInConfig(env: Env): SignInConfig {
  const method = text(env, ENV.signInMethod);
  if (method !== undefined && method !== 'oidc' && method !== 'code') {
    throw new ConfigError(ENV.signInMethod, `${ENV.signInMethod} must be "oidc" or "code", got "${method}"`);
  }
  const issuer = url(env, ENV.oidcIssuer);
  const clientId = text(env, ENV.oidcClientId);
  const privateKeyFile = text(env, ENV.oidcPrivateKeyFile);
  const privateKeySecretArn = text(env, ENV.oidcPrivateKeySecretArn);
  if (method === 'code' || (method === undefined && issuer === undefined)) return { method: 'code' };
  if (!issuer) throw new ConfigError(ENV.oidcIssuer, `${ENV.signInMethod} is "oidc": ${ENV.oidcIssuer} is required too`);
  if (!clientId) throw new ConfigError(ENV.oidcClientId, `${ENV.oidcIssuer} is set: ${ENV.oidcClientId} is required too`);
  if (!privateKeyFile && !privateKeySecretArn) {
    throw new ConfigError(
      ENV.oidcPrivateKeySecretArn,
      `${ENV.oidcIssuer} is set: ${ENV.oidcPrivateKeySecretArn} or ${ENV.oidcPrivateKeyFile} (the client's private key) is required too`,
    );
  }
  return {
    method: 'oidc',
    issuer,
    clientId,
    ...(privateKeyFile ? { privateKeyFile } : {}),
    ...(privateKeySecretArn ? { privateKeySecretArn } : {}),
  };
}

/** NEW_ADDRESS_EMAILS_PER_DOMAIN_PER_HOUR when not set. */
export const NEW_ADDRESS_BUDGET = 50;

export function loadConfig(env: Env): Config {
  const mailFrom = required(env, ENV.mailFrom);
  if (!parseAddress(mailFrom).ok) throw new ConfigError(ENV.mailFrom, `${ENV.mailFrom} must be a plain email address, got "${mailFrom}"`);
  const baseUrl = url(env, ENV.baseUrl);
  const sandboxUrl = url(env, ENV.sandboxUrl);
  const dynamodbEndpoint = url(env, ENV.dynamodbEndpoint);
  const sesEndpoint = url(env, ENV.sesEndpoint);
  const secretsManagerEndpoint = url(env, ENV.secretsManagerEndpoint);
  const edgeOriginSecretArn = text(env, ENV.edgeOriginSecretArn);
  const signingKeysSecretArn = text(env, ENV.signingKeysSecretArn);
  const signingKeysFile = text(env, ENV.signingKeysFile);
  const sesConfigurationSet = text(env, ENV.sesConfigurationSet);
  const allowedOrigins = origins(env, ENV.allowedOrigins);
  const signupSuccessUrl = url(env, ENV.signupSuccessUrl);
  if (signupSuccessUrl && !allowedOrigins.includes(new URL(signupSuccessUrl).origin)) {
    throw new ConfigError(
      ENV.signupSuccessUrl,
      `${ENV.signupSuccessUrl} must be on one of ${ENV.allowedOrigins}, got "${signupSuccessUrl}"`,
    );
  }
  const contractorAccessSeconds = accessSeconds(env);
  const renewalNoticeSeconds = integer(env, LIMIT.renewalNoticeSeconds, Math.min(2_592_000, Math.floor(contractorAccessSeconds / 2)), 1);
  if (renewalNoticeSeconds >= contractorAccessSeconds) {
    throw new ConfigError(
      LIMIT.renewalNoticeSeconds,
      `${LIMIT.renewalNoticeSeconds} (${renewalNoticeSeconds}) must be shorter than the access it warns of (${contractorAccessSeconds} seconds)`,
    );
  }
  const supportEmail = text(env, ENV.supportEmail);
  const privacyUrl = httpsPage(env, ENV.privacyUrl);
  const accessibilityUrl = httpsPage(env, ENV.accessibilityUrl);
  if (supportEmail !== undefined && !parseAddress(supportEmail).ok) {
    throw new ConfigError(ENV.supportEmail, `${ENV.supportEmail} must be a plain email address, got "${supportEmail}"`);
  }
  return {
    tableName: required(env, ENV.tableName),
    mailFrom,
    ...(baseUrl ? { baseUrl } : {}),
    allowedOrigins,
    allowedDomainSuffixes: domains(env, ENV.allowedDomainSuffixes),
    deniedDomains: domains(env, ENV.deniedDomains),
    deniedSponsorMailboxes: mailboxes(env, ENV.deniedSponsorMailboxes),
    emailCooldownSeconds: timeSpan(env, LIMIT.emailCooldownSeconds, 60, 0),
    emailsPerDay: integer(env, LIMIT.emailsPerDay, 5, 1),
    ipRequestsPerHour: integer(env, LIMIT.ipRequestsPerHour, 100, 1),
    sponsorRequestsPerDay: integer(env, LIMIT.sponsorRequestsPerDay, 10, 1),
    verificationTtlSeconds: timeSpan(env, LIMIT.verificationTtlSeconds, 86_400, 1),
    approvalTtlSeconds: timeSpan(env, LIMIT.approvalTtlSeconds, 604_800, 1),
    contractorAccessSeconds,
    renewalNoticeSeconds,
    sessionTtlSeconds: timeSpan(env, LIMIT.sessionTtlSeconds, 3600, 60),
    signIn: signInConfig(env),
    ...registryUrlOf(env),
    govDomainTypes: domainTypes(env, ENV.govDomainTypes),
    sponsorGovDomainTypes: domainTypes(env, ENV.sponsorGovDomainTypes),
    sweepIntervalSeconds: interval(env, LIMIT.sweepIntervalSeconds, 60, 1),
    dormancy: dormancyConfig(env),
    ...deliveryRetries(env),
    ...webhook(env),
    anonymousAnswerMs: integer(env, LIMIT.anonymousAnswerMs, 350, 0),
    anonymousEmailsPerHour: integer(env, LIMIT.anonymousEmailsPerHour, 1000, 1),
    newAddressEmailsPerDomainPerHour: integer(env, LIMIT.newAddressEmailsPerDomainPerHour, NEW_ADDRESS_BUDGET, 1),
    budgetSharePerClient: integer(env, LIMIT.budgetSharePerClient, 5, 1),
    tokenIpRequestsPerHour: integer(env, LIMIT.tokenIpRequestsPerHour, 600, 1),
    bounceSuppressionDays: timeSpan(env, LIMIT.bounceSuppressionDays, 90, 1, 86_400),
    ...(sandboxUrl ? { sandboxUrl } : {}),
    ...(sesConfigurationSet ? { sesConfigurationSet } : {}),
    ...(signupSuccessUrl ? { signupSuccessUrl } : {}),
    ...(supportEmail ? { supportEmail } : {}),
    ...(privacyUrl ? { privacyUrl } : {}),
    ...(accessibilityUrl ? { accessibilityUrl } : {}),
    ...(dynamodbEndpoint ? { dynamodbEndpoint } : {}),
    ...(sesEndpoint ? { sesEndpoint } : {}),
    ...(secretsManagerEndpoint ? { secretsManagerEndpoint } : {}),
    ...(edgeOriginSecretArn ? { edgeOriginSecretArn } : {}),
    ...(signingKeysSecretArn ? { signingKeysSecretArn } : {}),
    ...(signingKeysFile ? { signingKeysFile } : {}),
  };
}
