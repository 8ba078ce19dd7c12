import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../functions/adapters/dynamodb-account-store';
import { DynamoDomainRegistry } from '../../functions/adapters/dynamodb-registry';
import type { Account } from '../../functions/core/account';
import type { RegisteredDomain } from '../../functions/core/registry';
import { type Emulator, ensureTable, startDynamoDb } from '../../local/emulators';

const TABLE = 'registry-adapter-test';
const SNAPSHOT = { publishedAt: '2030-01-01T00:00:00Z', domains: 2, loadedAt: '2030-01-01T00:00:00Z' };
const domain = (name: string): RegisteredDomain => ({ domain: name, type: 'Federal - Executive', organization: `Agency of ${name}` });

let dataDir: string;
let dynamo: Emulator;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatekeeper-registry-adapter-'));
  dynamo = await startDynamoDb({ host: '127.0.0.1', port: 0, dataDir });
  await ensureTable(dynamo.endpoint, TABLE);
  const raw = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(async () => {
  await dynamo.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const agencyAccount = (email: string, registeredDomain: string): Account => ({
  email,
  kind: 'agency',
  status: 'active',
  registeredDomain,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  history: [],
  version: 1,
});

describe('DynamoDomainRegistry and the domain index against dynalite', () => {
  it('a removed domain is due until settled; its accounts are found by domain; a domain that came back is not settled over', async () => {
    const registry = new DynamoDomainRegistry(client, TABLE);
    const store = new DynamoAccountStore(client, TABLE);
    await registry.apply(
      { upserts: [domain('gone.gov'), domain('back.gov'), domain('kept.gov')], removed: [] },
      SNAPSHOT,
      '2030-01-01T00:00:00.000Z',
    );
    for (const account of [
      agencyAccount('a@gone.gov', 'gone.gov'),
      agencyAccount('b@it.gone.gov', 'gone.gov'),
      agencyAccount('c@kept.gov', 'kept.gov'),
    ])
      expect(await store.put(account, null)).toBe(true);

    const removedAt = '2030-02-01T00:00:00.000Z';
    await registry.apply({ upserts: [], removed: [domain('gone.gov'), domain('back.gov')] }, SNAPSHOT, removedAt);
    const removedSeconds = Date.parse(removedAt) / 1000;
    expect(await registry.leftDue(removedSeconds - 1, 10), 'not due before it was removed').toEqual([]);
    const due = await registry.leftDue(removedSeconds, 10);
    expect(due.map((entry) => [entry.domain, entry.removedAt]).sort()).toEqual([
      ['back.gov', removedAt],
      ['gone.gov', removedAt],
    ]);
    expect((await store.findByDomain('gone.gov')).map((account) => account.email).sort()).toEqual(['a@gone.gov', 'b@it.gone.gov']);

    // back.gov is listed again before the sweep settles it: the settle must not mark it removed again.
    await registry.apply({ upserts: [domain('back.gov')], removed: [] }, SNAPSHOT, '2030-02-02T00:00:00.000Z');
    for (const entry of due) await registry.settleLeft(entry);

    expect(await registry.leftDue(removedSeconds + 86_400, 10)).toEqual([]);
    expect(await registry.lookup('back.gov')).toEqual(domain('back.gov'));
    expect(await registry.lookup('gone.gov')).toEqual({ ...domain('gone.gov'), removedAt });
  });
});
