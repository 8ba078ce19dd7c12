import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenIdIdentityProvider } from '../../functions/adapters/openid-identity-provider';
import { IdentityProofFailed, type SignInExpectation, type SignInStart } from '../../functions/core/identity-provider';
import { AUTH_ONLY_ACR, newClientKey, type RunningOidcProvider, startOidcProvider } from '../../infra/local/oidc-provider';
import { Browser } from '../support/cookie-browser';

const CLIENT_ID = 'urn:gov:gsa:openidconnect.profiles:sp:sso:sandbox:gatekeeper-local';
// Never requested: the browser below stops when the provider sends it there, as the service's callback would take over.
const REDIRECT_URI = 'http://127.0.0.1:9/sponsor/sign-in/callback';

function formAction(html: string, pageUrl: string): string {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no sign-in form on the page:\n${html}`);
  return new URL(action, pageUrl).href;
}

function expectation(start: SignInStart): SignInExpectation {
  return { state: start.state, nonce: start.nonce, codeVerifier: start.codeVerifier, redirectUri: REDIRECT_URI };
}

/** start(), then the sign-in page filled in as a person would: resolves with the callback URL the provider sent the browser to. */
async function signIn(
  client: OpenIdIdentityProvider,
  email: string,
  otherEmails = '',
  browser = new Browser(),
): Promise<{ start: SignInStart; callback: string }> {
  const start = await client.start(REDIRECT_URI);
  const shown = await browser.go(start.url);
  if (!('page' in shown)) throw new Error('the provider skipped its sign-in page');
  expect(shown.page.status).toBe(200);
  const submitted = await browser.go(formAction(await shown.page.text(), shown.url), { email, other_emails: otherEmails }, REDIRECT_URI);
  if (!('callback' in submitted)) throw new Error(`sign-in did not come back: ${submitted.page.status} ${await submitted.page.text()}`);
  return { start, callback: submitted.callback };
}

async function refusal(promise: Promise<unknown>): Promise<IdentityProofFailed> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(IdentityProofFailed);
  return error as IdentityProofFailed;
}

let provider: RunningOidcProvider;
let client: OpenIdIdentityProvider;
let clientKey: Awaited<ReturnType<typeof newClientKey>>;

beforeAll(async () => {
  clientKey = await newClientKey();
  provider = await startOidcProvider({
    host: '127.0.0.1',
    port: 0,
    clients: [{ clientId: CLIENT_ID, jwks: { keys: [clientKey.publicJwk] }, redirectUris: [REDIRECT_URI] }],
  });
  client = new OpenIdIdentityProvider({ issuer: provider.issuer, clientId: CLIENT_ID, privateKey: async () => clientKey.privateJwk });
});

afterAll(() => provider.close());

describe('OpenID sign-in against the local provider', () => {
  it('proves the typed address and every all_emails address, with a stable sub and the requested acr', async () => {
    const browser = new Browser();
    const first = await signIn(client, 'Sponsor@Agency.gov', 'sponsor.alias@agency.gov\nOld.Name@Agency.gov', browser);
    const identity = await client.finish(first.callback, expectation(first.start));
    expect(identity.emails).toEqual(['sponsor@agency.gov', 'sponsor.alias@agency.gov', 'old.name@agency.gov']);
    expect(identity.acr).toBe(AUTH_ONLY_ACR);
    expect(identity.sub).toMatch(/^[0-9a-f]{32}$/);

    // The same browser is asked again (the stand-in never remembers), and the same address is the same person.
    const second = await signIn(client, 'sponsor@agency.gov', '', browser);
    const again = await client.finish(second.callback, expectation(second.start));
    expect(again).toEqual({ sub: identity.sub, acr: AUTH_ONLY_ACR, emails: ['sponsor@agency.gov'] });

    const other = await signIn(client, 'someone.else@agency.gov');
    expect((await client.finish(other.callback, expectation(other.start))).sub).not.toBe(identity.sub);
  });

  it('refuses a callback whose state is not the expected one, before exchanging its code', async () => {
    const flow = await signIn(client, 'state@agency.gov');
    await refusal(client.finish(flow.callback, { ...expectation(flow.start), state: 'another-sign-in-state-value-000000000000' }));
    // Nothing was exchanged: the code still works, once, for the sign-in it belongs to.
    expect((await client.finish(flow.callback, expectation(flow.start))).emails).toEqual(['state@agency.gov']);
  });

  it('refuses a callback URL used a second time', async () => {
    const flow = await signIn(client, 'replay@agency.gov');
    await client.finish(flow.callback, expectation(flow.start));
    const error = await refusal(client.finish(flow.callback, expectation(flow.start)));
    expect(error.cause).toMatchObject({ error: 'invalid_grant', status: 400 });
  });

  it('refuses an ID token whose nonce is not the expected one', async () => {
    const flow = await signIn(client, 'nonce@agency.gov');
    const error = await refusal(client.finish(flow.callback, { ...expectation(flow.start), nonce: randomValue() }));
    expect(error.cause).toMatchObject({ code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' });
  });

  it('is refused at the token endpoint when its private key is not the registered one', async () => {
    const stranger = await newClientKey();
    const impostor = new OpenIdIdentityProvider({
      issuer: provider.issuer,
      clientId: CLIENT_ID,
      privateKey: async () => stranger.privateJwk,
    });
    const flow = await signIn(impostor, 'impostor@agency.gov');
    const error = await refusal(impostor.finish(flow.callback, expectation(flow.start)));
    expect(error.cause).toMatchObject({ error: 'invalid_client', status: 401 });
    // Only the client's authentication failed: with the registered key the same code is good.
    expect((await client.finish(flow.callback, expectation(flow.start))).emails).toEqual(['impostor@agency.gov']);
  });

  it('sends an authorization request with PKCE S256, state, nonce, acr_values and the three scopes', async () => {
    const start = await client.start(REDIRECT_URI);
    const url = new URL(start.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/auth`);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toEqual({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid email all_emails',
      acr_values: AUTH_ONLY_ACR,
      state: start.state,
      nonce: start.nonce,
      code_challenge: createHash('sha256').update(start.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    // Login.gov wants state and nonce of 22 characters or more.
    expect(start.state.length).toBeGreaterThanOrEqual(22);
    expect(start.nonce.length).toBeGreaterThanOrEqual(22);
  });

  it('lets a provider that cannot be reached fail as a network error, never as a refused proof', async () => {
    const down = await startOidcProvider({ host: '127.0.0.1', port: 0, clients: [] });
    const { issuer } = down;
    await down.close();
    const unreachable = new OpenIdIdentityProvider({ issuer, clientId: CLIENT_ID, privateKey: async () => clientKey.privateJwk });
    const error = await unreachable.start(REDIRECT_URI).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).not.toBeInstanceOf(IdentityProofFailed);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' });

    // The failed discovery was not kept: once the provider is back, the same client works.
    const back = await startOidcProvider({ host: '127.0.0.1', port: Number(new URL(issuer).port), clients: [] });
    try {
      expect(new URL((await unreachable.start(REDIRECT_URI)).url).origin).toBe(issuer);
    } finally {
      await back.close();
    }
  });

  it('lets the provider going away between start() and finish() fail as a network error', async () => {
    const key = await newClientKey();
    const brief = await startOidcProvider({
      host: '127.0.0.1',
      port: 0,
      clients: [{ clientId: CLIENT_ID, jwks: { keys: [key.publicJwk] }, redirectUris: [REDIRECT_URI] }],
    });
    const briefClient = new OpenIdIdentityProvider({ issuer: brief.issuer, clientId: CLIENT_ID, privateKey: async () => key.privateJwk });
    const flow = await signIn(briefClient, 'gone@agency.gov');
    await brief.close();
    const error = await briefClient.finish(flow.callback, expectation(flow.start)).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).not.toBeInstanceOf(IdentityProofFailed);
    expect(error).toBeInstanceOf(TypeError);
  });
});

