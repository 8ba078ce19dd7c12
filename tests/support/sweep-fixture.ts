import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../../functions/adapters/dynamodb-account-store';
import { DynamoSponsorDirectory } from '../../functions/adapters/dynamodb-sponsors';
import type { Account } from '../../functions/core/account';
import { nextDutyAt } from '../../functions/core/lifecycle';
import { DUE_SHARD, itemKeys, table } from '../../functions/service/table';
import type { SweepDeps } from '../../functions/use-cases/sweep';
import { DELIVERY, FakeApprovalTokens, InMemoryBreaker, RecordingLog, RecordingMetrics, RecordingNotifier } from './fakes';

/** A year of access with a 30-day reminder, as the defaults give. */
export const SWEEP_POLICY = { accessSeconds: 365 * 86_400, renewalNoticeSeconds: 30 * 86_400 };

/** An approved contractor whose access ends at `endsAtSeconds` (already reminded), as the table stores it. */
export function seededContractor(email: string, endsAtSeconds: number): Record<string, unknown> {
  const account: Account = {
    email,
    kind: 'contractor',
    status: 'active',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    requestId: `req-${email}`,
    request: {
      id: `req-${email}`,
      company: 'Acme',
      sponsorEmail: 'lee.sponsor@agency.gov',
      justification: 'x',
      requestedAt: new Date().toISOString(),
    },
    sponsoredBy: 'lee.sponsor@agency.gov',
    accessExpiresAt: new Date(endsAtSeconds * 1000).toISOString(),
    remindedFor: new Date(endsAtSeconds * 1000).toISOString(),
    history: [],
    version: 1,
  };
  return { ...itemKeys.account(email), ...account, dueAt: nextDutyAt(account), [table.indexes.byDue.partitionKey]: DUE_SHARD };
}

/** Writes `count` such contractors (`<prefix><i>@acme-corp.com`), 25 to a batch. */
export async function seedContractors(
  client: DynamoDBDocumentClient,
  tableName: string,
  prefix: string,
  count: number,
  endsAtSeconds: number,
): Promise<void> {
  const items = Array.from({ length: count }, (_, i) => seededContractor(`${prefix}${i}@acme-corp.com`, endsAtSeconds));
  for (let start = 0; start < items.length; start += 25) {
    await client.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) } }),
    );
  }
}

/** The sweep's ports on a real table; mail, tokens and the breaker in memory. */
export function tableSweepDeps(client: DynamoDBDocumentClient, tableName: string): SweepDeps {
  return {
    store: new DynamoAccountStore(client, tableName),
    ...DELIVERY,
    approvals: new FakeApprovalTokens(),
    breaker: new InMemoryBreaker(),
    verifyTtlSeconds: 86_400,
    sponsors: new DynamoSponsorDirectory(client, tableName),
    notifier: new RecordingNotifier(),
    clock: { nowMs: () => Date.now() },
    log: new RecordingLog(),
    metrics: new RecordingMetrics(),
    lifecycle: SWEEP_POLICY,
    sponsorLinkTtlSeconds: 3600,
    baseUrl: 'http://localhost',
  };
}

/** A client of the emulator whose answers' items are counted (by an SDK middleware) into `tally.items`. */
export function itemCountingClient(endpoint: string, tally: { items: number }): DynamoDBDocumentClient {
  const raw = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  raw.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = (result.output ?? {}) as { Count?: number; Item?: unknown; Responses?: Record<string, unknown[]> };
      tally.items += (output.Count ?? 0) + (output.Item ? 1 : 0) + Object.values(output.Responses ?? {}).flat().length;
      return result;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  return DynamoDBDocumentClient.from(raw);
}
