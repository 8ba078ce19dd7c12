import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../../functions/adapters/dynamodb-account-store';
import { DynamoRateLimiter } from '../../functions/adapters/dynamodb-counters';
import { DynamoDomainRegistry } from '../../functions/adapters/dynamodb-registry';
import { JoseApprovalTokens } from '../../functions/adapters/jose-approval-tokens';
import { cachedKeys, newKeySetJson } from '../../functions/adapters/signing-keys';
import type { Account } from '../../functions/core/account';
import { nextDutyAt } from '../../functions/core/lifecycle';
import type { ReputationBreaker } from '../../functions/core/ports';
import { DUE_SHARD, itemKeys, table } from '../../functions/service/table';
import type { SweepDeps } from '../../functions/use-cases/sweep';

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

/** Starts closed, as nothing in a sweep opens it. */
function inMemoryBreaker(): ReputationBreaker {
  let openedFor: string | undefined;
  return {
    isOpen: async () => openedFor !== undefined,
    async open(reason) {
      if (openedFor !== undefined) return false;
      openedFor = reason;
      return true;
    },
    async close() {
      const wasOpen = openedFor !== undefined;
      openedFor = undefined;
      return wasOpen;
    },
  };
}

/**
 * The sweep's ports on a real table. Mail, approval tokens (under a key made for this run), the
 * breaker, logs and metrics stay in memory and quiet, so the table sees the sweep's own reads and
 * writes alone.
 */
export function tableSweepDeps(client: DynamoDBDocumentClient, tableName: string): SweepDeps {
  return {
    store: new DynamoAccountStore(client, tableName),
    registry: new DynamoDomainRegistry(client, tableName),
    // Retries as configured by default (docs/design.md §7); no webhook receiver.
    delivery: { retrySeconds: 60, maxAttempts: 12 },
    events: false,
    approvals: new JoseApprovalTokens(
      cachedKeys(async () => newKeySetJson(), 'in memory'),
      604_800,
    ),
    breaker: inMemoryBreaker(),
    // A held email's budgets are counted on the table, as in AWS; the limits are the defaults.
    limiter: new DynamoRateLimiter(client, tableName),
    budgets: { anonymousEmailsPerHour: 1000, newAddressEmailsPerDomainPerHour: 50, newAddressSharePerClient: 5 },
    verifyTtlSeconds: 86_400,
    notifier: { send: async () => 'sent' },
    clock: { nowMs: () => Date.now() },
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    metrics: { count: () => undefined },
    lifecycle: SWEEP_POLICY,
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
