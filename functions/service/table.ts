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
     * Retired: links carry a link id now, and nothing writes `verifyTokenHash` any more. Kept for
     * one deploy because CloudFormation creates or deletes at most one index per update; remove
     * it in the next.
     */
    byVerifyToken: { partitionKey: 'verifyTokenHash' },
    /** Sponsorship requests: request id (an approval token's `sub`) → contractor account. Sparse. */
    byRequest: { partitionKey: 'requestId' },
  },
} as const;

export type IndexName = keyof typeof table.indexes;

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
} as const;

export type ItemFamily = keyof typeof itemFamilies;

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
};

/** CreateTable input for the local emulator (on-demand, like the stack). */
export function createTableInput(tableName: string) {
  const attributes = new Set<string>([table.partitionKey, table.sortKey]);
  for (const index of Object.values(table.indexes)) attributes.add(index.partitionKey);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: table.sortKey, KeyType: 'RANGE' as const },
    ],
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    GlobalSecondaryIndexes: Object.entries(table.indexes).map(([name, index]) => ({
      IndexName: name,
      KeySchema: [{ AttributeName: index.partitionKey, KeyType: 'HASH' as const }],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
