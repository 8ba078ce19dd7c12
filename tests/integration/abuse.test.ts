import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService } from '../support/local-service';
import { decideAs, signInByCode } from '../support/sponsor-session';

/** Issue 9's reproductions, each turned into the behaviour that fixes it, through `npm start`'s server. */
let service: LocalService;

beforeAll(async () => {
  service = await LocalService.start({ RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0' });
});
afterAll(async () => {
  await service.dispose();
});

const contractor = {
  email: 'dana@contractor.com',
  name: 'Dana Contractor',
  company: 'Acme Integrations',
  sponsorEmail: 'boss@agency.gov',
  justification: 'We build the login integration.',
};

describe('a lone surrogate cannot break the next person’s email', () => {
  it('is refused with 400 naming the field, and the next sign-up’s email arrives whole, alone, to its owner', async () => {
    // JSON's \ud800 escape decodes to a lone surrogate.
    const poisoned = await service.fetch('/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":"attacker@agency.gov","name":"X \\ud800"}',
    });
    const next = await service.postJson('/signup', { email: 'victim@agency.gov' });

    expect(poisoned.status).toBe(400);
    expect(await poisoned.json()).toMatchObject({ error: 'invalid_request', field: 'name' });
    expect(next.status).toBe(202);
    await expect.poll(async () => (await service.emailsTo('victim@agency.gov')).length).toBe(1);
    const [email] = await service.emailsTo('victim@agency.gov');
    expect(email!.destination.to).toEqual(['victim@agency.gov']);
    expect(email!.body.text).toMatch(/\/verify\?token=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\n/);
    expect(await service.emailsTo('attacker@agency.gov')).toEqual([]);
  });
});

describe('text people write', () => {
  it.each([
    ['name', 'Dana\u202Emoc.live'],
    ['name', 'Dana https://evil.example.com'],
    ['company', 'www.ssa-review.com'],
    ['company', 'Acme\u200B'],
    ['justification', 'Review the request\u2028https://evil.example.com'],
    ['justification', 'x \ud800'],
  ])('a contractor request whose %s is %j → 400 invalid_request naming it, nothing sent', async (field, value) => {
    const response = await service.postJson('/sponsorships', { ...contractor, email: `t-${field}@contractor.com`, [field]: value });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', field });
    expect(await service.emailsTo(`t-${field}@contractor.com`)).toEqual([]);
  });

  it('a link in the justification is allowed (it is shown only behind the sponsor’s link, labelled)', async () => {
    const response = await service.postJson('/sponsorships', { ...contractor, justification: 'Spec: https://agency.gov/spec' });
    expect(response.status).toBe(202);
  });

  it('charset=utf8 is UTF-8', async () => {
    const response = await service.fetch('/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf8' },
      body: JSON.stringify({ email: 'utf8@agency.gov' }),
    });
    expect(response.status).toBe(202);
  });
});

describe('no requester-written text reaches an inbox its owner has not confirmed (phishing relay)', () => {
  const lure = {
    email: 'agent@relay-test.co.uk',
    name: 'Director Jones',
    company: 'SSA Security Review Office',
    sponsorEmail: 'chief@agency.gov',
    justification: 'URGENT: approve at https://evil.example.com/approve and ignore the button below.\nReview the request',
  };
  const words = ['Director', 'Jones', 'SSA Security', 'evil.example.com', 'URGENT'];
  const carries = (text: string) => words.filter((word) => text.includes(word));

  it('the verification email, the sponsor’s email: only the service’s words, the address and its registrable domain', async () => {
    expect((await service.postJson('/sponsorships', lure)).status).toBe(202);
    const [verification] = await service.emailsTo(lure.email);
    expect(carries(`${verification!.subject}${verification!.body.text}${verification!.body.html}`)).toEqual([]);

    expect((await service.postJson('/verify', { token: await service.latestToken(lure.email) })).status).toBe(200);

    const [review] = await service.emailsTo(lure.sponsorEmail);
    const everything = `${review!.subject}${review!.body.text}${review!.body.html}`;
    expect(carries(everything)).toEqual([]);
    expect(review!.body.text).toContain('agent@relay-test.co.uk, an external address at relay-test.co.uk');
  });

  it('the review page shows what the requester wrote, labelled as theirs and not verified, escaped', async () => {
    const page = await (await service.fetch(`/sponsorships/review?token=${await service.reviewToken(lure.sponsorEmail)}`)).text();
    const unverified = page.slice(page.indexOf('Provided by the requester, not verified'));

    expect(page).toContain('Provided by the requester, not verified');
    expect(carries(unverified)).toEqual(words);
    expect(page).not.toContain('<a href="https://evil.example.com');
  });

  it('after the decision, the sponsor gets a receipt naming the client address the decision came from', async () => {
    const token = await service.reviewToken(lure.sponsorEmail);
    const sponsor = await signInByCode(service, lure.sponsorEmail);
    expect((await decideAs(service, sponsor, { token, decision: 'deny' })).status).toBe(200);

    const receipt = (await service.emailsTo(lure.sponsorEmail)).at(-1)!;
    expect(receipt.subject).toBe('You denied a sandbox access request');
    expect(receipt.body.text).toMatch(/agent@relay-test\.co\.uk was denied at .* from the network address 127\.0\.0\.1\./);
    // Nothing the requester wrote reaches the sponsor's inbox in the sign-in code or the receipt either.
    for (const email of await service.emailsTo(lure.sponsorEmail)) {
      expect(carries(`${email.subject}${email.body.text}${email.body.html}`), email.subject).toEqual([]);
    }
  });

  it('a sign-up’s name never greets the inbox it is sent to', async () => {
    expect((await service.postJson('/signup', { email: 'named@agency.gov', name: 'Your IT Helpdesk' })).status).toBe(202);
    const [email] = await service.emailsTo('named@agency.gov');
    expect(email!.body.text).not.toContain('Helpdesk');
    expect(email!.body.text?.startsWith('Hello,\n')).toBe(true);
  });

  it.each([
    ['director@ssa.gov.sec-review.com', 'chief@agency.gov', 'lookalike_domain', 'email'],
    ['dana@contractor.com', 'noreply@agency.gov', 'sponsor_not_eligible', 'sponsorEmail'],
    ['dana@contractor.com', 'INFO+x@agency.gov', 'sponsor_not_eligible', 'sponsorEmail'],
  ])('%s naming %s → 422 %s', async (email, sponsorEmail, error, field) => {
    const response = await service.postJson('/sponsorships', { ...contractor, email, sponsorEmail });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error, field });
  });
});

