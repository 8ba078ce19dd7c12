import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService, stableHeaders } from '../support/local-service';

let service: LocalService;

beforeAll(async () => {
  // No cooldown here so that resends can be exercised; the cooldown has its own file.
  service = await LocalService.start({ RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0', RATE_LIMIT_EMAIL_PER_DAY: '3' });
});
afterAll(async () => {
  await service.dispose();
});

async function accountStatus(email: string): Promise<string | undefined> {
  const { Item } = await service
    .documentClient()
    .send(new GetCommand({ TableName: 'sandbox-gatekeeper', Key: { pk: `ACCOUNT#${email}`, sk: 'ACCOUNT' }, ConsistentRead: true }));
  return Item?.status as string | undefined;
}

describe('gov/mil sign-up, end to end through the local server', () => {
  it('sign-up → email in the SES mailbox → confirmation page → POST → active', async () => {
    const signUp = await service.postJson('/signup', { email: '  Jane.Doe@Agency.GOV ', name: 'Jane Doe' });
    expect(signUp.status).toBe(202);
    // The answer names the address written to: trimmed and lower-cased, as the server keeps it.
    expect(await signUp.json()).toEqual({ status: 'verification_sent', email: 'jane.doe@agency.gov' });

    const [email, ...others] = await service.emailsTo('jane.doe@agency.gov');
    expect(others).toHaveLength(0);
    expect(email!.destination).toEqual({ to: ['jane.doe@agency.gov'], cc: [], bcc: [] });
    const token = await service.latestToken('jane.doe@agency.gov');
    const link = `${service.baseUrl.replace('127.0.0.1', 'localhost')}/verify?token=${token}`;
    expect(email!.body.text).toContain(link);
    expect(email!.body.html).toContain(`href="${link}"`);

    const page = await service.fetch(`/verify?token=${token}`);
    expect(page.status).toBe(200);
    const markup = await page.text();
    expect(markup).toMatch(/<form class="usa-form" method="post" action="\/verify"/);
    expect(markup).not.toMatch(/<script>|http-equiv/i);
    expect(await accountStatus('jane.doe@agency.gov')).toBe('pending');

    const confirm = await service.postJson('/verify', { token });
    expect(confirm.status).toBe(200);
    expect(await confirm.json()).toEqual({ status: 'active' });
    expect(await accountStatus('jane.doe@agency.gov')).toBe('active');

    const again = await service.postJson('/verify', { token });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'already_verified' });

    const done = await service.fetch(`/verify?token=${token}`);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('already been used');
  });

  it('works with plain HTML form posts and no JavaScript', async () => {
    const form = await service.postForm('/signup', { email: 'form.user@us.af.mil', name: '' });
    expect(form.status).toBe(202);
    expect(form.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await form.text()).toContain('Check your email');

    const token = await service.latestToken('form.user@us.af.mil');
    const confirm = await service.postForm('/verify', { token });
    // POST-redirect-GET: the outcome's page is a GET, so a reload posts nothing again.
    expect(confirm.status).toBe(303);
    expect(await (await service.fetch(confirm.headers.get('location')!)).text()).toContain('Your sandbox account is active');
  });

  it('re-renders the form with the error tied to the field for a bad address', async () => {
    const response = await service.postForm('/signup', { email: 'someone@contractor.com' });
    expect(response.status).toBe(422);
    const markup = await response.text();
    expect(markup).toContain('aria-describedby="email-hint email-error"');
    expect(markup).toContain('value="someone@contractor.com"');
    expect(markup).toContain('href="/contractors"');
  });

  it('link scanners: any number of GETs and HEADs change nothing', async () => {
    await service.postJson('/signup', { email: 'scanned@agency.gov' });
    const token = await service.latestToken('scanned@agency.gov');
    const agents = ['Mozilla/5.0 (compatible; SafeLinks)', 'Proofpoint URL Defense', 'HeadlessChrome/120', 'curl/8'];
    for (const agent of agents) {
      for (const method of ['GET', 'HEAD']) {
        const response = await service.fetch(`/verify?token=${token}`, { method, headers: { 'user-agent': agent } });
        expect(response.status).toBe(200);
      }
    }
    expect(await accountStatus('scanned@agency.gov')).toBe('pending');
    expect((await service.postJson('/verify', { token })).status).toBe(200);
  });

  it('20 concurrent POSTs of one token: exactly one 200, the rest 409', async () => {
    await service.postJson('/signup', { email: 'race@agency.gov' });
    const token = await service.latestToken('race@agency.gov');
    const responses = await Promise.all(Array.from({ length: 20 }, () => service.postJson('/verify', { token })));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(19).fill(409)]);
  });

  it('a double-submitted sign-up makes one record and the newest link wins', async () => {
    await Promise.all([
      service.postJson('/signup', { email: 'twice@agency.gov' }),
      service.postJson('/signup', { email: 'twice@agency.gov' }),
    ]);
    const sent = await service.emailsTo('twice@agency.gov');
    expect(sent.length).toBeGreaterThanOrEqual(1);
    const token = await service.latestToken('twice@agency.gov');
    expect((await service.postJson('/verify', { token })).status).toBe(200);
  });

  it('a stranger’s resend cancels nothing: the older link still works, and once one is used the other is done', async () => {
    await service.postJson('/signup', { email: 'resend@agency.gov' });
    const first = await service.latestToken('resend@agency.gov');
    await service.postJson('/signup', { email: 'resend@agency.gov' });
    const second = await service.latestToken('resend@agency.gov');
    expect(second).not.toBe(first);

    expect((await service.fetch(`/verify?token=${first}`)).status).toBe(200);
    expect((await service.postJson('/verify', { token: first })).status).toBe(200);
    const other = await service.postJson('/verify', { token: second });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: 'already_verified' });
  });

  it('no account enumeration: new, pending, active and over-limit addresses get identical answers', async () => {
    // Addresses of one length: each answer names the address it was sent, and nothing else differs (not even a length).
    const [fresh, pending, active, limited] = ['person.new', 'person.pen', 'person.act', 'person.lim'].map((name) => `${name}@agency.gov`);
    await service.postJson('/signup', { email: active });
    await service.postJson('/verify', { token: await service.latestToken(active!) });
    await service.postJson('/signup', { email: pending });
    for (let i = 0; i < 3; i++) await service.postJson('/signup', { email: limited });

    const answers = [];
    for (const email of [fresh!, pending!, active!, limited!]) {
      for (const post of [() => service.postJson('/signup', { email }), () => service.postForm('/signup', { email })]) {
        const response = await post();
        const body = await response.text();
        expect(body).toContain(email);
        answers.push({
          kind: response.headers.get('content-type'),
          status: response.status,
          headers: stableHeaders(response),
          body: body.replaceAll(email, '<the address sent>'),
        });
      }
    }
    const json = answers.filter((answer) => answer.kind?.startsWith('application/json'));
    const pages = answers.filter((answer) => answer.kind?.startsWith('text/html'));
    expect(json).toHaveLength(4);
    expect(new Set(json.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(new Set(pages.map((answer) => JSON.stringify(answer))).size).toBe(1);
  });

  it('an active owner gets a notice instead of a new link', async () => {
    await service.postJson('/signup', { email: 'owner@agency.gov' });
    await service.postJson('/verify', { token: await service.latestToken('owner@agency.gov') });
    await service.postJson('/signup', { email: 'owner@agency.gov' });
    const last = (await service.emailsTo('owner@agency.gov')).at(-1)!;
    expect(last.subject).toBe('You already have a sandbox account');
    expect(last.body.text).not.toContain('/verify?token=');
  });

  it('past the daily cap: still 202, nothing sent, and the older link keeps working', async () => {
    for (let i = 0; i < 3; i++) await service.postJson('/signup', { email: 'capped@agency.gov' });
    const token = await service.latestToken('capped@agency.gov');
    const before = (await service.emailsTo('capped@agency.gov')).length;
    const response = await service.postJson('/signup', { email: 'capped@agency.gov' });
    expect(response.status).toBe(202);
    expect((await service.emailsTo('capped@agency.gov')).length).toBe(before);
    expect((await service.postJson('/verify', { token })).status).toBe(200);
  });

  it('never writes a raw token or a full address to the logs', async () => {
    await service.postJson('/signup', { email: 'secret.person@agency.gov' });
    const token = await service.latestToken('secret.person@agency.gov');
    await service.fetch(`/verify?token=${token}`);
    await service.postJson('/verify', { token });
    await service.postJson('/verify', { token });
    const logs = service.output.join('\n');
    expect(logs).toContain('s***@agency.gov');
    expect(logs).not.toContain('secret.person@agency.gov');
    expect(logs).not.toContain(token);
  });
});
