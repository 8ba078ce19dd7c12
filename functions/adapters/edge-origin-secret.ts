import { ServiceUnavailableError } from '../core/errors';
import { describeError } from '../core/redact';
import { ConfigError } from '../service/config';
import { ENV } from '../service/environment';
import { isDependencyFailure } from './dependency-failures';
import type { ReadSecret } from './secret-string';

/**
 * The value CloudFront adds to every origin request, read from its Secrets Manager secret
 * (EDGE_ORIGIN_SECRET_ARN) rather than carried in every function's environment. The read starts
 * at once (during the cold start's init) and is kept; a failed read is retried by the next
 * request. Secrets Manager unreachable answers 503 like any outage; an empty secret is a
 * configuration error naming the variable, never showing a value. The read is given (wiring/
 * secret-reader.ts: one signed call, not the SDK client), so this rule has no SDK of its own.
 */
export function storedEdgeSecret(readSecret: ReadSecret, arn: string): () => Promise<string> {
  const read = async (): Promise<string> => {
    try {
      const SecretString = await readSecret(arn);
      if (!SecretString) throw new ConfigError(ENV.edgeOriginSecretArn, `${ENV.edgeOriginSecretArn}: the secret has no string value`);
      return SecretString;
    } catch (error) {
      if (!isDependencyFailure(error)) throw error;
      throw new ServiceUnavailableError(
        'The service is briefly unavailable. Nothing was changed: please try again in a few seconds.',
        5,
        `Secrets Manager: ${describeError(error)}`,
      );
    }
  };
  let loaded: Promise<string> | undefined;
  const load = () => {
    loaded ??= read().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
  // Started now, awaited by the first request: a failure here is that request's to report.
  load().catch(() => undefined);
  return load;
}
