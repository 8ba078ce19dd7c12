import { join } from 'node:path';
import type { Principal } from './iam-gateway';

/**
 * The environment that makes the AWS SDK in another process act as `principal`: its key pair in
 * the variables the SDK (and Lambda) use, the region, no profile or config file of this machine,
 * and each named service's endpoint at the rehearsal's gateway.
 */
export function sdkEnvironment(
  principal: Principal,
  options: { region: string; gateway: string; home: string; services: readonly string[] },
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.home,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_ACCESS_KEY_ID: principal.accessKeyId,
    AWS_SECRET_ACCESS_KEY: principal.secretAccessKey,
    AWS_SESSION_TOKEN: principal.sessionToken,
    AWS_CONFIG_FILE: join(options.home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(options.home, 'no-credentials'),
    ...Object.fromEntries(options.services.map((service) => [`AWS_ENDPOINT_URL_${service}`, options.gateway])),
  };
}
