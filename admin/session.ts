/**
 * What every command of the operator's CLI stands on: where it acts (the target and the
 * environment the use cases are configured from), the ports it acts through, how it asks before a
 * change, and the two kinds of refusal (exit 1 and exit 2).
 */
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../functions/adapters/dynamodb-account-store';
import { DynamoReputationBreaker } from '../functions/adapters/dynamodb-breaker';
import { DynamoSuppressionList } from '../functions/adapters/dynamodb-suppressions';
import { parseAddress } from '../functions/core/address';
import type { Log, ReputationBreaker, SuppressionList } from '../functions/core/ports';
import { ENV } from '../functions/service/environment';
import type { OperateDeps } from '../functions/use-cases/operate-account';
import { readServiceSettings } from '../infra/local/settings-file';
import { operateDeps, type Where } from './deps';
import { OperatorRecords } from './records';
import { awsTarget, localTarget, type Target } from './target';

/** A refusal the operator can act on: exit 1 with the reason. */
export class Refused extends Error {}
/** A usage error: exit 2. */
export class Usage extends Error {}

export interface Io {
  readonly out: (text: string) => void;
  /** The raw stream, for output too large to hold (export). */
  readonly stdout: NodeJS.WritableStream;
  readonly err: (text: string) => void;
  readonly isTerminal: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly nowMs: () => number;
}

export interface Session {
  readonly client: DynamoDBDocumentClient;
  /** The environment the use cases are configured from (in AWS: completed from the stack's outputs). */
  readonly env: NodeJS.ProcessEnv;
  readonly target: Target;
  readonly records: OperatorRecords;
  readonly store: DynamoAccountStore;
  readonly deps: OperateDeps;
  /** The reputation breaker and the suppression list, through their ports like every other change. */
  readonly breaker: ReputationBreaker;
  readonly suppressions: SuppressionList;
  /** Local: the emulators of npm start (its SES by default); AWS: the SDK's own endpoints. */
  readonly where: Where;
}

/** The use cases' log lines go to stderr, one short line each: the operator reads stdout. */
export function stderrLog(io: Io): Log {
  const line = (level: string) => (message: string) => io.err(`${level}: ${message}\n`);
  return { info: () => undefined, warn: line('warning'), error: line('error') };
}

export async function open(io: Io, options: { table: string; stack?: string; region?: string }): Promise<Session> {
  const target = options.stack ? await awsTarget(options.stack, options.region) : await localTarget(io.env, options.table);
  const tableName = target.tableName;
  io.err(`Using ${target.description}, table ${tableName}.\n`);
  // In AWS the stack's outputs say what the functions are configured with.
  const outputs = 'outputs' in target ? (target.outputs as Record<string, string>) : undefined;
  const env: NodeJS.ProcessEnv = outputs
    ? {
        ...io.env,
        ...(outputs.MailFrom ? { [ENV.mailFrom]: outputs.MailFrom } : {}),
        ...(outputs.ConfigurationSetName ? { [ENV.sesConfigurationSet]: outputs.ConfigurationSetName } : {}),
        ...(outputs.SigningKeysSecret ? { [ENV.signingKeysSecretArn]: outputs.SigningKeysSecret } : {}),
        ...(outputs.WebhookUrl ? { [ENV.webhookUrl]: outputs.WebhookUrl } : {}),
        ...(outputs.WebhookSecretArn ? { [ENV.webhookSecretArn]: outputs.WebhookSecretArn } : {}),
        ...((outputs.ServiceUrl ?? outputs.ApiUrl) ? { [ENV.baseUrl]: (outputs.ServiceUrl ?? outputs.ApiUrl)!.replace(/\/$/, '') } : {}),
      }
    : // Locally, what the last npm start on DATA_DIR was configured with, unless the shell says otherwise.
      { ...readServiceSettings(resolve(io.env.DATA_DIR || '.data')), ...io.env };
  const where = outputs ? 'aws' : 'local';
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient(
      target.endpoint
        ? { endpoint: target.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : options.region
          ? { region: options.region }
          : {},
    ),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return {
    client,
    env,
    target,
    records: new OperatorRecords(client, tableName),
    store: new DynamoAccountStore(client, tableName),
    where,
    deps: operateDeps(client, tableName, env, stderrLog(io), where),
    breaker: new DynamoReputationBreaker(client, tableName),
    suppressions: new DynamoSuppressionList(client, tableName),
  };
}

/** A change asks first on a terminal; scripts say --yes; without either it is refused (exit 2). */
export async function confirm(io: Io, yes: boolean, question: string, ask: (question: string) => Promise<string>): Promise<void> {
  if (yes) return;
  if (!io.isTerminal) throw new Usage(`${question} Refused: not a terminal and no --yes.`);
  const answer = (await ask(`${question} [y/N] `)).trim().toLowerCase();
  if (answer !== 'y' && answer !== 'yes') throw new Refused('Nothing changed.');
}

export function canonical(email: string): string {
  const parsed = parseAddress(email);
  if (!parsed.ok) throw new Usage(`"${email}" is not an email address.`);
  return parsed.address.canonical;
}
