import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { controlPlaneHandler } from '../functions/wiring/aws-clients';
import { DATABASE_FOLDER, dataDirOf, holderOf } from '../local/data-dir';
import { startDynamoDb } from '../local/emulators';

/** Where the operator's commands read and write, and how it was found (said once, on stderr). */
export interface Target {
  /** A local emulator's endpoint; none in AWS (the SDK's own, with the operator's credentials). */
  readonly endpoint?: string;
  readonly tableName: string;
  readonly description: string;
  /** The deployed stack's outputs; none locally. */
  readonly outputs?: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

async function answers(endpoint: string, timeoutMs: number): Promise<boolean> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/**
 * The local target, in this order: `DYNAMODB_ENDPOINT`; else the running `npm start`'s DynamoDB
 * on `DYNAMODB_PORT` (8000); else `DATA_DIR` (`.data`) opened here — refused, clearly, when a
 * running server holds that folder on another port.
 */
export async function localTarget(env: NodeJS.ProcessEnv, tableName: string): Promise<Target> {
  if (env.DYNAMODB_ENDPOINT) {
    return {
      endpoint: env.DYNAMODB_ENDPOINT,
      tableName,
      description: `DynamoDB at ${env.DYNAMODB_ENDPOINT} (DYNAMODB_ENDPOINT)`,
      close: async () => {},
    };
  }
  const port = Number(env.DYNAMODB_PORT ?? 8000);
  const running = `http://127.0.0.1:${port}`;
  const dataDir = dataDirOf(env);
  if (await answers(running, 500)) {
    // Its settings (periods, the webhook secret) are in its DATA_DIR: another folder's, or none, would be wrong.
    if (Number(new URL(holderOf(dataDir)?.dynamodbEndpoint ?? 'http://x:0').port) !== port) {
      throw new TargetError(
        `A DynamoDB answers on DYNAMODB_PORT ${port}, but no running npm start holds ${dataDir} with it: set DATA_DIR to the folder that npm start runs with (the CLI uses its settings: access periods, the webhook secret), or DYNAMODB_ENDPOINT for a DynamoDB without npm start (the functions' defaults apply).`,
      );
    }
    return { endpoint: running, tableName, description: `the running npm start's DynamoDB on port ${port}`, close: async () => {} };
  }
  if (!existsSync(join(dataDir, DATABASE_FOLDER))) {
    throw new TargetError(
      `No data to open: nothing answers on DYNAMODB_PORT ${port} and ${dataDir} holds no database. Start the service (npm start) or set DYNAMODB_ENDPOINT.`,
    );
  }
  const holder = holderOf(dataDir);
  if (holder) {
    throw new TargetError(
      `${dataDir} is in use by a running npm start (pid ${holder.pid}) with its DynamoDB at ${holder.dynamodbEndpoint}: set DYNAMODB_PORT=${new URL(holder.dynamodbEndpoint).port} (or DYNAMODB_ENDPOINT), or stop it.`,
    );
  }
  const opened = await startDynamoDb({ host: '127.0.0.1', port: 0, dataDir });
  const client = new DynamoDBClient({ endpoint: opened.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    await opened.close();
    const message = String((error as Error)?.message ?? error);
    if (/lock/i.test(message)) {
      throw new TargetError(
        `${dataDir} is in use by a running npm start on another port: set DYNAMODB_PORT to its port (or DYNAMODB_ENDPOINT), or stop it.`,
      );
    }
    throw new TargetError(`${dataDir} holds no table "${tableName}": ${message}`);
  } finally {
    client.destroy();
  }
  return {
    endpoint: opened.endpoint,
    tableName,
    description: `${dataDir} opened directly (no server running)`,
    close: () => opened.close(),
  };
}

/**
 * The AWS target: the stack's outputs (table, secrets, configuration set), read with the
 * operator's own credentials. A missing or expired credential is one clear line.
 */
export async function awsTarget(stack: string, region: string | undefined): Promise<Target> {
  const client = new CloudFormationClient({ ...(region ? { region } : {}), requestHandler: controlPlaneHandler() });
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stack }));
    const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
    const tableName = outputs.TableName;
    if (!tableName) throw new TargetError(`The stack ${stack} has no TableName output: is it a Sandbox Gatekeeper stack?`);
    const where = region ?? (await client.config.region());
    return { tableName, outputs, description: `the stack ${stack} in ${where} (its outputs)`, close: async () => {} };
  } catch (error) {
    if (error instanceof TargetError) throw error;
    const name = (error as Error)?.name ?? '';
    const message = (error as Error)?.message ?? String(error);
    if (/CredentialsProviderError|ExpiredToken|UnrecognizedClient|InvalidClientTokenId|TokenRefreshRequired/i.test(`${name} ${message}`)) {
      throw new TargetError(
        `No valid AWS credentials (${name || 'missing'}): sign in (e.g. aws sso login) or set AWS_PROFILE, then try again.`,
      );
    }
    if (/does not exist/i.test(message)) throw new TargetError(`No stack named ${stack}${region ? ` in ${region}` : ''}.`);
    throw new TargetError(`Could not read the stack ${stack}: ${message}`);
  } finally {
    client.destroy();
  }
}
