import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newClientKey, startOidcProvider } from '../local/oidc-provider';
import type { Check } from './iam-gateway';
import { JourneyFailure } from './journey-steps';
import { Rehearsal } from './rehearsal';
import { synthesize } from './synthesize';

/** The client id the rehearsal registers with its provider, as an operator would with Login.gov. */
const CLIENT_ID = 'urn:gov:gsa:openidconnect.profiles:sp:sso:rehearsal:gatekeeper';

export interface OidcRehearsalReport {
  readonly ok: boolean;
  readonly error?: string;
  /** The AWS calls the sign-in made, each checked against its role's and the resources' policies. */
  readonly checks: readonly Check[];
  readonly denied: readonly Check[];
  readonly ms: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function expectThat(condition: boolean, what: string): void {
  if (!condition) throw new JourneyFailure(what);
}

/**
 * The stack deployed with an OpenID provider (`-c oidcIssuer`, `-c oidcClientId`): a real
 * provider on loopback stands in for Login.gov, the administrator puts the client's private key in
 * the stack's `OidcClientKey` secret, and a sponsor signs in through the sign-in function under its
 * own role — the provider's discovery, the `private_key_jwt` token request, userinfo — and lands on
 * the dashboard with a session.
 */
export async function rehearseOidc(
  options: { edit?: (template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }) => void } = {},
): Promise<OidcRehearsalReport> {
  const started = Date.now();
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const outdir = mkdtempSync(join(tmpdir(), 'gatekeeper-rehearsal-oidc-'));
  synthesize(outdir, { oidcIssuer: issuer, oidcClientId: CLIENT_ID });
  if (options.edit) {
    // A template changed by hand after synth, as the tests do to prove a refusal is noticed.
    const file = join(outdir, 'SandboxGatekeeper.template.json');
    const template = JSON.parse(readFileSync(file, 'utf8'));
    options.edit(template);
    writeFileSync(file, JSON.stringify(template));
  }
  const rehearsal = await Rehearsal.open({ assemblyDir: outdir });
  const key = await newClientKey();
  const provider = await startOidcProvider({
    host: '127.0.0.1',
    port,
    clients: [
      { clientId: CLIENT_ID, jwks: { keys: [key.publicJwk] }, redirectUris: [`https://${rehearsal.model.apiDomain}/auth/callback`] },
    ],
  });
  let error: string | undefined;
  try {
    const secretArn = rehearsal.model.outputs.OidcClientKeySecretArn;
    expectThat(secretArn !== undefined, 'the stack names the OIDC client key secret (output OidcClientKeySecretArn)');
    rehearsal.gateway.putSecretAsAdministrator(secretArn!, JSON.stringify(key.privateJwk));
    await signInWithProvider(rehearsal, 'olga.sponsor@gsa.gov');
  } catch (failure) {
    error = (failure as Error).message;
  } finally {
    await provider.close();
    await rehearsal.close();
    rmSync(outdir, { recursive: true, force: true });
  }
  const checks = [...rehearsal.gateway.checks];
  const denied = rehearsal.gateway.denied();
  const refused = denied.map((check) => `AccessDenied: ${check.reason}`).join('\n');
  const message = [refused, error].filter(Boolean).join('\nthen: ');
  return { ok: !message, ...(message ? { error: message } : {}), checks, denied, ms: Date.now() - started };
}

/** A browser's round trip: the service's redirect, the provider's sign-in page, the callback, the dashboard. */
async function signInWithProvider(rehearsal: Rehearsal, sponsor: string): Promise<void> {
  const start = await rehearsal.http('GET', '/sign-in?next=%2Fsponsors', { headers: { accept: 'text/html' } });
  expectThat(start.status === 302, `GET /sign-in redirects to the provider (got ${start.status} ${start.body.slice(0, 200)})`);
  const signInCookie = start.cookies.map((cookie) => cookie.split(';')[0]!).filter((pair) => pair.startsWith('__Host-gk-sign-in='));
  const providerCookies = new Map<string, string>();
  const visit = async (url: string, form?: Record<string, string>) => {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...providerCookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      providerCookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return response;
  };
  let url = start.headers.Location ?? start.headers.location ?? '';
  let page = await visit(url);
  while (page.status >= 300 && page.status < 400) {
    url = new URL(page.headers.get('location')!, url).href;
    page = await visit(url);
  }
  const form = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(form)?.[1];
  expectThat(action !== undefined, 'the provider shows its sign-in page');
  let answer = await visit(new URL(action!, url).href, { email: sponsor, other_emails: '' });
  const callbackPrefix = `https://${rehearsal.model.apiDomain}/auth/callback?`;
  let location = answer.headers.get('location') ?? '';
  while (answer.status >= 300 && answer.status < 400 && !location.startsWith(callbackPrefix)) {
    url = new URL(location, url).href;
    answer = await visit(url);
    location = answer.headers.get('location') ?? '';
  }
  expectThat(
    location.startsWith(callbackPrefix),
    `the provider sends the browser back to /auth/callback (got ${answer.status} ${location})`,
  );
  const callback = new URL(location);
  const back = await rehearsal.http('GET', `${callback.pathname}${callback.search}`, {
    headers: { accept: 'text/html' },
    cookies: signInCookie,
  });
  expectThat(back.status === 303, `the callback signs the sponsor in (got ${back.status} ${back.body.slice(0, 300)})`);
  const session = back.cookies.map((cookie) => cookie.split(';')[0]!).filter((pair) => pair.startsWith('__Host-gk-session='));
  const dashboard = await rehearsal.http('GET', '/sponsors', { cookies: session });
  expectThat(dashboard.status === 200, `the dashboard in the session (got ${dashboard.status})`);
  expectThat((JSON.parse(dashboard.body) as { sponsor: string }).sponsor === sponsor, 'the session names the sponsor’s mailbox');
}
