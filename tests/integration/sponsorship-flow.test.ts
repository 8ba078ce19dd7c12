import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_JWT } from '../../functions/adapters/jose-approval-tokens';
import { parseKeySet } from '../../functions/adapters/signing-keys';
import type { Account } from '../../functions/core/account';
import { LocalService } from '../support/local-service';
import { decideAs, type SponsorSignIn, signInByCode } from '../support/sponsor-session';

let service: LocalService;

beforeAll(async () => {
  service = await LocalService.start({ SPONSOR_REQUESTS_PER_DAY: '3' });
});
afterAll(async () => {
  await service.dispose();
});

let counter = 0;
function request(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    email: `contractor${counter}@acme-corp.com`,
    name: `Casey Contractor ${counter}`,
    company: 'Acme Corp <Federal Services>',
    sponsorEmail: `sponsor${counter}@agency.gov`,
    justification: 'Building the benefits integration for the agency.\nNeeds the test IdP.',
    ...overrides,
  };
}

async function account(email: string): Promise<Account | undefined> {
  const { Item } = await service
    .documentClient()
    .send(new GetCommand({ TableName: 'sandbox-gatekeeper', Key: { pk: `ACCOUNT#${email}`, sk: 'ACCOUNT' }, ConsistentRead: true }));
  return Item as Account | undefined;
}

const reviewToken = (sponsor: string) => service.reviewToken(sponsor);

/** A contractor's request, confirmed by the contractor: the sponsor now holds a review link. */
async function awaitingSponsor(overrides: Record<string, unknown> = {}) {
  const body = request(overrides);
  expect((await service.postJson('/sponsorships', body)).status).toBe(202);
  expect(await service.emailsTo(body.sponsorEmail)).toHaveLength(0);
  const confirm = await service.postJson('/verify', { token: await service.latestToken(body.email) });
  expect(await confirm.json()).toEqual({ status: 'awaiting_sponsor' });
  return { ...body, token: await reviewToken(body.sponsorEmail) };
}

/** The request's sponsor, signed in by the emailed code: a decision needs their session. */
async function awaitingSignedInSponsor(overrides: Record<string, unknown> = {}) {
  const flow = await awaitingSponsor(overrides);
  return { ...flow, sponsor: await signInByCode(service, flow.sponsorEmail) };
}

const decide = (sponsor: SponsorSignIn, body: Record<string, string>) => decideAs(service, sponsor, body);

function keySet() {
  return parseKeySet(readFileSync(join(service.dataDir, 'signing-keys.json'), 'utf8'), 'test');
}