describe('the local provider’s sign-in page', () => {
  async function openSignInPage(): Promise<{ browser: Browser; action: string; html: string }> {
    const browser = new Browser();
    const shown = await browser.go((await client.start(REDIRECT_URI)).url);
    if (!('page' in shown)) throw new Error('the provider skipped its sign-in page');
    expect(shown.page.status).toBe(200);
    expect(shown.page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await shown.page.text();
    return { browser, action: formAction(html, shown.url), html };
  }

  it('says what it is and asks for an address, with labelled fields and one button', async () => {
    const { html } = await openSignInPage();
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<title>Sign in | Development stand-in for Login.gov</title>');
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('<h1>Development sign-in: a stand-in for Login.gov</h1>\n<p>This is a development stand-in for Login.gov.');
    expect(html).toContain('signs anyone in as any address they type');
    expect(html).toContain('<label for="email">Email address</label>');
    expect(html).toContain('<input id="email" name="email" type="email" required autocomplete="email" value="">');
    expect(html).toContain('<label for="other-emails">Other addresses you also own (optional)</label>');
    expect(html).toMatch(/<textarea id="other-emails" name="other_emails"[^>]*aria-describedby="other-emails-hint"/);
    expect(html.match(/<button/g)).toHaveLength(1);
    expect(html).toContain('<button type="submit">Sign in</button>');
    expect(html).not.toContain('<script');
  });

  it('answers an empty or malformed address with 400 and the message tied to the field, and still signs in after', async () => {
    const { browser, action } = await openSignInPage();
    for (const email of ['', 'not an address', 'name@localhost']) {
      const response = await browser.request(action, { email, other_emails: '' });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain('<title>Error: Sign in | Development stand-in for Login.gov</title>');
      expect(html).toContain('<p class="error" id="email-error">Enter an email address in the form name@example.gov.</p>');
      expect(html).toMatch(
        /<input id="email" name="email" type="email" required autocomplete="email" value="[^"]*" aria-invalid="true" aria-describedby="email-error">/,
      );
    }

    const badOther = await browser.request(action, { email: 'fine@agency.gov', other_emails: 'also@agency.gov\nnope' });
    expect(badOther.status).toBe(400);
    const html = await badOther.text();
    expect(html).toContain('<p class="error" id="other-emails-error">“nope” is not an email address: enter one address per line.</p>');
    expect(html).toContain('aria-describedby="other-emails-hint other-emails-error" aria-invalid="true"');
    expect(html).not.toContain('id="email-error"');

    const done = await browser.go(action, { email: 'fine@agency.gov', other_emails: '' }, REDIRECT_URI);
    expect('callback' in done).toBe(true);
  });
});

function randomValue(): string {
  return createHash('sha256').update(String(Math.random())).digest('base64url');
}
