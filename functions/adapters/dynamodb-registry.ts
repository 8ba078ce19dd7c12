import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { DeregisteredDomain, DomainRegistry, RegistrySnapshot } from '../core/ports';
import type { RegisteredDomain } from '../core/registry';
import { DEREGISTERED_SHARD, itemFamilies, itemKeys, REGISTRY_SHARDS, table } from '../service/table';
import { conditionally } from './dynamodb-conditional';
import { dueInIndex } from './dynamodb-index';

type Entry = RegisteredDomain & { readonly removedAt?: string };

const DUE = table.indexes.byDue;

/** BatchWriteItem takes at most 25 items. */
const BATCH = 25;

function entryOf(item: Record<string, unknown> | undefined): Entry | undefined {
  if (!item || typeof item.domain !== 'string') return undefined;
  return {
    domain: item.domain,
    type: String(item.type),
    organization: String(item.organization),
    ...(typeof item.suborganization === 'string' ? { suborganization: item.suborganization } : {}),
    ...(typeof item.removedAt === 'string' ? { removedAt: item.removedAt } : {}),
  };
}

/**
 * The registry in the table: one item per domain in the partition of its first character, and
 * the last good load's facts. A load writes whole items in batches: reference data, the same
 * for every writer, where the newest complete load is the truth (no person's state is changed).
 */
export class DynamoDomainRegistry implements DomainRegistry {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async lookup(domain: string): Promise<Entry | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.registeredDomain(domain) }));
    return entryOf(Item);
  }

  async snapshot(): Promise<RegistrySnapshot | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.registrySnapshot(), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      publishedAt: String(Item.publishedAt),
      domains: Number(Item.domains),
      loadedAt: String(Item.loadedAt),
      ...(typeof Item.sha256 === 'string' ? { sha256: Item.sha256 } : {}),
    };
  }

  async all(): Promise<Map<string, Entry>> {
    const pages = await Promise.all(REGISTRY_SHARDS.map((shard) => this.shard(shard)));
    return new Map(pages.flat().map((entry) => [entry.domain, entry]));
  }

  private async shard(shard: string): Promise<Entry[]> {
    const entries: Entry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': table.partitionKey },
          ExpressionAttributeValues: { ':pk': `${itemFamilies.registry}${shard}` },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const entry = entryOf(item);
        if (entry) entries.push(entry);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return entries;
  }

  async apply(
    changes: { upserts: readonly RegisteredDomain[]; removed: readonly RegisteredDomain[] },
    snapshot: RegistrySnapshot,
    nowIso: string,
  ): Promise<number> {
    const items = [
      ...changes.upserts.map((entry) => ({ ...itemKeys.registeredDomain(entry.domain), ...entry })),
      // A removed domain joins the due index: the next sweep suspends its accounts.
      ...changes.removed.map((entry) => ({
        ...itemKeys.registeredDomain(entry.domain),
        ...entry,
        removedAt: nowIso,
        [DUE.partitionKey]: DEREGISTERED_SHARD,
        [DUE.sortKey]: Math.floor(Date.parse(nowIso) / 1000),
      })),
    ];
    for (let at = 0; at < items.length; at += BATCH) await this.writeBatch(items.slice(at, at + BATCH));
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.registrySnapshot(), ...snapshot } }));
    return items.length;
  }

  async leftDue(nowSeconds: number, limit: number): Promise<DeregisteredDomain[]> {
    const items = await dueInIndex(this.client, this.tableName, DEREGISTERED_SHARD, nowSeconds, limit);
    return items.flatMap((item) => {
      const entry = entryOf(item);
      return entry?.removedAt ? [{ ...entry, removedAt: entry.removedAt }] : [];
    });
  }

  async settleLeft(domain: DeregisteredDomain): Promise<void> {
    // Written back without its due time, only if it is still the removal that was handled.
    await conditionally(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.registeredDomain(domain.domain), ...domain },
          ConditionExpression: '#removedAt = :removedAt',
          ExpressionAttributeNames: { '#removedAt': 'removedAt' },
          ExpressionAttributeValues: { ':removedAt': domain.removedAt },
        }),
      ),
    );
  }

  /** One batch, its unprocessed items sent again until none is left (DynamoDB may take part of a batch). */
  private async writeBatch(items: Record<string, unknown>[]): Promise<void> {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length) {
      const answer = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
      requests = (answer.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
    }
  }
}