describe('contractor sponsorship, end to end through the local server', () => {
  it('request → contractor confirms → sponsor emailed → review page → signs in → Approve → contractor active and emailed, sponsor gets a receipt', async () => {
    const flow = await awaitingSponsor();
    const [sponsorEmail] = await service.emailsTo(flow.sponsorEmail);
    expect(sponsorEmail!.destination.to).toEqual([flow.sponsorEmail]);
    expect(sponsorEmail!.body.text).toContain(flow.email);
    expect(sponsorEmail!.body.text).toContain('an external address at acme-corp.com');

    // Signed out, the review page shows the request and a way to sign in, and no decision form.
    const page = await service.fetch(`/sponsorships/review?token=${flow.token}`);
    expect(page.status).toBe(200);
    const markup = await page.text();
    expect(markup).toContain(flow.email);
    expect(markup).toContain('Building the benefits integration');
    expect(markup).toContain('Acme Corp &lt;Federal Services&gt;');
    expect(markup).toContain(`href="/sign-in?next=${encodeURIComponent(`/sponsorships/review?token=${flow.token}`)}"`);
    expect(markup).toContain('Sign in to decide');
    expect(markup).not.toContain('action="/sponsorships/decision"');
    expect(markup).not.toContain('name="decision"');

    // Signed in as the sponsor, the same link shows Approve and Deny, carrying the session's CSRF token.
    const sponsor = await signInByCode(service, flow.sponsorEmail);
    const signedInPage = await (await service.fetch(`/sponsorships/review?token=${flow.token}`, { headers: sponsor.headers })).text();
    expect(signedInPage).toMatch(/<button class="usa-button" type="submit" name="decision" value="approve">Approve<\/button>/);
    expect(signedInPage).toMatch(
      /<button class="usa-button usa-button--secondary" type="submit" name="decision" value="deny">Deny<\/button>/,
    );
    expect(signedInPage).toContain(`<input type="hidden" name="csrf" value="${sponsor.csrf}">`);
    expect(signedInPage).toContain(`<input type="hidden" name="token" value="${flow.token}">`);
    expect((await account(flow.email))?.status, 'opening the page decided nothing').toBe('awaiting_sponsor');

    const decided = await decide(sponsor, { token: flow.token, decision: 'approve' });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toEqual({ status: 'approved', accessExpiresAt: expect.any(String) });

    const stored = await account(flow.email);
    expect(stored).toMatchObject({ status: 'active', sponsoredBy: flow.sponsorEmail });
    const days = (Date.parse(stored!.accessExpiresAt!) - Date.parse(stored!.approvedAt!)) / 86_400_000;
    expect(days).toBe(365);
    expect(stored!.history.at(-1)).toMatchObject({
      event: 'sponsorship_approved',
      by: `sponsor:${flow.sponsorEmail}`,
      ip: '127.0.0.1',
      via: 'emailed_code',
    });
    const outcome = (await service.emailsTo(flow.email)).at(-1)!;
    expect(outcome.subject).toBe('Your sandbox access is approved');
    const receipt = (await service.emailsTo(flow.sponsorEmail)).at(-1)!;
    expect(receipt.subject).toBe('You approved a sandbox access request');
    expect(receipt.body.text).toContain(flow.email);
    expect(receipt.body.text).toMatch(/\/sponsors\b/);

    const again = await decide(sponsor, { token: flow.token, decision: 'deny' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'already_decided', status: 'approved' });
    const decidedPage = await service.fetch(`/sponsorships/review?token=${flow.token}`);
    expect(decidedPage.status).toBe(200);
    expect(await decidedPage.text()).toContain('already decided');
  });

  it('a link alone decides nothing: without a session the POST is 401 sign_in_required and nothing changes', async () => {
    const flow = await awaitingSponsor();
    for (const post of [
      () => service.postJson('/sponsorships/decision', { token: flow.token, decision: 'approve' }),
      () => service.postForm('/sponsorships/decision', { token: flow.token, decision: 'approve' }, { accept: 'application/json' }),
    ]) {
      const refused = await post();
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: 'sign_in_required' });
    }
    expect((await account(flow.email))?.status).toBe('awaiting_sponsor');
    expect(await service.emailsTo(flow.email)).toHaveLength(1);
  });

  it('with HTML form posts: Deny with a reason → denied, and the contractor is told the reason', async () => {
    const flow = await awaitingSignedInSponsor();
    const response = await service.postForm(
      '/sponsorships/decision',
      { token: flow.token, decision: 'deny', reason: 'Not on my team.', csrf: flow.sponsor.csrf },
      flow.sponsor.headers,
    );
    expect(response.status).toBe(303);
    expect(await (await service.fetch(response.headers.get('location')!)).text()).toContain('You denied the request');
    expect(await account(flow.email)).toMatchObject({ status: 'denied', decisionReason: 'Not on my team.' });
    const outcome = (await service.emailsTo(flow.email)).at(-1)!;
    expect(outcome.subject).toBe('Your sandbox access request was not approved');
    expect(outcome.body.text).toContain('Not on my team.');
    expect((await service.emailsTo(flow.sponsorEmail)).at(-1)?.subject).toBe('You denied a sandbox access request');
  });

  it('mail scanners: GETs and HEADs of the review link change nothing', async () => {
    const flow = await awaitingSponsor();
    for (const method of ['GET', 'HEAD', 'GET']) {
      expect((await service.fetch(`/sponsorships/review?token=${flow.token}`, { method })).status).toBe(200);
    }
    expect((await account(flow.email))?.status).toBe('awaiting_sponsor');
    expect(await service.emailsTo(flow.email)).toHaveLength(1);
  });

  it('20 concurrent decisions: exactly one 200, the rest 409 with the standing status', async () => {
    const flow = await awaitingSignedInSponsor();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => decide(flow.sponsor, { token: flow.token, decision: i % 2 ? 'deny' : 'approve' })),
    );
    const winners = responses.filter((response) => response.status === 200);
    expect(winners).toHaveLength(1);
    expect(responses.filter((response) => response.status === 409)).toHaveLength(19);
    const { status } = (await winners[0]!.json()) as { status: string };
    expect(['approved', 'denied']).toContain(status);
    expect((await account(flow.email))?.status).toBe(status === 'approved' ? 'active' : 'denied');
    for (const loser of responses.filter((response) => response.status === 409)) {
      expect(await loser.json()).toMatchObject({ error: 'already_decided', status });
    }
    expect((await service.emailsTo(flow.email)).filter((email) => email.subject.startsWith('Your sandbox access'))).toHaveLength(1);
    expect(
      (await service.emailsTo(flow.sponsorEmail)).filter((email) => /^You (approved|denied) a sandbox access request$/.test(email.subject)),
      'one receipt',
    ).toHaveLength(1);
  });

  it('approve and deny racing: one wins and the record agrees with it', async () => {
    const flow = await awaitingSignedInSponsor();
    const [approve, deny] = await Promise.all([
      decide(flow.sponsor, { token: flow.token, decision: 'approve' }),
      decide(flow.sponsor, { token: flow.token, decision: 'deny' }),
    ]);
    expect([approve.status, deny.status].sort()).toEqual([200, 409]);
    const expected = approve.status === 200 ? 'active' : 'denied';
    expect((await account(flow.email))?.status).toBe(expected);
  });
});

