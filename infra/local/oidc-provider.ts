import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { parseAddress } from '../../functions/core/address';
import { errorPage, signInPage } from './oidc-sign-in-page';

/**
 * A real OpenID provider (oidc-provider) standing in for Login.gov on loopback: the same flow the
 * service runs against Login.gov (authorization code, PKCE S256, private_key_jwt, acr_values,
 * scopes `openid email all_emails`, `all_emails` in userinfo), with a sign-in page that believes
 * whatever address is typed. Everything lives in memory and is gone when it closes.
 */

export interface OidcClient {
  readonly clientId: string;
  readonly jwks: { readonly keys: object[] };
  readonly redirectUris: string[];
}

export interface OidcProviderOptions {
  readonly host: string;
  /** 0: a free port. */
  readonly port: number;
  readonly clients: readonly OidcClient[];
}

export interface RunningOidcProvider {
  readonly issuer: string;
  close(): Promise<void>;
}

export type SigningJwk = JWK & { readonly kid: string; readonly alg: string };

export const AUTH_ONLY_ACR = 'urn:acr.login.gov:auth-only';
const SCOPES = ['openid', 'email', 'all_emails'];
const MAX_FORM_BYTES = 16 * 1024;
const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)$/;

/** An RS256 key pair with a `kid`: the private half for a client (or the provider), the public half for `clients[].jwks`. */
export async function newClientKey(): Promise<{ privateJwk: SigningJwk; publicJwk: SigningJwk }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicPart = await exportJWK(publicKey);
  const about = { kid: await calculateJwkThumbprint(publicPart), alg: 'RS256', use: 'sig' };
  return { privateJwk: { ...(await exportJWK(privateKey)), ...about }, publicJwk: { ...publicPart, ...about } };
}

// oidc-provider ships no type declarations: this is the little of it used here.
interface Ctx {
  oidc: {
    client: { clientId: string };
    session: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string }; login?: unknown };
    provider: Provider;
  };
}
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface Grant {
  accountId?: string;
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface Provider {
  callback(): Handler;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ prompt: { name: string } }>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: object, options: object): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): Grant; find(id: string): Promise<Grant | undefined> };
}
type Check = { REQUEST_PROMPT: boolean; NO_NEED_TO_PROMPT: boolean } & (new (
  ...args: [reason: string, description: string, error: string, check: (ctx: Ctx) => boolean]
) => object);
interface OidcProviderModule {
  default: new (issuer: string, configuration: object) => Provider;
  interactionPolicy: { base(): { get(name: string): { checks: { add(check: object): void } } }; Check: Check };
  errors: { SessionNotFound: new () => Error };
}
// Specifiers typed as string keep TypeScript from looking for declarations it would not find.
const OIDC_PROVIDER: string = 'oidc-provider';
// The store oidc-provider itself falls back to, passed explicitly only so it does not warn at every start.
const MEMORY_ADAPTER: string = 'oidc-provider/lib/adapters/memory_adapter.js';

interface Account {
  readonly email: string;
  readonly allEmails: readonly string[];
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) req.destroy(new Error('form too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

/** Checks the form; an account, or the page again with what is wrong tied to its field. */
function accountFrom(form: URLSearchParams, action: string): Account | { page: string } {
  const email = form.get('email') ?? '';
  const otherEmails = form.get('other_emails') ?? '';
  const main = parseAddress(email);
  const others = otherEmails.split(/[\s,;]+/).filter((value) => value !== '');
  const bad = others.find((value) => !parseAddress(value).ok);
  if (main.ok && bad === undefined) {
    const allEmails = new Set([main.address.canonical, ...others.map((value) => value.toLowerCase())]);
    return { email: main.address.canonical, allEmails: [...allEmails] };
  }
  return {
    page: signInPage({
      action,
      email,
      otherEmails,
      ...(main.ok ? {} : { emailError: 'Enter an email address in the form name@example.gov.' }),
      ...(bad === undefined ? {} : { otherEmailsError: `“${bad}” is not an email address: enter one address per line.` }),
    }),
  };
}

/** Starts the provider on `host:port`; resolves once it listens, with its issuer URL (no trailing slash). */
export async function startOidcProvider(options: OidcProviderOptions): Promise<RunningOidcProvider> {
  const { default: ProviderClass, interactionPolicy, errors } = (await import(OIDC_PROVIDER)) as OidcProviderModule;
  const { createMemoryAdapter } = (await import(MEMORY_ADAPTER)) as { createMemoryAdapter(clockTolerance: number): unknown };
  const accounts = new Map<string, Account>();
  const signing = await newClientKey();
  let handle: Handler | undefined;
  const server = createServer((req, res) => (handle ? handle(req, res) : send(res, 503, 'Starting')));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;

  // Always the form, even for a browser already signed in: the point of a stand-in is to be anyone next time.
  const policy = interactionPolicy.base();
  const { Check } = interactionPolicy;
  policy
    .get('login')
    .checks.add(
      new Check('stand_in_asks_each_time', 'the stand-in asks for an address each time', 'login_required', (ctx) =>
        ctx.oidc.result?.login ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
      ),
    );

  const provider = new ProviderClass(issuer, {
    adapter: createMemoryAdapter(15),
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      redirect_uris: client.redirectUris,
      jwks: client.jwks,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'RS256',
      response_types: ['code'],
      grant_types: ['authorization_code'],
    })),
    jwks: { keys: [signing.privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: SCOPES,
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub'],
      email: ['email', 'email_verified'],
      all_emails: ['all_emails'],
    },
    acrValues: [AUTH_ONLY_ACR],
    pkce: { required: () => true },
    interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      // Login.gov offers neither; leaving them on would advertise what production cannot do.
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: false },
    },
    // Set, rather than left to defaults that print a notice on first use.
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    clientBasedCORS: () => false,
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: account.email, email_verified: true, all_emails: [...account.allEmails] }),
      };
    },
    // Consent is implied for these clients: the service is the only one, so there is no page to agree on.
    async loadExistingGrant(ctx: Ctx) {
      const { client, session, result, provider: self } = ctx.oidc;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await self.Grant.find(grantId) : undefined;
      if (existing && existing.accountId === session.accountId) return existing;
      const grant = new self.Grant({ accountId: session.accountId!, clientId: client.clientId });
      grant.addOIDCScope(SCOPES.join(' '));
      await grant.save();
      return grant;
    },
    async renderError(ctx: { type: string; body: string }, out: { error: string; error_description?: string }) {
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description);
    },
  });
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, action: string): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') return send(res, 200, signInPage({ action }));
    if (req.method !== 'POST' || details.prompt.name !== 'login') return send(res, 405, errorPage('method_not_allowed', undefined));
    const checked = accountFrom(await readForm(req), action);
    if ('page' in checked) return send(res, 400, checked.page);
    const sub = createHash('sha256').update(checked.email).digest('hex').slice(0, 32);
    accounts.set(sub, checked);
    // The one level this stand-in offers; it lands in the ID token's `acr`, as Login.gov's does.
    const login = { accountId: sub, acr: AUTH_ONLY_ACR, remember: false };
    await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
  }

  handle = (req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (!INTERACTION_PATH.test(path)) return callback(req, res);
    interaction(req, res, path).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      const gone = error instanceof errors.SessionNotFound;
      send(res, gone ? 400 : 500, errorPage(gone ? 'session_not_found' : 'server_error', gone ? 'Start the sign-in again.' : undefined));
    });
  };

  let closing: Promise<void> | undefined;
  return {
    issuer,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
