import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../functions/adapters/dynamodb-account-store';
import { DynamoReputationBreaker } from '../../functions/adapters/dynamodb-breaker';
import { DynamoMailboxAllowances, DynamoRateLimiter } from '../../functions/adapters/dynamodb-counters';
import { DynamoDomainRegistry } from '../../functions/adapters/dynamodb-registry';
import { DynamoSponsorDirectory } from '../../functions/adapters/dynamodb-sponsors';
import { DynamoSuppressionList } from '../../functions/adapters/dynamodb-suppressions';
import { withDynamoWork } from '../../functions/adapters/dynamodb-work';
import { SesNotifier } from '../../functions/adapters/ses-notifier';
import type { Account } from '../../functions/core/account';
import { ServiceUnavailableError } from '../../functions/core/errors';
import { hashLinkToken } from '../../functions/core/link-token';
import type { Log } from '../../functions/core/ports';
import { signUp } from '../../functions/use-cases/sign-up';
import { confirmVerification } from '../../functions/use-cases/verify-email';
import { dynamoDocumentClient } from '../../functions/wiring/aws-clients';
import { type Emulator, ensureTable, startDynamoDb, startSes } from '../../local/emulators';
import { DELIVERY, FakeApprovalTokens, RecordingMetrics } from '../support/fakes';

const TABLE = 'adapters-test';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const silent: Log = { info: () => {}, warn: () => {}, error: () => {} };

let dataDir: string;
let dynamo: Emulator;
let ses: Emulator;
let documentClient: DynamoDBDocumentClient;
let sesClient: SESClient;
const operations: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatekeeper-adapters-'));
  dynamo = await startDynamoDb({ host: '127.0.0.1', port: 0, dataDir });
  ses = await startSes({ host: '127.0.0.1', port: 0 });
  await ensureTable(dynamo.endpoint, TABLE);
  const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      operations.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countOperations' },
  );
  documentClient = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  sesClient = new SESClient({ endpoint: ses.endpoint, region: 'us-east-1', credentials });
});

