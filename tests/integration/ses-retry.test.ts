import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SesNotifier } from '../../functions/adapters/ses-notifier';
import { EmailNotSentError } from '../../functions/core/ports';
import { sesClient } from '../../functions/wiring/aws-clients';
import { rejection } from '../support/fakes';

/**
 * A stand-in for SES that speaks its wire protocol (query API, XML answers) and fails on cue:
 * the real SDK client, with the real retry strategy, talks to it.
 */
let server: Server;
let endpoint = '';
let script: string[] = [];
let requests = 0;

const ERROR = (code: string, message: string) =>
  `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-${requests}</RequestId></ErrorResponse>`;
const OK = `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>m-1</MessageId></SendEmailResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SendEmailResponse>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      const step = script.shift() ?? 'ok';
      res.writeHead(step === 'ok' ? 200 : 400, { 'content-type': 'text/xml' });
      res.end(
        step === 'ok'
          ? OK
          : step === 'throttle'
            ? ERROR('Throttling', 'Maximum sending rate exceeded.')
            : ERROR('MessageRejected', 'Email address is not verified. The following identities failed the check: x@agency.gov'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = 0;
});

const notice = { type: 'already_active' as const };

describe('SesNotifier with the configured SES client', () => {
  it('retries throttling with backoff and then sends', async () => {
    script = ['throttle', 'throttle', 'ok'];
    const notifier = new SesNotifier(sesClient({ sesEndpoint: endpoint }), 'no-reply@sandbox.agency.gov', 'gatekeeper');
    await expect(notifier.send('a@agency.gov', notice)).resolves.toBe('sent');
    expect(requests).toBe(3);
  });

  it('gives up after five attempts of throttling with a transient failure', async () => {
    script = Array<string>(10).fill('throttle');
    const notifier = new SesNotifier(sesClient({ sesEndpoint: endpoint }), 'no-reply@sandbox.agency.gov');
    const error = await rejection(notifier.send('a@agency.gov', notice));
    expect(error).toBeInstanceOf(EmailNotSentError);
    expect((error as EmailNotSentError).permanent).toBe(false);
    expect(requests).toBe(5);
  });

  it('does not retry a rejected message and reports it as permanent', async () => {
    script = ['reject'];
    const notifier = new SesNotifier(sesClient({ sesEndpoint: endpoint }), 'no-reply@sandbox.agency.gov');
    const error = await rejection(notifier.send('a@agency.gov', notice));
    expect(error).toMatchObject({ permanent: true, message: expect.stringContaining('MessageRejected') });
    expect(requests).toBe(1);
  });
});
