import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemKeys } from '../../functions/service/table';
import { LocalService } from '../support/local-service';

/**
 * `npm start` with DYNAMODB_ENDPOINT and SES_ENDPOINT set starts no emulator for them and uses
 * the endpoints given: here another running service's emulators stand in (as a fault-injecting
 * proxy or a real account would).
 */
describe('npm start with the endpoints of services someone else runs', () => {
  let host: LocalService;
  let guest: LocalService;
  beforeAll(async () => {
    host = await LocalService.start();
    guest = await LocalService.start({ DYNAMODB_ENDPOINT: host.dynamodbEndpoint, SES_ENDPOINT: host.mailboxUrl });
  });
  afterAll(async () => {
    await guest.dispose();
    await host.dispose();
  });

  it('starts no emulator of its own, says so, and keeps its data and mail where the endpoints point', async () => {
    expect(guest.output.join('\n')).toContain('SES_ENDPOINT: no emulator started');
    expect(guest.output.join('\n')).toContain('DYNAMODB_ENDPOINT: no emulator started');
    expect([guest.dynamodbEndpoint, guest.mailboxUrl]).toEqual([host.dynamodbEndpoint, host.mailboxUrl]);

    expect((await guest.postJson('/signup', { email: 'guest.user@agency.gov' })).status).toBe(202);
    const { Item } = await host
      .documentClient()
      .send(new GetCommand({ TableName: 'sandbox-gatekeeper', Key: itemKeys.account('guest.user@agency.gov'), ConsistentRead: true }));
    expect(Item?.status).toBe('pending');
    expect((await host.emailsTo('guest.user@agency.gov')).map((email) => email.subject)).toEqual([
      'Confirm your email address for the sandbox',
    ]);
  });

  it('leaves the services running when it stops', async () => {
    expect(await guest.stop()).toBe(0);
    expect((await host.postJson('/signup', { email: 'after.guest@agency.gov' })).status).toBe(202);
  });
});
