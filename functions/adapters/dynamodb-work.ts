import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Metrics } from '../core/ports';

/**
 * What one request costs DynamoDB (docs/design.md §9 "work"): calls by kind, and the capacity units
 * DynamoDB reports for them. Counted by an SDK middleware, per invocation, and written as that
 * invocation's metrics, so a change that adds a call shows in CloudWatch and in `npm run bench`.
 */
export interface DynamoWork {
  reads: number;
  writes: number;
  readUnits: number;
  writeUnits: number;
}

const tallies = new AsyncLocalStorage<DynamoWork>();

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);

interface Consumed {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  CapacityUnits?: number;
}

/** Adds the counting middleware to a client: every command asks for its consumed capacity (free in DynamoDB). */
export function countDynamoWork(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const tally = tallies.getStore();
      if (!tally) return next(args);
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const read = READS.has(context.commandName ?? '');
      if (read) tally.reads++;
      else tally.writes++;
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity;
      for (const entry of [consumed ?? []].flat()) {
        // Some answers give only the total: it is of the kind of the call.
        const total = entry.CapacityUnits ?? 0;
        tally.readUnits += entry.ReadCapacityUnits ?? (read ? total : 0);
        tally.writeUnits += entry.WriteCapacityUnits ?? (read ? 0 : total);
      }
      return result;
    },
    { step: 'initialize', name: 'countDynamoWork' },
  );
}

/** Runs one invocation with its own tally, and counts it as that invocation's metrics. */
export async function withDynamoWork<T>(metrics: Metrics, run: () => Promise<T>): Promise<T> {
  const tally: DynamoWork = { reads: 0, writes: 0, readUnits: 0, writeUnits: 0 };
  try {
    return await tallies.run(tally, run);
  } finally {
    if (tally.reads + tally.writes > 0) {
      metrics.count('DynamoDBReads', undefined, tally.reads);
      metrics.count('DynamoDBWrites', undefined, tally.writes);
      metrics.count('DynamoDBReadUnits', undefined, tally.readUnits);
      metrics.count('DynamoDBWriteUnits', undefined, tally.writeUnits);
    }
  }
}
