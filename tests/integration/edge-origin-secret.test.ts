import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { storedEdgeSecret } from '../../functions/adapters/edge-origin-secret';
import { readSecretString, regionOf, secretsManagerEndpoint } from '../../functions/adapters/secret-string';
import { ServiceUnavailableError } from '../../functions/core/errors';
import { ConfigError } from '../../functions/service/config';

const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:EdgeOriginSecret-AbCdEf';
const VALUE = 'K7pQ2wX9mV4nB8cZ1rT6yH3jL5sD0fGa';

/** Secrets Manager's JSON protocol, as far as GetSecretValue goes: each answer in turn, every request recorded. */
async function secretsManager(answers: ((secretId: string) => { status: number; body: object })[], maxAttempts = 1) {
  const requests: { target: string; secretId: string; authorization: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      requests.push({ target: String(req.headers['x-amz-target']), secretId: SecretId, authorization: String(req.headers.authorization) });
      const answer = (answers[requests.length - 1] ?? answers.at(-1)!)(SecretId);
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  servers.push(server);
  const target = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    env: { AWS_REGION: 'us-east-1' },
    credentials: async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'test', sessionToken: 'session' }),
    maxAttempts,
  };
  return { requests, read: (secretId: string) => readSecretString(target, secretId) };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const found = (SecretId: string) => ({ status: 200, body: { ARN: SecretId, Name: 'EdgeOriginSecret', SecretString: VALUE } });
const outage = () => ({ status: 500, body: { __type: 'InternalServiceError', message: 'try later' } });

describe('the edge origin secret read from Secrets Manager (EDGE_ORIGIN_SECRET_ARN)', () => {
  it('is read once, as soon as the function starts, and kept for every request after', async () => {
    const world = await secretsManager([found]);
    const load = storedEdgeSecret(world.read, ARN);
    await new Promise((done) => setTimeout(done, 50));
    expect(world.requests, 'read before any request asks').toEqual([
      {
        target: 'secretsmanager.GetSecretValue',
        secretId: ARN,
        authorization: expect.stringMatching(
          /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/secretsmanager\/aws4_request, SignedHeaders=.*x-amz-security-token.*x-amz-target, Signature=[0-9a-f]{64}$/,
        ),
      },
    ]);
    expect(await Promise.all([load(), load(), load()])).toEqual([VALUE, VALUE, VALUE]);
    expect(world.requests).toHaveLength(1);
  });

  it('answers an outage as one (503), and reads again on the next request', async () => {
    const world = await secretsManager([outage, found]);
    const load = storedEdgeSecret(world.read, ARN);
    const error = await load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).failure).toMatch(/^Secrets Manager: /);
    expect(await load()).toBe(VALUE);
    expect(world.requests).toHaveLength(2);
  });

  it('retries an outage or throttling as the SDK would (3 attempts), so one blip costs no request a 503', async () => {
    const throttled = () => ({ status: 400, body: { __type: 'ThrottlingException', message: 'slow down' } });
    const world = await secretsManager([outage, throttled, found], 3);
    expect(await storedEdgeSecret(world.read, ARN)()).toBe(VALUE);
    expect(world.requests).toHaveLength(3);
  });

  it('answers a refusal (access denied) as an error of its own, not an outage, and does not retry it', async () => {
    const world = await secretsManager([
      () => ({ status: 400, body: { __type: 'com.amazonaws.secretsmanager#AccessDeniedException', message: 'no' } }),
    ]);
    const error = await storedEdgeSecret(world.read, ARN)().catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).name).toBe('AccessDeniedException');
    expect(world.requests).toHaveLength(1);
  });

  it('answers a connection that fails as an outage (503)', async () => {
    const world = await secretsManager([found]);
    await new Promise((done) => servers.pop()!.close(done));
    const error = await storedEdgeSecret(world.read, ARN)().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
  });

  it('goes where the SDK would: its own endpoint variable, the global one, then the regional host', () => {
    expect(secretsManagerEndpoint({ AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://gw:1', AWS_ENDPOINT_URL: 'http://all:2' }, 'us-east-1')).toBe(
      'http://gw:1',
    );
    expect(secretsManagerEndpoint({ AWS_ENDPOINT_URL: 'http://all:2' }, 'us-east-1')).toBe('http://all:2');
    expect(secretsManagerEndpoint({}, 'us-gov-west-1')).toBe('https://secretsmanager.us-gov-west-1.amazonaws.com');
    expect(secretsManagerEndpoint({ AWS_USE_FIPS_ENDPOINT: 'true' }, 'us-east-1')).toBe(
      'https://secretsmanager-fips.us-east-1.amazonaws.com',
    );
  });

  it('is signed for the function’s region, else the secret’s own (from its ARN)', () => {
    expect(regionOf({ AWS_REGION: 'us-gov-west-1' }, ARN)).toBe('us-gov-west-1');
    expect(regionOf({}, ARN)).toBe('us-east-1');
  });

  it('refuses a secret without a value, naming the variable', async () => {
    const world = await secretsManager([(SecretId) => ({ status: 200, body: { ARN: SecretId, Name: 'EdgeOriginSecret' } })]);
    const error = await storedEdgeSecret(world.read, ARN)().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('EDGE_ORIGIN_SECRET_ARN');
  });
});
