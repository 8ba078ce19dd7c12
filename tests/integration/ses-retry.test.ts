import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { SendEmailCommand } from '@aws-sdk/client-ses';
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
/** Every request body the stand-in received, as sent on the wire. */
let bodies: string[] = [];

const ERROR = (code: string, message: string) =>
  `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-${requests}</RequestId></ErrorResponse>`;
const OK = `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>m-1</MessageId></SendEmailResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SendEmailResponse>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests++;
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      const step = script.shift() ?? 'ok';
      // SES took the message and the answer never came back.
      if (step === 'drop') {
        req.socket.destroy();
        return;
      }
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
  bodies = [];
});

const notice = { type: 'already_active' as const };

describe('SesNotifier with the configured SES client', () => {
  it('retries throttling with backoff and then sends', async () => {
    script = ['throttle', 'throttle', 'ok'];
    const notifier = new SesNotifier(() => sesClient({ sesEndpoint: endpoint }), 'no-reply@sandbox.agency.gov', 'gatekeeper');
    await expect(notifier.send('a@agency.gov', notice)).resolves.toBe('sent');
    expect(requests).toBe(3);
  });

  it('gives up after three attempts of throttling with a transient failure (the outbox retries later)', async () => {
    script = Array<string>(10).fill('throttle');
    const notifier = new SesNotifier(() => sesClient({ sesEndpoint: endpoint }), 'no-reply@sandbox.agency.gov');
    const error = await rejection(notifier.send('a@agency.gov', notice));
    expect(error).toBeInstanceOf(EmailNotSentError);
    expect((error as EmailNotSentError).permanent).toBe(false);
    expect(requests).toBe(3);
  });

  it('does not resend when the answer to a send is lost: SES may have taken it, so only the outbox decides', async () => {
    script = ['drop', 'ok'];
    const notifier = new SesNotifier(() => sesClient({ sesEndpoint: endpoint }), 'no-reply@sandbox.agency.gov');
    const error = await rejection(notifier.send('a@agency.gov', notice));
    expect([(error as EmailNotSentError).permanent, requests]).toEqual([false, 1]);
  });

  it('does not retry a rejected message and reports it as permanent', async () => {
    script = ['reject'];
    const notifier = new SesNotifier(() => sesClient({ sesEndpoint: endpoint }), 'no-reply@sandbox.agency.gov');
    const error = await rejection(notifier.send('a@agency.gov', notice));
    expect(error).toMatchObject({ permanent: true, message: expect.stringContaining('MessageRejected') });
    expect(requests).toBe(1);
  });
});

describe('a connection that was never made', () => {
  /**
   * SES behind a listener that takes no connections for a while: a child process (so this one's
   * event loop stays free) listening with a backlog of one, stopped, its queue filled, so the next
   * connection's SYN goes unanswered and the client's connection timeout (1 s) fires — as it does
   * when a busy machine delays the connection past it. Nothing reached SES, so a retry cannot
   * duplicate; the listener is resumed after the first timeout.
   */
  it('is retried at once: the email goes in the same request, once', async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const http = require('node:http');
         const server = http.createServer((req, res) => {
           let body = ''; req.on('data', (c) => { body += c; });
           req.on('end', () => { process.stdout.write('BODY ' + (body.match(/Action=SendEmail/g) || []).length + '\\n'); res.writeHead(200, { 'content-type': 'text/xml' }); res.end(${JSON.stringify(OK)}); });
         });
         server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => process.stdout.write('PORT ' + server.address().port + '\\n'));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    try {
      const port = await new Promise<number>((resolve) => {
        const check = () => {
          const match = /PORT (\d+)/.exec(output);
          if (match) resolve(Number(match[1]));
          else setTimeout(check, 20);
        };
        check();
      });
      child.kill('SIGSTOP');
      // The kernel completes backlog + 1 handshakes on its own; after those, SYNs go unanswered.
      const fillers = await Promise.all(
        [0, 1, 2].map(
          () =>
            new Promise<Socket>((resolve) => {
              const socket = connect(port, '127.0.0.1');
              socket.on('error', () => undefined);
              socket.once('connect', () => resolve(socket));
              setTimeout(() => resolve(socket), 300);
            }),
        ),
      );
      const resumed = setTimeout(() => child.kill('SIGCONT'), 1100);
      const notifier = new SesNotifier(() => sesClient({ sesEndpoint: `http://127.0.0.1:${port}` }), 'no-reply@sandbox.agency.gov');
      const started = Date.now();
      await expect(notifier.send('a@agency.gov', notice)).resolves.toBe('sent');
      expect(Date.now() - started, 'the first attempt timed out').toBeGreaterThanOrEqual(1000);
      clearTimeout(resumed);
      for (const socket of fillers) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(output.match(/BODY \d+/g)).toEqual(['BODY 1']);
    } finally {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  }, 20_000);
});

describe('a poisoned send leaks nothing into the next one', () => {
  // A lone surrogate makes the SDK's query serializer throw part-way through the body.
  const poisoned = { type: 'sponsorship_denied' as const, reason: 'no \ud800 way' };
  const verify = { type: 'verify_link' as const, contractor: false };
  const link = (n: number) => ({ url: `https://sandbox.agency.gov/verify?token=${'t'.repeat(42)}${n}`, expiresAt: 0 });
  const recipientsOf = (body: string) => new URLSearchParams(body).getAll('Destination.ToAddresses.member.1');

  it('two sends after a poisoned one are two clean requests, each to its own recipient with its own link', async () => {
    const notifier = new SesNotifier(() => sesClient({ sesEndpoint: endpoint }), 'no-reply@sandbox.agency.gov');

    await expect(notifier.send('attacker@agency.gov', poisoned)).rejects.toBeInstanceOf(EmailNotSentError);
    await notifier.send('victim@agency.gov', verify, link(1));
    await notifier.send('other@agency.gov', verify, link(2));

    expect(bodies).toHaveLength(2);
    expect(bodies.map((body) => body.split('Action=SendEmail').length - 1)).toEqual([1, 1]);
    expect(bodies.map(recipientsOf)).toEqual([['victim@agency.gov'], ['other@agency.gov']]);
    expect(bodies.map((body) => new URLSearchParams(body).get('Message.Body.Text.Data')?.includes(`${'t'.repeat(42)}1`))).toEqual([
      true,
      false,
    ]);
    expect(bodies.join('')).not.toContain('attacker');
  });

  it('control: the bare SDK client, reused after that failure, appends the next request to the poisoned one', async () => {
    const client = sesClient({ sesEndpoint: endpoint });
    const command = (to: string, text: string) =>
      new SendEmailCommand({
        Source: 'no-reply@sandbox.agency.gov',
        Destination: { ToAddresses: [to] },
        Message: { Subject: { Data: 's' }, Body: { Text: { Data: text } } },
      });

    await expect(client.send(command('attacker@agency.gov', 'no \ud800 way'))).rejects.toThrow(URIError);
    await client.send(command('victim@agency.gov', 'your link'));

    // One signed request on the wire, the attacker's recipient first: what SesNotifier prevents.
    expect(bodies).toHaveLength(1);
    expect(recipientsOf(bodies[0]!)).toEqual(['attacker@agency.gov', 'victim@agency.gov']);
  });
});
