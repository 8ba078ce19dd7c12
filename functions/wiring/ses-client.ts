import { SESClient } from '@aws-sdk/client-ses';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { retriesThatCannotDuplicate } from '../adapters/aws-retries';
import type { Config } from '../service/config';
import { SES_TIMEOUTS, underDeadline } from './client-options';

/** Throttling and refused connections are retried (3 attempts, backoff with jitter); nothing that SES may have taken. */
export function sesClient(config: Pick<Config, 'sesEndpoint'>): SESClient {
  return underDeadline(
    new SESClient({
      ...(config.sesEndpoint ? { endpoint: config.sesEndpoint } : {}),
      retryStrategy: retriesThatCannotDuplicate(3),
      requestHandler: new NodeHttpHandler(SES_TIMEOUTS),
    }),
  );
}
