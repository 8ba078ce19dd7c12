/**
 * What a Lambda bundle carries in place of `@aws-sdk/client-ses` when its function does not have
 * the 'mail' capability (infra/function-specs.ts): the house construct aliases the package to
 * this module for those functions only (today: the sponsor's review page, whose use case takes no
 * notifier). They still build the shared account wiring, which makes an SES notifier, but never
 * send; their role may not send either. The real client is ~40 kB of the bundle and a client
 * created at every cold start, for nothing.
 *
 * The names are the ones the adapters import (ses-notifier.ts, aws-clients.ts); a new import from
 * the SDK package fails the synth ("No matching export"), and a send fails at once, loudly.
 */
export class SESServiceException extends Error {}

export class SendEmailCommand {
  constructor(readonly input: unknown) {}
}

export class SESClient {
  constructor(readonly config?: unknown) {}

  async send(_command: unknown, _options?: unknown): Promise<never> {
    throw new Error("this function's bundle has no SES client: its spec (infra/function-specs.ts) does not use 'mail'");
  }

  destroy(): void {}
}
