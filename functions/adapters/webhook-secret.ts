import { isWebhookSecret } from '../core/webhook-secret';
import { ConfigError } from '../service/config';
import { ENV } from '../service/environment';
import type { ReadSecret } from './secret-string';

/**
 * The webhook secret held in Secrets Manager (WEBHOOK_SECRET_ARN): its value must be the `whsec_`
 * secret itself, as the stack's custom step makes it; anything else is refused, naming the
 * variable, never showing the value. Read when the sender first needs it.
 */
export function storedWebhookSecret(readSecret: ReadSecret, arn: string): () => Promise<string> {
  return async () => {
    const SecretString = await readSecret(arn);
    if (!SecretString || !isWebhookSecret(SecretString)) {
      throw new ConfigError(
        ENV.webhookSecretArn,
        `${ENV.webhookSecretArn}: the secret's value must be "whsec_" followed by at least 24 random bytes in base64`,
      );
    }
    return SecretString;
  };
}