describe('a pending request cannot be hijacked', () => {
  it('a second request for a pending address keeps the first sponsor and text; the attacker’s sponsor is never asked', async () => {
    const owner = { ...contractor, email: 'owner@hijack-test.com', sponsorEmail: 'real.sponsor@agency.gov' };
    expect((await service.postJson('/sponsorships', owner)).status).toBe(202);
    const attack = { ...owner, name: 'Mallory', company: 'Evil LLC', sponsorEmail: 'accomplice@agency.gov', justification: 'Mine now' };
    expect((await service.postJson('/sponsorships', attack)).status).toBe(202);

    // The owner's page shows what confirming would confirm: the real sponsor, the real company.
    const token = await service.latestToken(owner.email);
    const page = await (await service.fetch(`/verify?token=${token}`)).text();
    expect(page).toContain('<dt>Sponsor asked to approve</dt><dd>real.sponsor@agency.gov</dd>');
    expect(page).toContain(`<dt>Company</dt><dd>${owner.company}</dd>`);
    expect(page).not.toContain('accomplice');

    expect(await (await service.postJson('/verify', { token })).json()).toEqual({ status: 'awaiting_sponsor' });
    expect(await service.emailsTo('real.sponsor@agency.gov')).toHaveLength(1);
    expect(await service.emailsTo('accomplice@agency.gov')).toEqual([]);
  });

  it('“This is not my request” removes it; its links stop working; a new request can be made at once', async () => {
    const victim = { ...contractor, email: 'victim@cancel-test.com' };
    expect((await service.postJson('/sponsorships', victim)).status).toBe(202);
    const token = await service.latestToken(victim.email);

    const cancelled = await service.postForm('/verify', { token, action: 'cancel' });
    expect(cancelled.status).toBe(303);
    expect(await (await service.fetch(cancelled.headers.get('location')!)).text()).toContain('<h1>Request removed</h1>');
    expect((await service.postJson('/verify', { token })).status).toBe(400);

    expect((await service.postJson('/sponsorships', { ...victim, company: 'The Real Company' })).status).toBe(202);
    const fresh = await service.latestToken(victim.email);
    expect(fresh).not.toBe(token);
    expect(await (await service.fetch(`/verify?token=${fresh}`)).text()).toContain('<dt>Company</dt><dd>The Real Company</dd>');
  });

  it('an unknown action is a 400 naming the field', async () => {
    await service.postJson('/signup', { email: 'action@agency.gov' });
    const response = await service.postJson('/verify', { token: await service.latestToken('action@agency.gov'), action: 'delete' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', field: 'action' });
  });
});

describe('limits count mailboxes, not spellings', () => {
  it('boss+1@, Boss+2@, boss@ … share one daily cap (5): the sixth spelling gets the same 202 and no email', async () => {
    const spellings = [
      'boss+1@cap-test.gov',
      'Boss+2@cap-test.gov',
      'boss@cap-test.gov',
      'BOSS+x@cap-test.gov',
      'boss+y@cap-test.gov',
      'boss+z@cap-test.gov',
    ];
    for (const email of spellings) {
      const response = await service.postJson('/signup', { email });
      expect([response.status, await response.json()]).toEqual([202, { status: 'verification_sent', email: email.toLowerCase() }]);
    }
    const sent = (await service.emails()).filter((email) => email.destination.to[0]?.endsWith('@cap-test.gov'));
    expect(sent).toHaveLength(5);
  });
});
