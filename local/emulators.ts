import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { createTableInput, table } from '../functions/service/table';
import { DATABASE_FOLDER } from './data-dir';

export interface Emulator {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Plain JavaScript, so it needs no loader: the same under tsx, vitest and plain Node. */
const WORKER = new URL('./emulator-worker.mjs', import.meta.url);
/** How long `close()` waits for the worker to end by itself before ending it. */
const CLOSE_GRACE_MS = 5_000;

type FromWorker = { type: 'listening'; port: number } | { type: 'failed'; message: string; code?: string };

/**
 * Runs one emulator on a worker thread of its own, so its requests are answered off the event loop
 * of the HTTP server and the handlers (two cores, not one). A thread, not a child process: it ends
 * with this process however that ends (SIGKILL included), so it never outlives `npm start` holding
 * LevelDB's lock on DATA_DIR. Resolves once it listens, with the port it got (port 0: a free one).
 */
function startWorker(name: string, data: { kind: 'dynamodb' | 'ses'; host: string; port: number; path?: string }): Promise<Emulator> {
  // No inherited --import/--require (tsx's loader): the worker is plain JavaScript.
  const worker = new Worker(WORKER, { workerData: data, execArgv: [], name });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      worker.postMessage({ type: 'close' });
      const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(timer);
    })();
    return closing;
  };
  return new Promise((resolve, reject) => {
    const failed = (reason: string, code?: string) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      void worker.terminate();
      const hint = code === 'EADDRINUSE' ? ' (another program listens there: choose another port, or 0 for a free one)' : '';
      reject(Object.assign(new Error(`The ${name} emulator could not start: ${reason}${hint}`), { code }));
    };
    const onError = (error: Error) => failed(error.message);
    const onExit = (code: number) => failed(`its worker ended (exit code ${code}) before it listened`);
    const onMessage = (message: FromWorker) => {
      if (message.type === 'failed') return failed(message.message, message.code);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      // Once running, a failure no longer stops this process (in-process it did): it is said, loudly.
      worker.on('error', (error) => console.error(`The ${name} emulator failed: ${error.stack ?? error.message}`));
      worker.once('exit', (code) => {
        if (!closing) console.error(`The ${name} emulator stopped unexpectedly (exit code ${code}): requests to ${name} fail from now on.`);
      });
      resolve({ endpoint: `http://${data.host}:${message.port}`, close });
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

/** DynamoDB API (dynalite on LevelDB) with its data on disk under `dataDir/dynamodb`. */
export async function startDynamoDb(options: { host: string; port: number; dataDir: string }): Promise<Emulator> {
  const path = join(options.dataDir, DATABASE_FOLDER);
  mkdirSync(path, { recursive: true });
  return startWorker('DynamoDB', { kind: 'dynamodb', host: options.host, port: options.port, path });
}

/** SES API (aws-ses-v2-local); its page at `/` shows every email sent. Mail lives in memory. */
export async function startSes(options: { host: string; port: number }): Promise<Emulator> {
  return startWorker('SES', { kind: 'ses', host: options.host, port: options.port });
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
