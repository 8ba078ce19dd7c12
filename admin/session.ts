/**
 * What every command of the operator's CLI stands on: where it acts (the target and the
 * environment the use cases are configured from), the ports it acts through, how it asks before a
 * change, and the two kinds of refusal (exit 1 and exit 2).
 */
import { userInfo } from 'node:os';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseAddress } from '../functions/core/address';
import type { AccountStore, Log, Metrics, ReputationBreaker, SuppressionList } from '../functions/core/ports';
import { ENV } from '../functions/service/environment';
import type { SweepDeps } from '../functions/use-cases/sweep';
import { dataDirOf, publishedServiceEnvironment } from '../local/data-dir';
import { functionEnvironment } from '../local/laptop-environment';
import { callerArn } from './aws-identity';
import { checkClock } from './clock-check';
import { OperatorRecords } from './records';
import { awsTarget, localTarget, type Target, TargetError } from './target';

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
  /** Who acts, in audit entries: in AWS the caller's ARN; locally `--as`, else the OS user. */
  readonly operator: string;
  /** Whether the target's sandbox is told of changes (a webhook is configured). */
  readonly events: boolean;
  readonly target: Target;
  readonly records: OperatorRecords;
  readonly store: AccountStore;
  /** The reputation breaker and the suppression list, through their ports like every other change. */
  readonly breaker: ReputationBreaker;
  readonly suppressions: SuppressionList;
  /**
   * The use cases' ports, from the functions' own wiring (the sweep's: it does what the sweep
   * does), configured as the target's functions are. Made on first use: listing needs no keys.
   * Refused when this machine's clock disagrees with DynamoDB's (every change takes its time).
   */
  deps(): Promise<SweepDeps>;
}

/** The use cases' log lines go to stderr, one short line each: the operator reads stdout. */
export function stderrLog(io: Io): Log {
  const line = (level: string) => (message: string) => io.err(`${level}: ${message}\n`);
  return { info: () => undefined, warn: line('warning'), error: line('error') };
}

/** The CLI emits no metrics: its changes are in their audit entries and the sandbox's events. */
const NO_METRICS: Metrics = { count: () => undefined };

/** Who acts locally: `--as`, else the person logged in to this machine. */
function localOperator(as: string | undefined): string {
  return as?.trim() || userInfo().username;
}

/**
 * The functions' configuration on the target. In AWS: the sweep's, as the stack's
 * `OperatorEnvironment` output gives it. Locally: what the last `npm start` on DATA_DIR published
 * it ran them with (a variable set in the shell wins), on the target's DynamoDB; where none was
 * published, npm start's defaults for that folder.
 */
function environmentOf(target: Target, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (target.outputs) {
    if (!target.outputs.OperatorEnvironment) {
      throw new TargetError(`The stack has no OperatorEnvironment output: deploy this version of the stack first.`);
    }
    return JSON.parse(target.outputs.OperatorEnvironment) as Record<string, string>;
  }
  const dataDir = dataDirOf(env);
  const published = publishedServiceEnvironment(dataDir);
  if (published) return { ...published, ...env, [ENV.dynamodbEndpoint]: target.endpoint! };
  return {
    ...env,
    ...functionEnvironment(dataDir, env, {
      baseUrl: `http://localhost:${env.PORT || 3000}`,
      dynamodbEndpoint: target.endpoint!,
      sesEndpoint: env[ENV.sesEndpoint] || `http://127.0.0.1:${env.SES_PORT || 8005}`,
    }),
  };
}

export async function open(io: Io, options: { table: string; as?: string; stack?: string; region?: string }): Promise<Session> {
  if (options.stack && options.as !== undefined) {
    throw new Usage('--as is for local targets: against AWS the audit entry names your AWS identity (its ARN), never a typed name.');
  }
  const target = options.stack ? await awsTarget(options.stack, options.region) : await localTarget(io.env, options.table);
  const operator = options.stack ? await callerArn(options.region) : localOperator(options.as);
  if (!target.outputs && !publishedServiceEnvironment(dataDirOf(io.env))) {
    io.err(`No settings of an npm start in ${dataDirOf(io.env)}: the functions' defaults apply (access periods, no webhook).\n`);
  }
  io.err(`Using ${target.description}, table ${target.tableName}${options.stack ? `, acting as ${operator}` : ''}.\n`);
  // The functions' wiring reads its configuration from the environment, as in Lambda.
  Object.assign(process.env, {
    ...environmentOf(target, io.env),
    [ENV.tableName]: target.tableName,
    ...(options.region ? { AWS_REGION: options.region } : {}),
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const { dynamodb, tableDeps } = await import('../functions/wiring/table-deps');
  const log = stderrLog(io);
  const { accountDeps } = await import('../functions/wiring/account-deps');
  return {
    client: dynamodb,
    operator,
    events: accountDeps.events,
    target,
    records: new OperatorRecords(dynamodb, target.tableName),
    store: tableDeps.store,
    breaker: accountDeps.breaker,
    suppressions: accountDeps.suppressions,
    deps: async () => {
      await checkClock(dynamodb, target.tableName, io.nowMs);
      return { ...(await import('../functions/wiring/sweep-deps')).sweepDeps, log, metrics: NO_METRICS };
    },
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
