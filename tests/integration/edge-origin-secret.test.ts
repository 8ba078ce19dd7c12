import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { storedEdgeSecret } from '../../functions/adapters/edge-origin-secret';
import { ServiceUnavailableError } from '../../functions/core/errors';
import { ConfigError } from '../../functions/service/config';

const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:EdgeOriginSecret-AbCdEf';
const VALUE = 'K7pQ2wX9mV4nB8cZ1rT6yH3jL5sD0fGa';

/** Secrets Manager's JSON protocol, as far as GetSecretValue goes: each answer in turn, every request recorded. */
async function secretsManager(answers: ((secretId: string) => { status: number; body: object })[]) {
  const requests: { target: string; secretId: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      requests.push({ target: String(req.headers['x-amz-target']), secretId: SecretId });
      const answer = (answers[requests.length - 1] ?? answers.at(-1)!)(SecretId);
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  servers.push(server);
  const client = new SecretsManagerClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return { requests, client: () => client };
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
    const load = storedEdgeSecret(world.client, ARN);
    await new Promise((done) => setTimeout(done, 50));
    expect(world.requests, 'read before any request asks').toEqual([{ target: 'secretsmanager.GetSecretValue', secretId: ARN }]);
    expect(await Promise.all([load(), load(), load()])).toEqual([VALUE, VALUE, VALUE]);
    expect(world.requests).toHaveLength(1);
  });

  it('answers an outage as one (503), and reads again on the next request', async () => {
    const world = await secretsManager([outage, found]);
    const load = storedEdgeSecret(world.client, ARN);
    const error = await load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).failure).toMatch(/^Secrets Manager: /);
    expect(await load()).toBe(VALUE);
    expect(world.requests).toHaveLength(2);
  });

  it('refuses a secret without a value, naming the variable', async () => {
    const world = await secretsManager([(SecretId) => ({ status: 200, body: { ARN: SecretId, Name: 'EdgeOriginSecret' } })]);
    const error = await storedEdgeSecret(world.client, ARN)().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('EDGE_ORIGIN_SECRET_ARN');
  });
});
