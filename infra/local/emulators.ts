import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import sesLocal from 'aws-ses-v2-local';
import dynalite from 'dynalite';
import { createTableInput, table } from '../../functions/service/table';

/** The file in DATA_DIR that names the running `npm start` holding it (its pid and DynamoDB endpoint). */
export const SERVER_FILE = 'server.json';

export interface Emulator {
  readonly endpoint: string;
  close(): Promise<void>;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** DynamoDB API (dynalite on LevelDB) with its data on disk under `dataDir/dynamodb`. */
export async function startDynamoDb(options: { host: string; port: number; dataDir: string }): Promise<Emulator> {
  const path = join(options.dataDir, 'dynamodb');
  mkdirSync(path, { recursive: true });
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, options.port, options.host);
  return { endpoint: `http://${options.host}:${port}`, close: closer(server) };
}

/** SES API (aws-ses-v2-local); its page at `/` shows every email sent. Mail lives in memory. */
export async function startSes(options: { host: string; port: number }): Promise<Emulator> {
  // The package is CommonJS with an ES-style default export.
  const start = (sesLocal as unknown as { default: typeof sesLocal }).default ?? sesLocal;
  const server = (await start({ host: options.host, port: options.port })) as Server;
  const port = (server.address() as AddressInfo).port;
  return { endpoint: `http://${options.host}:${port}`, close: closer(server) };
}

/**
 * A service someone else runs (another emulator, a fault-injecting proxy, a real account), named
 * by its endpoint: nothing is started, and nothing is stopped.
 */
export function external(endpoint: string): Emulator & { external: true } {
  return { endpoint: endpoint.replace(/\/+$/, ''), close: async () => {}, external: true };
}

/** Creates the table from the one table definition unless it exists (a restart keeps it). */
export async function ensureTable(endpoint: string, tableName: string): Promise<'created' | 'existing'> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    const missing = Object.keys(table.indexes).filter((name) => !present.has(name));
    // dynalite cannot add an index to an existing table (AWS can: the stack adds it on deploy).
    if (missing.length) {
      throw new Error(
        `The table "${tableName}" in DATA_DIR was made by an older version and lacks the index ${missing.join(', ')}. Move DATA_DIR aside (or delete it) and start again.`,
      );
    }
    return 'existing';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  for (let i = 0; i < 50; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  client.destroy();
  return 'created';
}
