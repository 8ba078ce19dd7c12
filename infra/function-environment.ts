import { Token } from 'aws-cdk-lib';
import { ConfigError, loadConfig } from '../functions/service/config';
import { ENV, isLimitVariable, type VariableName } from '../functions/service/environment';
import { SERVICE_NAME } from '../functions/service/observability';
import type { GatekeeperSettings } from './gatekeeper-stack';

/** What a function is bound to in the stack (CDK tokens at synth: opaque, non-empty strings). */
export interface Bindings {
  readonly tableName: string;
  /** Where links point when the settings name no address (the sweep: the API's own URL). */
  readonly baseUrl?: string;
  /** Functions that send mail name the configuration set in every send. */
  readonly sesConfigurationSet?: string;
  /** Functions that sign or verify approval tokens read the key set from this secret. */
  readonly signingKeysSecretArn?: string;
  /** The sender of webhook events reads the signing secret from here. */
  readonly webhookSecretArn?: string;
  /** HTTP functions behind the edge read, at start, the value each request's origin header must carry from this secret. */
  readonly edgeOriginSecretArn?: string;
  /** The sign-in function: the OpenID provider, its client id, and the secret with the client's private key. */
  readonly oidc?: { readonly issuer: string; readonly clientId: string; readonly privateKeySecretArn: string };
  /** The registry load: where it fetches the current file daily. */
  readonly registryUrl?: string;
}

/**
 * Links point to `baseUrl`, else to the edge's public name, else to the custom domain; without
 * any, to the API's own domain (decided per request).
 */
export function baseUrlOf(settings: GatekeeperSettings): string | undefined {
  const host = settings.edge?.domainName ?? settings.domainName;
  return settings.baseUrl ?? (host ? `https://${host}` : undefined);
}

/**
 * Variables whose value is a context value as given (the settings key is the context name). The
 * one table from which the environment is written and a refused variable is traced back.
 */
const FROM_CONTEXT = {
  [ENV.mailFrom]: 'mailFrom',
  [ENV.allowedOrigins]: 'allowedOrigins',
  [ENV.allowedDomainSuffixes]: 'allowedDomainSuffixes',
  [ENV.deniedDomains]: 'deniedDomains',
  [ENV.deniedSponsorMailboxes]: 'deniedSponsorMailboxes',
  [ENV.sandboxUrl]: 'sandboxUrl',
  [ENV.signupSuccessUrl]: 'signupSuccessUrl',
  [ENV.supportEmail]: 'supportEmail',
  [ENV.privacyUrl]: 'privacyUrl',
  [ENV.accessibilityUrl]: 'accessibilityUrl',
  [ENV.webhookUrl]: 'webhookUrl',
} as const satisfies Partial<Record<VariableName, keyof GatekeeperSettings>>;

/** What every function's logger reads; all the environment a function without service configuration has. */
export const LOG_ENVIRONMENT: Readonly<Record<string, string>> = { POWERTOOLS_SERVICE_NAME: SERVICE_NAME, POWERTOOLS_LOG_LEVEL: 'INFO' };

/** A function's configuration without what only its logger reads: what the operator's CLI is configured with. */
export function operatorEnvironment(environment: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !(name in LOG_ENVIRONMENT)));
}

/** The one mapping from the deploy's settings to a function's environment. */
export function functionEnvironment(settings: GatekeeperSettings, bound: Bindings): Record<string, string> {
  const optional: Record<string, string | undefined> = {
    ...Object.fromEntries(Object.entries(FROM_CONTEXT).map(([variable, name]) => [variable, settings[name]])),
    [ENV.baseUrl]: bound.baseUrl ?? baseUrlOf(settings),
    [ENV.sesConfigurationSet]: bound.sesConfigurationSet,
    [ENV.signingKeysSecretArn]: bound.signingKeysSecretArn,
    [ENV.edgeOriginSecretArn]: bound.edgeOriginSecretArn,
    [ENV.webhookSecretArn]: bound.webhookSecretArn,
    [ENV.oidcIssuer]: bound.oidc?.issuer,
    [ENV.oidcClientId]: bound.oidc?.clientId,
    [ENV.oidcPrivateKeySecretArn]: bound.oidc?.privateKeySecretArn,
    [ENV.registryUrl]: bound.registryUrl,
  };
  return {
    ...LOG_ENVIRONMENT,
    [ENV.tableName]: bound.tableName,
    ...Object.fromEntries(Object.entries(optional).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    ...settings.limits,
  };
}

/**
 * The context value a variable's value came from, to name it when the value is refused; none for
 * what the stack binds (table, configuration set, secret).
 */
function contextOf(variable: VariableName, settings: GatekeeperSettings): string | undefined {
  if (isLimitVariable(variable)) return 'limits';
  if (variable === ENV.baseUrl) return settings.baseUrl !== undefined ? 'baseUrl' : settings.edge ? 'edgeDomainName' : 'domainName';
  if (variable === ENV.oidcIssuer) return 'oidcIssuer';
  if (variable === ENV.oidcClientId) return 'oidcClientId';
  if (variable === ENV.registryUrl) return 'registryUrl';
  return (FROM_CONTEXT as Partial<Record<VariableName, string>>)[variable];
}

const DEPLOY_TIME = 'https://resolved-at-deploy.invalid';

/**
 * Checks an environment exactly as the function will at its cold start (the same loader), so a
 * bad setting fails the synth, naming the context value, instead of the first request.
 */
export function validateEnvironment(environment: Record<string, string>, settings: GatekeeperSettings): void {
  try {
    // A CloudFormation reference (table name, API URL, secret) is a value only at deploy: it is
    // checked as a well-formed stand-in, everything else as is.
    loadConfig(
      Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, Token.isUnresolved(value) ? DEPLOY_TIME : value])),
    );
  } catch (error) {
    const context = error instanceof ConfigError ? contextOf(error.variable, settings) : undefined;
    if (error instanceof ConfigError && context !== undefined) {
      throw new Error(`Context value "${context}" is not valid: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
