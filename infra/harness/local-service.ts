import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** An email as the SES emulator's mailbox keeps it. */
export interface SentEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** The token of a link to `path` (`/verify`, `/sponsorships/review`, …) in an email's text. */
export const tokenIn = (text: string | undefined, path: string): string | undefined =>
  new RegExp(`${path}\\?token=([A-Za-z0-9_.-]+)`).exec(text ?? '')?.[1];

/**
 * `npm start`'s entry run as a child process on free ports with its own DATA_DIR: its callers (the
 * tests, the bench) talk to it only over HTTP and the AWS wire protocols, as a person and an
 * operator would.
 */
export class LocalService {
  readonly output: string[] = [];
  baseUrl = '';
  /** The SES emulator (its JSON store at `/store`). */
  mailboxUrl = '';
  /** The local server's mailbox page, whose links open by a click. */
  mailboxPageUrl = '';
  dynamodbEndpoint = '';
  private child?: ChildProcess;

  constructor(
    readonly dataDir: string,
    private readonly env: Record<string, string> = {},
  ) {}

  static async start(env: Record<string, string> = {}): Promise<LocalService> {
    const service = new LocalService(mkdtempSync(join(tmpdir(), 'gatekeeper-')), env);
    await service.boot();
    return service;
  }

  async boot(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: this.dataDir,
        PORT: '0',
        DYNAMODB_PORT: '0',
        SES_PORT: '0',
        OIDC_PORT: '0',
        // The constant-time floor of anonymous answers only slows behaviour tests; the timing test sets it.
        ANONYMOUS_ANSWER_MS: '0',
        // Sponsors sign in by emailed code unless a test starts the local OpenID provider (SIGN_IN_METHOD=oidc).
        SIGN_IN_METHOD: 'code',
        // A small registry (registry/ beside this file) with the domains tests and the bench use: a
        // first start need not load all 16,539 domains; a test of the real snapshot names it.
        REGISTRY_FILE: fileURLToPath(new URL('./registry/current-full.csv', import.meta.url)),
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          this.output.push(line);
          const match = /^\s+(Sign-up page|Mailbox|SES|DynamoDB):\s+(\S+)/.exec(line);
          if (match?.[1] === 'Sign-up page') this.baseUrl = match[2]!.replace(/\/$/, '').replace('localhost', '127.0.0.1');
          if (match?.[1] === 'SES') this.mailboxUrl = match[2]!.replace(/\/$/, '');
          if (match?.[1] === 'Mailbox') this.mailboxPageUrl = match[2]!.replace('localhost', '127.0.0.1');
          if (match?.[1] === 'DynamoDB') this.dynamodbEndpoint = match[2]!;
          if (line.startsWith('Press Ctrl-C')) resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`local service exited with ${code}:\n${this.output.join('\n')}`)));
    });
  }

  /** SIGKILL: no chance to finish anything in flight. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, as Ctrl-C would; resolves with the exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  fetch(path: string, init?: RequestInit): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, { redirect: 'manual', ...init });
  }

  postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  }

  postForm(path: string, fields: Record<string, string> | string, headers: Record<string, string> = {}): Promise<Response> {
    const body = typeof fields === 'string' ? fields : new URLSearchParams(fields).toString();
    return this.fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
  }

  async emails(): Promise<SentEmail[]> {
    const response = await fetch(`${this.mailboxUrl}/store`);
    return ((await response.json()) as { emails: SentEmail[] }).emails;
  }

  async emailsTo(address: string): Promise<SentEmail[]> {
    return (await this.emails()).filter((email) => email.destination.to.includes(address));
  }

  /** The token of the newest verification link sent to `address`. */
  async latestToken(address: string): Promise<string> {
    const token = tokenIn((await this.emailsTo(address)).at(-1)?.body.text, '/verify');
    if (!token) throw new Error(`no verification link sent to ${address}`);
    return token;
  }

  /** The token of the newest review link sent to a sponsor. */
  async reviewToken(sponsor: string): Promise<string> {
    const token = tokenIn((await this.emailsTo(sponsor)).at(-1)?.body.text, '/sponsorships/review');
    if (!token) throw new Error(`no review link sent to ${sponsor}`);
    return token;
  }

  /** A document client on the service's own DynamoDB, for checks an operator could make. */
  documentClient(): DynamoDBDocumentClient {
    return DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: this.dynamodbEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
  }
}