describe('refusals at POST /sponsorships', () => {
  it.each([
    ['a malformed contractor address', { email: 'not-an-address' }, 400, 'invalid_email', 'email'],
    ['a malformed sponsor address', { sponsorEmail: 'boss@agency.gov@evil.com' }, 400, 'invalid_email', 'sponsorEmail'],
    [
      'the sponsor is the requester',
      { email: 'Same@Agency.gov', sponsorEmail: 'same@agency.gov ' },
      422,
      'sponsor_is_requester',
      'sponsorEmail',
    ],
    ['an eligible contractor address', { email: 'fed@agency.gov' }, 422, 'use_direct_signup', 'email'],
    ['a sponsor outside .gov/.mil', { sponsorEmail: 'boss@agency.gov.evil.com' }, 422, 'sponsor_not_eligible', 'sponsorEmail'],
    ['a missing name', { name: '' }, 400, 'invalid_request', 'name'],
    ['a missing company', { company: '   ' }, 400, 'invalid_request', 'company'],
    ['a missing justification', { justification: undefined }, 400, 'invalid_request', 'justification'],
    ['a justification over 1,000 characters', { justification: 'j'.repeat(1001) }, 400, 'invalid_request', 'justification'],
    ['a company with control characters', { company: 'Acme\u0007' }, 400, 'invalid_request', 'company'],
    ['a sponsor address as an array', { sponsorEmail: ['a@agency.gov', 'b@agency.gov'] }, 400, 'invalid_request', 'sponsorEmail'],
  ])('%s → %i %s naming %s, and nobody is emailed', async (_case, overrides, status, error, field) => {
    const before = (await service.emails()).length;
    const response = await service.postJson('/sponsorships', request(overrides));
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error, field });
    expect((await service.emails()).length).toBe(before);
  });

  it('re-renders the contractor form with the error next to the field for a form post', async () => {
    const response = await service.postForm('/sponsorships', request({ sponsorEmail: 'boss@gmail.com' }) as Record<string, string>);
    expect(response.status).toBe(422);
    const markup = await response.text();
    expect(markup).toContain('id="sponsorEmail-error"');
    expect(markup).toContain('value="boss@gmail.com"');
  });

  it('caps review emails to one sponsor mailbox per day, counted when they are sent: the next confirmation gets 429 and stays pending', async () => {
    const sponsorEmail = 'popular.sponsor@agency.gov';
    // Unconfirmed requests cost the sponsor nothing.
    for (let i = 0; i < 5; i++) expect((await service.postJson('/sponsorships', request({ sponsorEmail }))).status).toBe(202);
    for (let i = 0; i < 3; i++) await awaitingSponsor({ sponsorEmail: `popular.sponsor+${i}@agency.gov` });
    expect(await service.emailsTo(sponsorEmail)).toHaveLength(0);

    const last = request({ sponsorEmail });
    expect((await service.postJson('/sponsorships', last)).status).toBe(202);
    const token = await service.latestToken(last.email);
    const limited = await service.postJson('/verify', { token });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
    expect((await account(last.email))?.status).toBe('pending');
    expect((await service.fetch(`/verify?token=${token}`)).status).toBe(200);
  });
});

