import { ConfigError, loadConfig } from '../functions/service/config';
import { ENV, LIMIT_VARIABLES, type VariableName } from '../functions/service/environment';
import { SERVICE_NAME } from '../functions/service/observability';
import type { GatekeeperSettings } from './gatekeeper-stack';

/** What a function is bound to in the stack (CDK tokens at synth: opaque, non-empty strings). */
export interface Bindings {
  readonly tableName: string;
  /** Functions that send mail name the configuration set in every send. */
  readonly sesConfigurationSet?: string;
  /** Functions that sign or verify approval tokens read the key set from this secret. */
  readonly signingKeysSecretArn?: string;
}

/** Links point to `baseUrl`, else to the custom domain; without either, to the API's own domain (decided per request). */
export function baseUrlOf(settings: GatekeeperSettings): string | undefined {
  return settings.baseUrl ?? (settings.domainName ? `https://${settings.domainName}` : undefined);
}

/** The one mapping from the deploy's settings to a function's environment. */
export function functionEnvironment(settings: GatekeeperSettings, bound: Bindings): Record<string, string> {
  const optional: Record<string, string | undefined> = {
    [ENV.baseUrl]: baseUrlOf(settings),
    [ENV.allowedOrigins]: settings.allowedOrigins,
    [ENV.allowedDomainSuffixes]: settings.allowedDomainSuffixes,
    [ENV.deniedDomains]: settings.deniedDomains,
    [ENV.sandboxUrl]: settings.sandboxUrl,
    [ENV.signupSuccessUrl]: settings.signupSuccessUrl,
    [ENV.supportEmail]: settings.supportEmail,
    [ENV.sesConfigurationSet]: bound.sesConfigurationSet,
    [ENV.signingKeysSecretArn]: bound.signingKeysSecretArn,
  };
  return {
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    [ENV.tableName]: bound.tableName,
    [ENV.mailFrom]: settings.mailFrom,
    ...Object.fromEntries(Object.entries(optional).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    ...settings.limits,
  };
}

/** The context value a variable's value came from, to name it when the value is refused. */
function contextOf(variable: VariableName, settings: GatekeeperSettings): string {
  if ((LIMIT_VARIABLES as readonly string[]).includes(variable)) return 'limits';
  if (variable === ENV.baseUrl) return settings.baseUrl ? 'baseUrl' : 'domainName';
  const name = Object.entries(ENV).find(([, env]) => env === variable)?.[0];
  return name ?? variable;
}

/**
 * Checks an environment exactly as the function will at its cold start (the same loader), so a
 * bad setting fails the synth, naming the context value, instead of the first request.
 */
export function validateEnvironment(environment: Record<string, string>, settings: GatekeeperSettings): void {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new Error(`Context value "${contextOf(error.variable, settings)}" is not valid: ${error.message}`);
    throw error;
  }
}
