import { type ChildProcess, fork } from 'node:child_process';
import type { Principal } from './iam-gateway';
import { sdkEnvironment } from './sdk-environment';
import type { DeployedFunction } from './stack-model';

const RUNTIME = new URL('./lambda-runtime.mjs', import.meta.url);

export class InvocationError extends Error {
  override readonly name = 'InvocationError';
}

interface Reply {
  id?: number;
  ready?: boolean;
  result?: unknown;
  error?: { name: string; message: string; stack: string };
}

/**
 * One deployed function, run as Lambda runs it: its own process with its bundle, the environment
 * the template gives it, and the variables Lambda adds (region, its role's credentials, its name,
 * memory and timeout). Only the service endpoints differ: they point at the rehearsal's gateway.
 */
export class LambdaHost {
  readonly output: string[] = [];
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly ready: Promise<void>;
  private next = 0;

  constructor(
    readonly fn: DeployedFunction,
    principal: Principal,
    options: { region: string; gateway: string; hosts: Record<string, string>; home: string },
  ) {
    const env: Record<string, string> = {
      ...fn.environment,
      ...sdkEnvironment(principal, { ...options, services: ['DYNAMODB', 'SES', 'SESV2', 'SECRETS_MANAGER'] }),
      TZ: 'UTC',
      AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_FUNCTION_TIMEOUT: String(fn.timeoutSeconds),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      LAMBDA_TASK_ROOT: fn.bundle,
      _HANDLER: 'index.handler',
      REHEARSAL_HOSTS: JSON.stringify(options.hosts),
      REHEARSAL_FUNCTION_ARN: fn.arn,
    };
    this.child = fork(RUNTIME, [], { env, execArgv: [], cwd: fn.bundle, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    for (const stream of [this.child.stdout, this.child.stderr])
      stream?.on('data', (chunk: Buffer) => this.output.push(chunk.toString('utf8')));
    this.ready = new Promise((resolve, reject) => {
      this.child.once('exit', (code) => {
        const error = new InvocationError(`${fn.name}: its runtime exited (code ${code})\n${this.output.join('')}`);
        reject(error);
        for (const waiting of this.pending.values()) waiting.reject(error);
        this.pending.clear();
      });
      this.child.on('message', (reply: Reply) => {
        if (reply.ready) return resolve();
        const waiting = this.pending.get(reply.id!);
        if (!waiting) return;
        this.pending.delete(reply.id!);
        if (reply.error) waiting.reject(new InvocationError(`${fn.name} failed: ${reply.error.name}: ${reply.error.message}`));
        else waiting.resolve(reply.result);
      });
    });
  }

  /** One invocation with `event`, at the rehearsal's clock. */
  async invoke<T = unknown>(event: unknown, clockOffsetMs: number): Promise<T> {
    await this.ready;
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, event, clockOffsetMs });
    });
  }

  /** The function's log lines (Powertools JSON) since it started. */
  logs(): string[] {
    return this.output.join('').split('\n').filter(Boolean);
  }

  close(): void {
    this.child.removeAllListeners('exit');
    this.child.kill();
  }
}