describe('approval tokens over HTTP', () => {
  it('a verification token never works as an approval token, nor an approval token as a verification token', async () => {
    const body = request();
    await service.postJson('/sponsorships', body);
    const verificationToken = await service.latestToken(body.email);
    // Signed in as the sponsor the request names, so that only the token's kind can be at fault.
    const sponsor = await signInByCode(service, body.sponsorEmail);
    const asApproval = await decide(sponsor, { token: verificationToken, decision: 'approve' });
    expect([asApproval.status, await asApproval.json()]).toEqual([400, expect.objectContaining({ error: 'invalid_token' })]);

    const flow = await awaitingSponsor();
    const asVerification = await service.postJson('/verify', { token: flow.token });
    expect(await asVerification.json()).toMatchObject({ error: 'invalid_token' });
    expect((await account(flow.email))?.status).toBe('awaiting_sponsor');
  });

  it('forged tokens are refused with 400 and change nothing, even in the sponsor’s session', async () => {
    const flow = await awaitingSignedInSponsor();
    const stored = (await account(flow.email))!;
    const { signing } = keySet();
    const claims = { sub: stored.requestId!, jti: stored.approvalJti! };
    const now = Math.floor(Date.now() / 1000);
    const sign = (options: { aud?: string; typ?: string; alg?: string; key?: Parameters<SignJWT['sign']>[0] } = {}) =>
      new SignJWT({})
        .setProtectedHeader({ alg: options.alg ?? 'EdDSA', typ: options.typ ?? APPROVAL_JWT.typ, kid: signing.kid })
        .setIssuer(APPROVAL_JWT.issuer)
        .setAudience(options.aud ?? APPROVAL_JWT.audience)
        .setSubject(claims.sub)
        .setJti(claims.jti)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(options.key ?? signing.privateKey);
    const publicKeyBytes = keySet().verification.get(signing.kid)!.export({ format: 'der', type: 'spki' });
    const forged = [
      new UnsecuredJWT({ sub: claims.sub, jti: claims.jti })
        .setIssuer(APPROVAL_JWT.issuer)
        .setAudience(APPROVAL_JWT.audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .encode(),
      await sign({ aud: 'sandbox-gatekeeper:email-verification' }),
      await sign({ typ: 'JWT' }),
      await sign({ alg: 'HS256', key: new Uint8Array(publicKeyBytes) }),
      `${flow.token.slice(0, -4)}AAAA`,
    ];
    for (const token of forged) {
      const response = await decide(flow.sponsor, { token, decision: 'approve' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_token' });
    }
    expect((await account(flow.email))?.status).toBe('awaiting_sponsor');
    // The genuine token still decides.
    expect((await decide(flow.sponsor, { token: flow.token, decision: 'approve' })).status).toBe(200);
  });

  it('a genuine but expired approval token → 410 on the page and the POST, and nothing changes', async () => {
    const flow = await awaitingSignedInSponsor();
    const stored = (await account(flow.email))!;
    const { signing } = keySet();
    const issuedAt = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', typ: APPROVAL_JWT.typ, kid: signing.kid })
      .setIssuer(APPROVAL_JWT.issuer)
      .setAudience(APPROVAL_JWT.audience)
      .setSubject(stored.requestId!)
      .setJti(stored.approvalJti!)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 60)
      .sign(signing.privateKey);
    expect((await service.fetch(`/sponsorships/review?token=${expired}`)).status).toBe(410);
    const response = await decide(flow.sponsor, { token: expired, decision: 'approve' });
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ error: 'expired_token' });
    expect((await account(flow.email))?.status).toBe('awaiting_sponsor');
  });

  it('never logs a JWT, a session, a sign-in code or a full address', async () => {
    const flow = await awaitingSignedInSponsor();
    await decide(flow.sponsor, { token: flow.token, decision: 'approve' });
    await decide(flow.sponsor, { token: flow.token, decision: 'approve' });
    const logs = service.output.join('\n');
    expect(logs).not.toContain(flow.token);
    expect(logs).not.toContain(flow.token.split('.')[2]!);
    const session = flow.sponsor.cookie.slice(flow.sponsor.cookie.indexOf('=') + 1);
    expect(logs).not.toContain(session.split('.')[2]!);
    expect(logs).not.toContain(flow.sponsor.csrf);
    const code = /(\d{6})/.exec(
      (await service.emailsTo(flow.sponsorEmail)).find((email) => /sign-in code/.test(email.subject))!.subject,
    )![1]!;
    expect(logs).not.toMatch(new RegExp(`\\b${code}\\b`));
    expect(logs).not.toContain(flow.email);
    expect(logs).not.toContain(flow.sponsorEmail);
  });
});
