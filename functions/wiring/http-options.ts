import { storedEdgeSecret } from '../adapters/edge-origin-secret';
import type { HttpOptions } from '../http/http-handler';
import { setFooterLinks } from '../views/layout';
import { config } from './config';
import { observedOptions } from './machine-options';
import { readSecret } from './secret-reader';

setFooterLinks({ privacyUrl: config.privacyUrl, accessibilityUrl: config.accessibilityUrl });

/** What every HTTP handler for browsers shares: the origins it accepts, the edge it trusts, its log, and per-request observation. */
export const httpOptions: HttpOptions = {
  ...observedOptions,
  ...(config.edgeOriginSecretArn ? { edgeSecret: storedEdgeSecret(readSecret, config.edgeOriginSecretArn) } : {}),
};
