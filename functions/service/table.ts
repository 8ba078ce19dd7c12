/**
 * The one table definition, used by the CDK stack and by the local set-up, so AWS and the
 * laptop cannot drift. Pure data: no CDK or SDK imports, so functions may read the names too.
 */
export const table = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes late (days), so every expiry is also checked in code. */
  timeToLiveAttribute: 'expireAt',
  indexes: {
    /** Verification links: link id (the part of a link's token before the dot) → account. Sparse. */
    byLink: { partitionKey: 'linkId' },
    /**
     * Retired: links carry a link id now, and nothing writes `verifyTokenHash` any more. Kept
     * because CloudFormation creates or deletes at most one index per update, and the deploy
     * that adds `byDomain` is that one; remove it in the deploy after.
     */
    byVerifyToken: { partitionKey: 'verifyTokenHash' },
    /** Sponsorship requests: request id (an approval token's `sub`) → contractor account. Sparse. */
    byRequest: { partitionKey: 'requestId' },
    /**
     * Timed work: every item with a next duty (a reminder, an expiry) in one partition, ordered by
     * when it is due (epoch seconds), so the sweep queries "due by now" and reads only that. Sparse.
     */
    byDue: { partitionKey: 'dueShard', sortKey: 'dueAt', sortKeyType: 'N' },
    /** Agency accounts by the registered domain of their address, so a domain that leaves the registry finds its accounts. Sparse. */
    byDomain: { partitionKey: 'registeredDomain' },
  },
} as const;

export type IndexName = keyof typeof table.indexes;

/** The one value of the due index's partition key for accounts: small enough a service for one partition. */
export const DUE_SHARD = 'due';

/** The due index's partition for registry domains that left the registry and whose accounts the sweep has yet to suspend. */
export const DEREGISTERED_SHARD = 'deregistered';

interface IndexDefinition {
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly sortKeyType?: 'S' | 'N';
}

/** Each index's keys, typed alike (the stack and the local set-up create them from this). */
export function indexDefinitions(): [IndexName, IndexDefinition][] {
  return Object.entries(table.indexes) as [IndexName, IndexDefinition][];
}

/**
 * The item families that share the table, each with its partition-key prefix. Every key is built
 * here, so the store, the local tools and the stack's grants (leading-key conditions) agree.
 */
export const itemFamilies = {
  /** One item per account, keyed by canonical address. */
  account: 'ACCOUNT#',
  /** Fixed-window counters, one item per counted key and window. */
  limit: 'LIMIT#',
  /** Addresses that bounced permanently or complained. */
  suppression: 'SUPPRESSED#',
  /** Circuit breakers, e.g. the one that holds anonymous mail while SES reputation is at risk. */
  breaker: 'BREAKER#',
  /**
   * One partition per sponsor's mailbox: the sponsor's record (sign-in code, sign-out), and one row
   * per request that named them and got past pending (so their list is one strongly consistent query).
   */
  sponsor: 'SPONSOR#',
  /**
   * The official .gov registry: one item per registered domain, in 36 partitions by the domain's
   * first character (so a load reads them all with queries, never a scan), and the last good
   * load's facts.
   */
  registry: 'REGISTRY#',
} as const;

export type ItemFamily = keyof typeof itemFamilies;

/**
 * How each family's items are written: whole items replaced under a condition (PutItem), except
 * counters, which are incremented in place (UpdateItem). The stack grants each family only its own
 * operation, and the deploy rehearsal sees the adapters use exactly these.
 */
export const writtenWith: Readonly<Record<ItemFamily, 'dynamodb:PutItem' | 'dynamodb:UpdateItem'>> = {
  account: 'dynamodb:PutItem',
  limit: 'dynamodb:UpdateItem',
  suppression: 'dynamodb:PutItem',
  breaker: 'dynamodb:PutItem',
  sponsor: 'dynamodb:PutItem',
  registry: 'dynamodb:PutItem',
};

type Key = Record<string, string>;
const key = (pk: string, sk: string): Key => ({ [table.partitionKey]: pk, [table.sortKey]: sk });

export const itemKeys = {
  account: (email: string): Key => key(`${itemFamilies.account}${email}`, 'ACCOUNT'),
  /** Older history entries of an account, beside it; one item per account version that archived them. */
  historyArchive: (email: string, version: number): Key =>
    key(`${itemFamilies.account}${email}`, `HISTORY#${String(version).padStart(10, '0')}`),
  limit: (counter: string, windowStart: number): Key => key(`${itemFamilies.limit}${counter}`, String(windowStart)),
  suppression: (email: string): Key => key(`${itemFamilies.suppression}${email}`, 'SUPPRESSED'),
  breaker: (name: string): Key => key(`${itemFamilies.breaker}${name}`, 'BREAKER'),
  sponsor: (mailbox: string): Key => key(`${itemFamilies.sponsor}${mailbox}`, 'SPONSOR'),
  sponsoredRequest: (mailbox: string, requestId: string): Key =>
    key(`${itemFamilies.sponsor}${mailbox}`, `${SPONSORED_REQUEST_PREFIX}${requestId}`),
  registeredDomain: (domain: string): Key => key(`${itemFamilies.registry}${domain.charAt(0)}`, domain),
  /** `@` is in no domain name: the load's own item cannot meet a domain's. */
  registrySnapshot: (): Key => key(`${itemFamilies.registry}@`, 'SNAPSHOT'),
};

/** The registry's partitions: a domain's first character is a letter or a digit. */
export const REGISTRY_SHARDS: readonly string[] = [...'abcdefghijklmnopqrstuvwxyz0123456789'];

/** Sort-key prefix of a sponsor's request rows. */
export const SPONSORED_REQUEST_PREFIX = 'REQUEST#';

/** CreateTable input for the local emulator (on-demand, like the stack). */
export function createTableInput(tableName: string) {
  const attributes = new Map<string, 'S' | 'N'>([
    [table.partitionKey, 'S'],
    [table.sortKey, 'S'],
  ]);
  for (const [, index] of indexDefinitions()) {
    attributes.set(index.partitionKey, 'S');
    if (index.sortKey) attributes.set(index.sortKey, index.sortKeyType ?? 'S');
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: table.sortKey, KeyType: 'RANGE' as const },
    ],
    AttributeDefinitions: [...attributes].map(([name, type]) => ({ AttributeName: name, AttributeType: type })),
    GlobalSecondaryIndexes: indexDefinitions().map(([name, index]) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