afterAll(async () => {
  await Promise.all([dynamo.close(), ses.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

function account(email: string, overrides: Partial<Account> = {}): Account {
  return {
    email,
    kind: 'agency',
    status: 'pending',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    linkId: hashLinkToken(email).slice(0, 22),
    verifyLinks: [{ hash: hashLinkToken(email.padEnd(43, 'x')), expiresAt: 4_000_000_000 }],
    history: [],
    version: 1,
    ...overrides,
  };
}

describe('DynamoAccountStore against dynalite', () => {
  it('creates only when absent and updates only on the version it read', async () => {
    const store = new DynamoAccountStore(documentClient, TABLE);
    const first = account('cond@agency.gov');
    expect(await store.put(first, null)).toBe(true);
    expect(await store.put(first, null)).toBe(false);
    expect(await store.put({ ...first, status: 'active', version: 2 }, 5)).toBe(false);
    expect((await store.get('cond@agency.gov'))?.status).toBe('pending');
    expect(await store.put({ ...first, status: 'active', version: 2 }, 1)).toBe(true);
    expect(await store.get('cond@agency.gov')).toMatchObject({ status: 'active', version: 2 });
  });

  it('of many concurrent writes on one version exactly one wins', async () => {
    const store = new DynamoAccountStore(documentClient, TABLE);
    const base = account('many@agency.gov');
    await store.put(base, null);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.put({ ...base, name: `w${i}`, version: 2 }, 1)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('finds an account by its link id through the index, and nothing for an unknown one', async () => {
    const store = new DynamoAccountStore(documentClient, TABLE);
    const stored = account('indexed@agency.gov', { linkId: 'link-of-indexed' });
    await store.put(stored, null);
    expect((await store.findByLinkId('link-of-indexed'))?.email).toBe('indexed@agency.gov');
    expect(await store.findByLinkId('no-such-link')).toBeUndefined();
  });

  it('keeps the newest 100 history entries on the item and archives the older ones beside it first', async () => {
    const store = new DynamoAccountStore(documentClient, TABLE);
    const history = Array.from({ length: 150 }, (_, i) => ({
      at: new Date(Date.UTC(2030, 0, 1, 0, i)).toISOString(),
      event: `e${i}`,
      by: 'self',
    }));
    await store.put(account('long@agency.gov', { history, version: 7 }), null);

    expect((await store.get('long@agency.gov'))?.history.map((entry) => entry.event)).toEqual(
      history.slice(50).map((entry) => entry.event),
    );
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: TABLE, Key: { pk: 'ACCOUNT#long@agency.gov', sk: 'HISTORY#0000000007' }, ConsistentRead: true }),
    );
    expect((Item!.history as { event: string }[]).map((entry) => entry.event)).toEqual(history.slice(0, 50).map((entry) => entry.event));
  });

  it('removes an account only on the version it read', async () => {
    const store = new DynamoAccountStore(documentClient, TABLE);
    await store.put(account('gone@agency.gov'), null);
    expect(await store.remove('gone@agency.gov', 7)).toBe(false);
    expect(await store.get('gone@agency.gov')).toBeDefined();
    expect(await store.remove('gone@agency.gov', 1)).toBe(true);
    expect(await store.get('gone@agency.gov')).toBeUndefined();
    // Gone is gone: a removal whose answer was lost (and so is sent again) reports what is true.
    expect(await store.remove('gone@agency.gov', 1)).toBe(true);
  });
});

describe('DynamoRateLimiter against dynalite', () => {
  it('allows `limit` hits per window, then refuses with the seconds left, and starts over in the next window', async () => {
    const limiter = new DynamoRateLimiter(documentClient, TABLE);
    const start = Date.UTC(2026, 0, 1, 10, 0, 0);
    for (let i = 0; i < 3; i++) expect(await limiter.hit('test#key', 3, 3600, start + i * 1000)).toEqual({ allowed: true });
    expect(await limiter.hit('test#key', 3, 3600, start + 600_000)).toEqual({ allowed: false, retryAfterSeconds: 3000 });
    expect(await limiter.hit('test#key', 3, 3600, start + 3_600_000)).toEqual({ allowed: true });
  });
});

describe('DynamoMailboxAllowances against dynalite', () => {
  it('gives back the email it took: the next may go at once, and the day’s count is as before', async () => {
    const allowances = new DynamoMailboxAllowances(documentClient, TABLE);
    const limits = { cooldownSeconds: 60, perDay: 2 };
    const start = Date.UTC(2026, 0, 2, 10, 0, 0);
    expect(await allowances.take('back@agency.gov', start, limits)).toBe(true);
    expect(await allowances.take('back@agency.gov', start + 1000, limits)).toBe(false);
    await allowances.giveBack('back@agency.gov', start, limits);
    expect(await allowances.take('back@agency.gov', start + 1000, limits)).toBe(true);
    // Given back, the first email no longer counts: the day (two at most) has room for one more after the cooldown, then none.
    expect(await allowances.take('back@agency.gov', start + 62_000, limits)).toBe(true);
    expect(await allowances.take('back@agency.gov', start + 124_000, limits)).toBe(false);
  });
});

describe('SesNotifier against aws-ses-v2-local', () => {
  it('sends one message to exactly one recipient with a text and an HTML part, escaped', async () => {
    const notifier = new SesNotifier(() => sesClient, 'no-reply@sandbox.example.gov');
    const link = 'http://localhost:3000/verify?token=abc';
    await notifier.send('one@agency.gov', { type: 'sponsorship_denied', name: '<b>Jo</b>', reason: `Ask again: ${link}` });
    const { emails } = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
      emails: { from: string; destination: { to: string[]; cc: string[]; bcc: string[] }; body: { text: string; html: string } }[];
    };
    const sent = emails.filter((email) => email.destination.to.includes('one@agency.gov'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.destination).toEqual({ to: ['one@agency.gov'], cc: [], bcc: [] });
    expect(sent[0]!.from).toBe('no-reply@sandbox.example.gov');
    expect(sent[0]!.body.text).toContain(link);
    expect(sent[0]!.body.html).toContain(link);
    expect(sent[0]!.body.html).toContain('&lt;b&gt;Jo&lt;/b&gt;');
  });
});

describe('DynamoDB operations per request (the hot path stays lean)', () => {
  it('sign-up of a new address: three reads in one round trip, four counters, the account with its email’s intent and the intent’s clear; verification: one index query and one conditional write', async () => {
    const store = new DynamoAccountStore(documentClient, TABLE);
    const sent: string[] = [];
    const notifier = {
      send: async (_to: string, _email: unknown, link?: { url: string }) => {
        sent.push(link?.url ?? '');
        return 'sent' as const;
      },
    };
    const registry = new DynamoDomainRegistry(documentClient, TABLE);
    const deps = {
      ...DELIVERY,
      store,
      mailer: notifier,
      notifier,
      clock: { nowMs: () => Date.now() },
      log: silent,
      policy: { allowedDomainSuffixes: [], deniedDomains: [] },
      metrics: new RecordingMetrics(),
      allowances: new DynamoMailboxAllowances(documentClient, TABLE),
      suppressions: new DynamoSuppressionList(documentClient, TABLE),
      limiter: new DynamoRateLimiter(documentClient, TABLE),
      breaker: new DynamoReputationBreaker(documentClient, TABLE),
      sponsorRequestsPerDay: 10,
      budgets: { anonymousEmailsPerHour: 1000, newAddressEmailsPerDomainPerHour: 50, newAddressSharePerClient: 5 },
      emailLimits: { cooldownSeconds: 60, perDay: 5 },
      verifyTtlSeconds: 86_400,
      registry,
      govDomainTypes: [],
    };
    await registry.apply(
      { upserts: [{ domain: 'agency.gov', type: 'Federal - Executive', organization: 'Agency of Tests' }], removed: [] },
      { publishedAt: '2026-08-22T06:43:21Z', domains: 1, loadedAt: new Date().toISOString() },
      new Date().toISOString(),
    );
    operations.length = 0;
    await signUp({ email: 'ops@agency.gov', clientIp: '192.0.2.1', baseUrl: 'http://localhost' }, deps);
    // The account, the mailbox's suppression, the breaker and the .gov registry read together (one round trip); the mailbox's allowance and the
    // service-wide and new-address budgets and the client's share of it charged together (one round trip); the account written with its email's
    // intent, the intent cleared once sent.
    expect(operations).toEqual([
      'GetItemCommand',
      'GetItemCommand',
      'GetItemCommand',
      'GetItemCommand',
      'UpdateItemCommand',
      'UpdateItemCommand',
      'UpdateItemCommand',
      'UpdateItemCommand',
      'PutItemCommand',
      'PutItemCommand',
    ]);

    const token = /token=(.+)$/.exec(sent[0]!)![1]!;
    operations.length = 0;
    expect(
      await confirmVerification(
        { token, clientIp: '192.0.2.1', baseUrl: 'http://localhost' },
        { ...deps, approvals: new FakeApprovalTokens(), sponsors: new DynamoSponsorDirectory(documentClient, TABLE) },
      ),
    ).toMatchObject({
      status: 'active',
    });
    expect(operations).toEqual(['QueryCommand', 'PutItemCommand']);
  });
});

describe('DynamoSuppressionList against dynalite', () => {
  const DAY = 86_400_000;
  const now = Date.parse('2030-01-15T12:00:00Z');

  it('a bounce suppresses until it lapses (TTL deletes late: the time is checked in code); a new bounce then suppresses again', async () => {
    const list = new DynamoSuppressionList(documentClient, TABLE);
    expect(await list.suppress('bounced@agency.gov', 'bounce', now, now + 90 * DAY)).toBe(true);
    expect(await list.suppress('bounced@agency.gov', 'bounce', now + DAY, now + 91 * DAY)).toBe(false);

    expect(await list.isSuppressed('bounced@agency.gov', now + 89 * DAY)).toBe(true);
    expect(await list.isSuppressed('bounced@agency.gov', now + 90 * DAY)).toBe(false);
    expect(await list.suppress('bounced@agency.gov', 'bounce', now + 100 * DAY, now + 190 * DAY)).toBe(true);
    expect(await list.isSuppressed('bounced@agency.gov', now + 101 * DAY)).toBe(true);
  });

  it('a complaint is kept, and makes a lapsing bounce permanent', async () => {
    const list = new DynamoSuppressionList(documentClient, TABLE);
    await list.suppress('complained@agency.gov', 'bounce', now, now + 90 * DAY);
    expect(await list.suppress('complained@agency.gov', 'complaint', now + DAY)).toBe(true);
    expect(await list.suppress('complained@agency.gov', 'complaint', now + 2 * DAY)).toBe(false);

    expect(await list.isSuppressed('complained@agency.gov', now + 10_000 * DAY)).toBe(true);
  });
});

describe('the DynamoDB work of one invocation (the functions’ own metrics)', () => {
  it('counts each call by kind and the capacity units DynamoDB reports, inside an invocation only', async () => {
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    const store = new DynamoAccountStore(dynamoDocumentClient({ dynamodbEndpoint: dynamo.endpoint }), TABLE);
    const metrics = new RecordingMetrics();

    await withDynamoWork(metrics, async () => {
      await store.put(account('counted@agency.gov'), null);
      await Promise.all([store.get('counted@agency.gov'), store.get('nobody@agency.gov')]);
    });
    await store.get('counted@agency.gov');

    expect([metrics.get('DynamoDBReads'), metrics.get('DynamoDBWrites')]).toEqual([2, 1]);
    // A consistent read of an item under 4 KB is one unit, a missing item costs one too; a write under 1 KB one.
    expect([metrics.get('DynamoDBReadUnits'), metrics.get('DynamoDBWriteUnits')]).toEqual([2, 1]);
  });
});

describe('the configured DynamoDB client when DynamoDB is unreachable', () => {
  it('reports the outage as ServiceUnavailableError (503 with Retry-After), not a bare network error', async () => {
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    const store = new DynamoAccountStore(dynamoDocumentClient({ dynamodbEndpoint: 'http://127.0.0.1:1' }), TABLE);

    await expect(store.get('anyone@agency.gov')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});

describe('the DynamoDB client after ill-formed text (the class of the SES serializer bug)', () => {
  it('serializes a lone surrogate as JSON (escaped) and the next write is its own, intact', async () => {
    const store = new DynamoAccountStore(documentClient, TABLE);

    // JSON protocol: JSON.stringify writes a lone surrogate as \ud800 instead of throwing.
    await expect(store.put(account('poisoned@agency.gov', { name: 'X \ud800' }), null)).resolves.toBe(true);
    await expect(store.put(account('next@agency.gov', { name: 'Next Person' }), null)).resolves.toBe(true);

    expect((await store.get('next@agency.gov'))?.name).toBe('Next Person');
    expect((await store.get('poisoned@agency.gov'))?.email).toBe('poisoned@agency.gov');
  });
});
