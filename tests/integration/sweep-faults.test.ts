import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReputationBreaker } from '../../functions/adapters/dynamodb-breaker';
import type { Account } from '../../functions/core/account';
import { scheduled } from '../../functions/core/lifecycle';
import { emailDue } from '../../functions/core/outbox';
import { newWebhookSecret } from '../../functions/core/webhook-secret';
import { DUE_SHARD, itemKeys, table } from '../../functions/service/table';
import { type SweepReport, sweep } from '../../functions/use-cases/sweep';
import { sweepContext } from '../../infra/local/sweeper';
import { functionEnvironment } from '../../local/laptop-environment';
import { eventually } from '../support/eventually';
import { LocalService } from '../support/local-service';
import { neverAnswers } from '../support/silent-server';
import { seedContractors, tableSweepDeps } from '../support/sweep-fixture';

/**
 * The sweep as Lambda runs it (the real handler, a context counting down) on the real table,
 * with a dependency that fails: it still does all the timed work it has time for, and ends on time.
 */
const TABLE = 'sandbox-gatekeeper';
const nowSeconds = () => Math.floor(Date.now() / 1000);

let host: LocalService;
let receiver: Awaited<ReturnType<typeof neverAnswers>>;
let handler: (event: unknown, context: ReturnType<typeof sweepContext>) => Promise<SweepReport>;
beforeAll(async () => {
  // Its own sweep stays out of the way: these tests run the handler themselves.
  host = await LocalService.start({ SWEEP_INTERVAL_SECONDS: '3600' });
  receiver = await neverAnswers();
  Object.assign(process.env, {
    ...functionEnvironment(
      host.dataDir,
      {},
      { baseUrl: host.baseUrl, dynamodbEndpoint: host.dynamodbEndpoint, sesEndpoint: host.mailboxUrl },
    ),
    WEBHOOK_URL: `${receiver.endpoint}/hooks`,
    WEBHOOK_SECRET: newWebhookSecret(),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  ({ handler } = await import('../../functions/handlers/sweep'));
});
afterAll(async () => {
  await receiver?.close();
  await host?.dispose();
});

async function statusOf(email: string): Promise<string | undefined> {
  const { Item } = await host
    .documentClient()
    .send(new GetCommand({ TableName: TABLE, Key: itemKeys.account(email), ConsistentRead: true }));
  return (Item as Account | undefined)?.status;
}

describe('the sweep through its handler, with a webhook receiver that never answers', () => {
  it('expires all 20 due accounts within one run, and the run ends before its deadline', { timeout: 60_000 }, async () => {
    await seedContractors(host.documentClient(), TABLE, 'hung', 20, nowSeconds() - 1);
    const deadlineMs = 20_000;
    const started = Date.now();
    const report = await handler({}, sweepContext(deadlineMs));
    const took = Date.now() - started;
    console.info(
      `hung receiver, through the handler: ${report.expired} of 20 expired in one run of ${took} ms (deadline ${deadlineMs} ms), ${report.backlog} accounts' events left for the next run`,
    );
    expect(report).toMatchObject({ expired: 20, failed: 0 });
    expect(took).toBeLessThan(deadlineMs);
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => statusOf(`hung${i}@acme-corp.com`)));
    expect(statuses).toEqual(Array(20).fill('expired'));
    // Each contractor's notice went in the same run: no email waits behind the silent receiver.
    const notices = await Promise.all(Array.from({ length: 20 }, (_, i) => host.emailsTo(`hung${i}@acme-corp.com`)));
    expect(notices.map((emails) => emails.length)).toEqual(Array(20).fill(1));
  });
});

describe('the sweep through its handler, with the reputation breaker open', () => {
  it('expires the accounts behind 500 held emails, and sets the held ones to wait', { timeout: 60_000 }, async () => {
    const client = host.documentClient();
    const since = Date.now() - 3_600_000;
    const held = Array.from({ length: 500 }, (_, i) => {
      const email = `held${i}@agency.gov`;
      const account: Account = scheduled({
        email,
        kind: 'agency',
        status: 'pending',
        createdAt: new Date(since).toISOString(),
        updatedAt: new Date(since).toISOString(),
        history: [],
        version: 1,
        outbox: [emailDue(`held-${i}`, email, { type: 'verify_link', contractor: false }, since)],
      });
      return { ...itemKeys.account(email), ...account, [table.indexes.byDue.partitionKey]: DUE_SHARD };
    });
    for (let start = 0; start < held.length; start += 25)
      await client.send(
        new BatchWriteCommand({ RequestItems: { [TABLE]: held.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) } }),
      );
    await seedContractors(client, TABLE, 'behind', 10, nowSeconds() - 1);
    const breaker = new DynamoReputationBreaker(client, TABLE);
    await breaker.open('rehearsed complaints', Date.now());
    try {
      const report = await handler({}, sweepContext(20_000));
      console.info(`breaker open, 500 held ahead: ${report.expired} of 10 expired in one run, ${report.examined} examined`);
      expect(report.expired).toBe(10);
      const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => statusOf(`behind${i}@acme-corp.com`)));
      expect(statuses).toEqual(Array(10).fill('expired'));
      const { Item } = await client.send(
        new GetCommand({ TableName: TABLE, Key: itemKeys.account('held0@agency.gov'), ConsistentRead: true }),
      );
      expect((Item as Account).dueAt).toBeGreaterThan(nowSeconds());
      expect(await host.emailsTo('held0@agency.gov')).toEqual([]);
    } finally {
      await breaker.close();
    }
  });
});

describe('a backlog on the real table', () => {
  it('2,000 due accounts drain in one run where the deadline allows', { timeout: 120_000 }, async () => {
    const client = host.documentClient();
    await seedContractors(client, TABLE, 'backlog', 2000, nowSeconds() - 1);
    const deadline = Date.now() + 60_000;
    const started = Date.now();
    const report = await sweep({ ...tableSweepDeps(client, TABLE), timeLeftMs: () => deadline - Date.now() });
    const took = Date.now() - started;
    console.info(
      `2,000 due on dynalite: ${report.expired} expired in one run, ${report.pages} pages, ${took} ms, backlog ${report.backlog}`,
    );
    expect(report).toMatchObject({ expired: 2000, backlog: 0 });
    expect(await statusOf('backlog1999@acme-corp.com')).toBe('expired');
  });
});

describe('npm start’s sweep with a webhook receiver that never answers', () => {
  it('expires every due account and sends its email within seconds, not one receiver timeout each', { timeout: 60_000 }, async () => {
    const silent = await neverAnswers();
    const service = await LocalService.start({ SWEEP_INTERVAL_SECONDS: '1', WEBHOOK_URL: `${silent.endpoint}/hooks` });
    try {
      await seedContractors(service.documentClient(), TABLE, 'local', 10, nowSeconds() - 1);
      const started = Date.now();
      const all = () => Promise.all(Array.from({ length: 10 }, (_, i) => service.emailsTo(`local${i}@acme-corp.com`)));
      await eventually(all, (mails) => mails.every((emails) => emails.length === 1), 20_000);
      console.info(`npm start with a silent receiver: 10 expiry emails within ${Date.now() - started} ms of being due`);
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      await service.dispose();
      await silent.close();
    }
  });
});
