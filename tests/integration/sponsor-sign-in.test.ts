import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoseSessionTokens } from '../../functions/adapters/jose-session-tokens';
import { fileKeys } from '../../functions/adapters/signing-keys';
import type { Account } from '../../functions/core/account';
import { csrfTokenOf } from '../../functions/core/session';
import { itemKeys } from '../../functions/service/table';
import { eventually } from '../support/eventually';
import { LocalService, type SentEmail, stableHeaders } from '../support/local-service';
import { tokenIn } from '../support/mail-links';
import { codeEmails, dashboardOf, decideAs, emailedCode, manageAs, sessionCookieOf, signInByCode } from '../support/sponsor-session';
import { scanItems } from '../support/table-scan';

/**
 * Sponsors sign in (here by the emailed code) and decide inside their session: what an emailed
 * link alone can do (nothing), who may decide (the request's sponsor, in a session, from the
 * session's own form), and what a sign-in reveals (nothing), all through `npm start`.
 */

const TABLE = 'sandbox-gatekeeper';
const SESSION_COOKIE = '__Host-gk-session';

// ---------------------------------------------------------------------------------------------
// Just enough HTML reading for a scanner: links, and forms with their fields and submit buttons.

const decodeEntities = (text: string): string =>
  text.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (_all, dec, hex, named: string | undefined) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[named!.toLowerCase() as 'amp']!;
  });

function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const inner = tag.replace(/^<\s*[a-z0-9-]+/i, '').replace(/\/?>$/, '');
  for (const match of inner.matchAll(/([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g)) {
    attributes[match[1]!.toLowerCase()] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

interface Button {
  readonly name?: string;
  readonly value?: string;
  readonly label: string;
}

interface Form {
  readonly method: string;
  readonly action: string;
  readonly fields: readonly (readonly [string, string])[];
  /** Every submit button; a form without one is submitted once as Enter would. */
  readonly buttons: readonly Button[];
}

/** The `<a href>` targets on a page. */
const linksOf = (html: string): string[] => [...html.matchAll(/<a\b[^>]*>/gi)].flatMap((tag) => attributesOf(tag[0]).href ?? []);

/** The forms on a page, their fields as a browser would send them untouched. */
function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/gi)].map((match) => {
    const form = attributesOf(/^<form\b[^>]*>/i.exec(match[0])![0]);
    const body = match[1]!;
    const fields: [string, string][] = [];
    const buttons: Button[] = [];
    for (const tag of body.matchAll(/<input\b[^>]*>/gi)) {
      const input = attributesOf(tag[0]);
      const type = (input.type ?? 'text').toLowerCase();
      if (type === 'submit') buttons.push({ name: input.name, value: input.value ?? '', label: input.value ?? 'Submit' });
      else if (['button', 'reset', 'image', 'file'].includes(type) || input.name === undefined || 'disabled' in input) continue;
      else if ((type === 'checkbox' || type === 'radio') && !('checked' in input)) continue;
      else fields.push([input.name, input.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
    }
    for (const tag of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const name = attributesOf(`<textarea${tag[1]}>`).name;
      if (name !== undefined) fields.push([name, decodeEntities(tag[2]!)]);
    }
    for (const tag of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attributesOf(`<select${tag[1]}>`).name;
      const options = [...tag[2]!.matchAll(/<option\b[^>]*>/gi)].map((option) => attributesOf(option[0]));
      const chosen = options.find((option) => 'selected' in option) ?? options[0];
      if (name !== undefined && chosen) fields.push([name, chosen.value ?? '']);
    }
    for (const tag of body.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
      const button = attributesOf(`<button${tag[1]}>`);
      if ((button.type ?? 'submit').toLowerCase() !== 'submit') continue;
      buttons.push({ name: button.name, value: button.value ?? '', label: tag[2]!.replace(/<[^>]*>/g, '').trim() });
    }
    return { method: (form.method ?? 'get').toLowerCase(), action: form.action ?? '', fields, buttons };
  });
}

/** Every URL in an email, in its text part and its HTML part. */
function linksInEmail(email: SentEmail): string[] {
  const inText = [...(email.body.text ?? '').matchAll(/https?:\/\/[^\s<>"')]+/g)].map((match) => match[0]);
  const inHtml = linksOf(email.body.html ?? '');
  return [...new Set([...inText, ...inHtml])];
}

// ---------------------------------------------------------------------------------------------

/**
 * A mail security scanner, as docs/design.md §3 describes them: no cookies, opens every link (HEAD, then
 * GET following redirects), follows the links on every page of this service it reaches, and
 * submits every form it finds once per submit button, with the fields as the page filled them in,
 * as a headless browser does from the page (Origin: null, Sec-Fetch-Site: same-origin).
 */
class Scanner {
  pagesOpened = 0;
  headsSent = 0;
  readonly formsSubmitted = new Set<string>();
  buttonsPressed = 0;
  readonly offSite = new Set<string>();
  /** Every answer: method, path, status. */
  readonly answers: { method: string; path: string; status: number }[] = [];
  private readonly opened = new Set<string>();
  private readonly pressed = new Set<string>();
  private readonly origins: readonly string[];

  constructor(private readonly service: LocalService) {
    const { port } = new URL(service.baseUrl);
    this.origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  }

  /** The path of a URL on this service, or undefined for another site. */
  private local(url: string, base = this.service.baseUrl): string | undefined {
    const parsed = new URL(url, base);
    if (!this.origins.includes(parsed.origin)) return undefined;
    return `${parsed.pathname}${parsed.search}`;
  }

  async followEmail(email: SentEmail): Promise<void> {
    for (const url of linksInEmail(email)) {
      const path = this.local(url);
      if (path === undefined) {
        this.offSite.add(url);
        continue;
      }
      const head = await this.service.fetch(path, { method: 'HEAD' });
      this.headsSent++;
      this.answers.push({ method: 'HEAD', path, status: head.status });
      await this.open(path);
    }
  }

  /** GET, following redirects; then every link and form on the page. */
  async open(path: string): Promise<void> {
    if (this.opened.has(path) || path.startsWith('/assets/')) return;
    this.opened.add(path);
    let at = path;
    let response = await this.service.fetch(at);
    this.pagesOpened++;
    this.answers.push({ method: 'GET', path: at, status: response.status });
    for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 10; hops++) {
      const next = this.local(response.headers.get('location') ?? '', `${this.service.baseUrl}${at}`);
      await response.body?.cancel();
      if (next === undefined) return;
      at = next;
      this.opened.add(at);
      response = await this.service.fetch(at);
      this.pagesOpened++;
      this.answers.push({ method: 'GET', path: at, status: response.status });
    }
    await this.read(await response.text(), at);
  }

  private async read(html: string, pageUrl: string): Promise<void> {
    for (const form of formsOf(html)) {
      for (const button of form.buttons.length ? form.buttons : [{ label: '(Enter)' }]) await this.press(form, button, pageUrl);
    }
    for (const href of linksOf(html)) {
      if (href.startsWith('#')) continue;
      const path = this.local(href, `${this.service.baseUrl}${pageUrl}`);
      if (path === undefined) this.offSite.add(href);
      else await this.open(path.replace(/#.*$/, ''));
    }
  }

  private async press(form: Form, button: Button, pageUrl: string): Promise<void> {
    const action = this.local(form.action || pageUrl, `${this.service.baseUrl}${pageUrl}`);
    if (action === undefined) return;
    const fields = new URLSearchParams(form.fields.map(([name, value]) => [name, value]));
    if (button.name) fields.append(button.name, button.value ?? '');
    const signature = `${form.method} ${action} ${fields.toString()}`;
    if (this.pressed.has(signature)) return;
    this.pressed.add(signature);
    this.formsSubmitted.add(`${form.method} ${action} ${new URLSearchParams(form.fields.map(([n, v]) => [n, v])).toString()}`);
    this.buttonsPressed++;
    if (form.method !== 'post') {
      await this.open(`${action.replace(/\?.*$/, '')}?${fields.toString()}`);
      return;
    }
    let response = await this.service.postForm(action, fields.toString(), { origin: 'null', 'sec-fetch-site': 'same-origin' });
    this.answers.push({ method: 'POST', path: action, status: response.status });
    let at = action;
    for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 10; hops++) {
      const next = this.local(response.headers.get('location') ?? '', `${this.service.baseUrl}${at}`);
      await response.body?.cancel();
      if (next === undefined) return;
      at = next;
      if (this.opened.has(at)) return;
      this.opened.add(at);
      response = await this.service.fetch(at);
      this.pagesOpened++;
      this.answers.push({ method: 'GET', path: at, status: response.status });
    }
    await this.read(await response.text(), at);
  }

  /** Opens every link of every email to `addresses` not read yet, until no new email arrives. */
  async readMailboxes(addresses: readonly string[], read: Set<string>): Promise<number> {
    let emails = 0;
    for (;;) {
      const unread = (await Promise.all(addresses.map((address) => this.service.emailsTo(address))))
        .flat()
        .filter((email) => !read.has(email.messageId));
      if (!unread.length) return emails;
      for (const email of unread) {
        read.add(email.messageId);
        emails++;
        await this.followEmail(email);
      }
    }
  }

  tally(): string {
    const statuses = new Map<string, number>();
    for (const answer of this.answers) {
      const key = `${answer.method} ${answer.status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    return [
      `${this.pagesOpened} pages opened (GET, redirects included), ${this.headsSent} HEADs`,
      `${this.formsSubmitted.size} forms submitted, ${this.buttonsPressed} buttons pressed`,
      `${this.offSite.size} off-site links not followed`,
      `answers: ${[...statuses].map(([key, count]) => `${key} ×${count}`).join(', ')}`,
    ].join('; ');
  }

  /** What it did, once each, tokens elided: for the reader of the test's output. */
  trail(): string {
    const steps = this.answers.map(({ method, path, status }) => `${method} ${path.replace(/token(=|%3D)[^&]+/g, 'token$1…')} → ${status}`);
    return [...new Set(steps)].join('\n  ');
  }
}

/** The account and sponsor items (what an operator's `npm run admin show` reads), by key. */
async function stateOf(service: LocalService): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  for (const item of await scanItems(service.documentClient(), TABLE)) {
    if (/^(ACCOUNT|SPONSOR)#/.test(String(item.pk))) items.set(`${item.pk} ${item.sk}`, item);
  }
  return items;
}

/** The keys whose items differ between two states (added, removed or changed). */
function changedKeys(before: Map<string, unknown>, after: Map<string, unknown>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => JSON.stringify(before.get(key)) !== JSON.stringify(after.get(key))).sort();
}

function accountOf(service: LocalService, email: string): Promise<Account | undefined> {
  return service
    .documentClient()
    .send(new GetCommand({ TableName: TABLE, Key: itemKeys.account(email), ConsistentRead: true }))
    .then(({ Item }) => Item as Account | undefined);
}

const DECISION_SUBJECTS =
  /approved|not approved|You (approved|denied|renewed|ended)|access is renewed|access was ended|Someone tried to decide/;

/** A contractor's request naming `sponsor`; confirmed unless told otherwise. */
async function request(service: LocalService, email: string, sponsor: string, confirm = true) {
  const body = {
    email,
    name: `Casey ${email.split('@')[0]}`,
    company: 'Acme Corp',
    sponsorEmail: sponsor,
    justification: 'The integration.',
  };
  expect((await service.postJson('/sponsorships', body)).status).toBe(202);
  const verify = await service.latestToken(email);
  if (!confirm) return { email, verify, review: '', requestId: '' };
  expect(await (await service.postJson('/verify', { token: verify })).json()).toEqual({ status: 'awaiting_sponsor' });
  const reviewEmail = await eventually(
    async () => (await service.emailsTo(sponsor)).find((mail) => mail.subject.includes('names you') && mail.body.text?.includes(email)),
    Boolean,
  );
  const review = tokenIn(reviewEmail!.body.text, '/sponsorships/review')!;
  return { email, verify, review, requestId: (await accountOf(service, email))!.requestId! };
}

const errorOf = async (response: Response) => [response.status, ((await response.json()) as { error?: string }).error];

describe('access of 10 seconds, reminded at once, a sweep every second', () => {
  let service: LocalService;
  beforeAll(async () => {
    service = await LocalService.start({
      // Short access, reminded at once: reminders, receipts and expiries all reach the inboxes.
      CONTRACTOR_ACCESS_SECONDS: '10',
      RENEWAL_NOTICE_SECONDS: '9',
      SWEEP_INTERVAL_SECONDS: '1',
      RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0',
      RATE_LIMIT_EMAIL_PER_DAY: '50',
      SANDBOX_URL: 'https://sandbox.example.test',
    });
  });
  afterAll(async () => {
    await service.dispose();
  });

  it('in the sponsor’s mailbox changes no account and decides nothing; in the contractors’ only a live verification link’s button acts, confirming that contractor’s own address (as the design accepts)', async () => {
    const sponsor = 'morgan.sponsor@agency.gov';
    // Every kind of email each side gets: awaiting, approved then expired, renewed then expired, ended, denied, pending.
    const waiting = await request(service, 'waiting@acme-corp.com', sponsor);
    const lapsed = await request(service, 'lapsed@acme-corp.com', sponsor);
    const renewed = await request(service, 'renewed@acme-corp.com', sponsor);
    const ended = await request(service, 'ended@acme-corp.com', sponsor);
    const denied = await request(service, 'denied@acme-corp.com', sponsor);
    const pending = await request(service, 'pending@acme-corp.com', sponsor, false);
    const contractors = [waiting, lapsed, renewed, ended, denied, pending].map((contractor) => contractor.email);

    const session = await signInByCode(service, sponsor);
    const intruder = await signInByCode(service, 'someone.else@agency.gov');
    expect(await errorOf(await decideAs(service, intruder, { token: waiting.review, decision: 'approve' }))).toEqual([
      403,
      'not_the_sponsor',
    ]);
    for (const contractor of [lapsed, renewed]) {
      expect((await decideAs(service, session, { token: contractor.review, decision: 'approve' })).status).toBe(200);
    }
    expect((await decideAs(service, session, { requestId: ended.requestId, decision: 'approve' })).status).toBe(200);
    expect((await manageAs(service, session, { requestId: ended.requestId, action: 'end', reason: 'Done.' })).status).toBe(200);
    expect((await decideAs(service, session, { token: denied.review, decision: 'deny', reason: 'Not mine.' })).status).toBe(200);
    // Renewed once it has run out (an access a period ahead is not renewed), and run out again.
    const once = await eventually(
      () => accountOf(service, renewed.email),
      (account) => account?.status === 'expired',
    );
    const renewal = await manageAs(service, session, { requestId: renewed.requestId, action: 'renew', seen: once!.accessExpiresAt! });
    expect(((await renewal.json()) as { status: string }).status).toBe('active');

    // Everything timed has happened (reminders, expiries) and the table stands still.
    await eventually(
      async () => [await accountOf(service, lapsed.email), await accountOf(service, renewed.email)],
      ([first, second]) => first?.status === 'expired' && second?.status === 'expired' && second.version > once!.version + 1,
    );
    let before = await stateOf(service);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const again = await stateOf(service);
      if (changedKeys(before, again).length === 0) break;
      before = again;
    }
    const sponsorSubjects = (await service.emailsTo(sponsor)).map((email) => email.subject);
    expect(sponsorSubjects).toEqual(
      expect.arrayContaining([
        'A sandbox access request names you as sponsor',
        'Someone tried to decide a sandbox request in your name',
        'You approved a sandbox access request',
        'You denied a sandbox access request',
        'You renewed sandbox access',
        'You ended sandbox access',
      ]),
    );
    expect(
      sponsorSubjects.some((subject) => /ends soon/.test(subject)),
      'a renewal reminder',
    ).toBe(true);
    expect(
      sponsorSubjects.some((subject) => /^Your sandbox sign-in code: \d{6}$/.test(subject)),
      'a sign-in code',
    ).toBe(true);
    const contractorSubjects = (await Promise.all(contractors.map((email) => service.emailsTo(email))))
      .flat()
      .map((email) => email.subject);
    expect(new Set(contractorSubjects)).toEqual(
      new Set([
        'Confirm your email address for the sandbox',
        'Your sandbox access is approved',
        'Your sandbox access ends soon',
        'Your sandbox access has ended',
        'Your sandbox access is renewed',
        'Your sandbox access was ended',
        'Your sandbox access request was not approved',
      ]),
    );
    const emailCount = (await service.emails()).length;
    const read = new Set<string>();

    // The sponsor's mailbox: every link, every page it leads to, every button.
    const scanner = new Scanner(service);
    const sponsorEmails = await scanner.readMailboxes([sponsor], read);
    const inSponsorMailbox = scanner.tally();
    console.log(`scanner, the sponsor's mailbox (${sponsorEmails} emails): ${inSponsorMailbox}`);
    expect(changedKeys(before, await stateOf(service)), 'no account or sponsor item changed').toEqual([]);
    expect((await service.emails()).slice(emailCount), 'nothing was sent').toEqual([]);
    expect(scanner.answers.filter((answer) => answer.status >= 500 || answer.status === 403)).toEqual([]);
    // It did reach the pages and press the buttons that matter: the live review page and the sign-in form.
    expect(scanner.answers).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: `/sponsorships/review?token=${waiting.review}`, status: 200 },
        { method: 'GET', path: '/sign-in?next=%2Fsponsors', status: 200 },
        { method: 'POST', path: '/sign-in/code', status: 400 },
      ]),
    );
    expect(scanner.buttonsPressed).toBeGreaterThan(0);

    // The contractors' mailboxes (and whatever new reaches the sponsor's): the same.
    const afterSponsorScan = await stateOf(service);
    const contractorEmails = await scanner.readMailboxes([...contractors, sponsor], read);
    console.log(`scanner, both mailboxes (${sponsorEmails + contractorEmails} emails): ${scanner.tally()}`);
    console.log(`scanner's requests:\n  ${scanner.trail()}`);
    const after = await stateOf(service);
    const pendingAccount = (await accountOf(service, pending.email))!;
    // The one change: the pending contractor's own verification link, whose first button confirms their own address.
    expect(changedKeys(afterSponsorScan, after)).toEqual([
      `ACCOUNT#${pending.email} ACCOUNT`,
      `SPONSOR#${sponsor} REQUEST#${pendingAccount.requestId}`,
    ]);
    expect(pendingAccount.status).toBe('awaiting_sponsor');
    const sinceBefore = pendingAccount.history.slice((before.get(`ACCOUNT#${pending.email} ACCOUNT`) as unknown as Account).history.length);
    expect(sinceBefore.length).toBeGreaterThan(0);
    expect(sinceBefore.map((entry) => entry.by)).toEqual(sinceBefore.map(() => 'self'));
    // No decision: the only email sent is the sponsor's review request for that contractor; the
    // scanner opened it too, and it decided nothing.
    const sent = (await service.emails()).slice(emailCount);
    expect(sent.map((email) => [email.destination.to, email.subject])).toEqual([
      [[sponsor], 'A sandbox access request names you as sponsor'],
    ]);
    expect(sent.some((email) => DECISION_SUBJECTS.test(email.subject))).toBe(false);
    const pendingReview = tokenIn(sent[0]!.body.text, '/sponsorships/review')!;
    expect(scanner.answers, 'the new review link was opened too').toContainEqual({
      method: 'GET',
      path: `/sponsorships/review?token=${pendingReview}`,
      status: 200,
    });
    expect((await accountOf(service, waiting.email))?.status).toBe('awaiting_sponsor');
    expect(scanner.answers.filter((answer) => answer.status >= 500 || answer.status === 403)).toEqual([]);
    expect(scanner.answers).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: `/verify?token=${pending.verify}`, status: 200 },
        { method: 'POST', path: '/verify', status: 303 },
      ]),
    );
  }, 120_000);
  it('two renewals from one page state (the same `seen`) give one period and one contractor email, clicked one after the other or at once', async () => {
    const sponsor = 'ren.sponsor@agency.gov';
    const one = await request(service, 'one.renewal@acme-corp.com', sponsor);
    const other = await request(service, 'other.renewal@acme-corp.com', sponsor);
    const session = await signInByCode(service, sponsor);
    for (const contractor of [one, other]) {
      expect((await decideAs(service, session, { token: contractor.review, decision: 'approve' })).status).toBe(200);
    }
    // A Renew from a page whose access end is no longer the account's (renewed since, elsewhere) answers
    // the access as it stands, and writes and sends nothing. (Without a page state the same holds only
    // within a hundredth of the 10-second period: too short to test without racing the clock.)
    const fresh = (await accountOf(service, one.email))!;
    const early = await manageAs(service, session, { requestId: one.requestId, action: 'renew', seen: '2000-01-01T00:00:00.000Z' });
    expect([early.status, await early.json()]).toEqual([
      200,
      { status: 'active', accessExpiresAt: fresh.accessExpiresAt, unchanged: true },
    ]);
    expect(await accountOf(service, one.email)).toEqual(fresh);

    const lapsed = await eventually(
      async () => [(await accountOf(service, one.email))!, (await accountOf(service, other.email))!],
      (accounts) => accounts.every((account) => account.status === 'expired'),
    );
    const sentBefore = (await service.emails()).length;
    const page = await (await service.fetch('/sponsors', { headers: session.headers })).text();
    const forms = formsOf(page).filter((candidate) => candidate.action === '/sponsors/manage');
    const formOf = (requestId: string) => forms.find((form) => Object.fromEntries(form.fields).requestId === requestId)!;
    const press = (form: Form) =>
      service.postForm(
        '/sponsors/manage',
        new URLSearchParams([...form.fields, ['action', 'renew']].map(([name, value]) => [name!, value!])).toString(),
        session.headers,
      );
    for (const [contractor, account] of [
      [one, lapsed[0]!],
      [other, lapsed[1]!],
    ] as const) {
      const form = formOf(contractor.requestId);
      expect(Object.fromEntries(form.fields)).toMatchObject({ seen: account.accessExpiresAt, csrf: session.csrf });
      expect(form.buttons.map((button) => button.value)).toEqual(['renew']);
    }

    // One after the other (a second click on the same page), and two at once (a double click).
    const sequential = [await press(formOf(one.requestId)), await press(formOf(one.requestId))];
    const together = await Promise.all([press(formOf(other.requestId)), press(formOf(other.requestId))]);
    // Each pair: one renewal, and one page saying nothing more was changed or sent.
    for (const pair of [sequential, together]) {
      // Each form post is redirected to its outcome's page (POST-redirect-GET).
      expect(pair.map((response) => response.status)).toEqual([303, 303]);
      const pages = await Promise.all(pair.map((response) => service.fetch(response.headers.get('location')!)));
      const titles = await Promise.all(pages.map(async (page) => /<h1>([^<]+)<\/h1>/.exec(await page.text())?.[1]));
      expect(titles.sort()).toEqual(['Access renewed', 'Nothing to renew']);
    }
    for (const [contractor, account] of [
      [one, lapsed[0]!],
      [other, lapsed[1]!],
    ] as const) {
      const now = (await accountOf(service, contractor.email))!;
      expect(now.status).toBe('active');
      expect(Date.parse(now.accessExpiresAt!)).toBeGreaterThan(Date.parse(account.accessExpiresAt!));
      expect(Date.parse(now.accessExpiresAt!), 'one period from now at most').toBeLessThanOrEqual(Date.now() + 10_000);
      expect(
        now.history.filter((entry) => entry.event === 'access_renewed'),
        contractor.email,
      ).toHaveLength(1);
    }
    // (The sweep reminds the sponsor of each new period at once here: those are not the renewals' emails.)
    const sent = (await service.emails()).slice(sentBefore).filter((email) => !/ends soon/.test(email.subject));
    expect(sent.map((email) => [email.destination.to[0], email.subject]).sort()).toEqual(
      [
        [one.email, 'Your sandbox access is renewed'],
        [other.email, 'Your sandbox access is renewed'],
        [sponsor, 'You renewed sandbox access'],
        [sponsor, 'You renewed sandbox access'],
      ].sort(),
    );
  }, 60_000);
});

describe('sponsor sign-in and decisions in a session', () => {
  let service: LocalService;
  let counter = 0;
  const nextContractor = () => `contractor${++counter}@acme-corp.com`;

  beforeAll(async () => {
    service = await LocalService.start({ RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0', RATE_LIMIT_EMAIL_PER_DAY: '50' });
  });
  afterAll(async () => {
    await service.dispose();
  });

  it('signed in as another address: 403 not_the_sponsor twice, nothing changes, and the sponsor is told exactly once', async () => {
    const sponsor = 'lee.sponsor@agency.gov';
    const contractor = await request(service, nextContractor(), sponsor);
    const other = 'forwarded.to@agency.gov';
    const intruder = await signInByCode(service, other);

    // The review page shows them the request, says it is not theirs, and offers no decision.
    const page = await (await service.fetch(`/sponsorships/review?token=${contractor.review}`, { headers: intruder.headers })).text();
    expect(page).toContain('Signed in as someone else');
    expect(page).toContain(other);
    expect(page).not.toContain('name="decision"');

    const before = await accountOf(service, contractor.email);
    const first = await decideAs(service, intruder, { token: contractor.review, decision: 'approve' });
    expect(await errorOf(first)).toEqual([403, 'not_the_sponsor']);
    const second = await service.postForm(
      '/sponsorships/decision',
      { token: contractor.review, decision: 'deny', csrf: intruder.csrf },
      intruder.headers,
    );
    expect(second.status).toBe(403);
    expect(await second.text()).toContain('nothing was changed');
    expect(await accountOf(service, contractor.email)).toEqual(before);

    const attempts = await eventually(
      async () =>
        (await service.emailsTo(sponsor)).filter((email) => email.subject === 'Someone tried to decide a sandbox request in your name'),
      (found) => found.length > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(
      (await service.emailsTo(sponsor)).filter((email) => email.subject === 'Someone tried to decide a sandbox request in your name'),
      'one notice for two tries',
    ).toHaveLength(1);
    expect(attempts[0]!.body.text).toContain(other);
    expect(attempts[0]!.body.text).toContain(contractor.email);
    expect(attempts[0]!.body.text).toMatch(/\/sponsors\n/);
    expect((await service.emailsTo(contractor.email)).map((email) => email.subject)).toEqual([
      'Confirm your email address for the sandbox',
    ]);
    expect((await service.emailsTo(other)).filter((email) => DECISION_SUBJECTS.test(email.subject))).toEqual([]);

    // By the request's id from their own dashboard, it is a request they cannot see: the same answer as one that does not exist.
    const byId = await decideAs(service, intruder, { requestId: contractor.requestId, decision: 'approve' });
    const noSuch = await decideAs(service, intruder, { requestId: 'no-such-request', decision: 'approve' });
    expect([byId.status, await byId.text()]).toEqual([noSuch.status, await noSuch.text()]);
    expect(await accountOf(service, contractor.email)).toEqual(before);

    // The sponsor still decides.
    const own = await signInByCode(service, sponsor);
    expect(await (await decideAs(service, own, { token: contractor.review, decision: 'approve' })).json()).toEqual({
      status: 'approved',
      accessExpiresAt: expect.any(String),
    });
  });

  it('the code method end to end with the pages’ own forms: ask, read the code, sign in, the dashboard lists the contractor, Approve there, sign out', async () => {
    const sponsor = 'drew.sponsor@agency.gov';
    const contractor = await request(service, nextContractor(), sponsor);

    const signInPage = await service.fetch('/sign-in?next=%2Fsponsors');
    expect(signInPage.status).toBe(200);
    const [ask] = formsOf(await signInPage.text());
    expect([ask?.method, ask?.action, ask?.fields]).toEqual([
      'post',
      '/sign-in/code',
      [
        ['next', '/sponsors'],
        ['email', ''],
      ],
    ]);

    const before = (await codeEmails(service, sponsor)).length;
    const asked = await service.postForm('/sign-in/code', { next: '/sponsors', email: sponsor });
    expect(asked.status).toBe(202);
    const [enter] = formsOf(await asked.text());
    expect([enter?.action, enter?.fields]).toEqual([
      '/sign-in/verify',
      [
        ['next', '/sponsors'],
        ['email', sponsor],
        ['code', ''],
      ],
    ]);
    const code = await emailedCode(service, sponsor, before);
    const codeEmail = (await codeEmails(service, sponsor)).at(-1)!;
    expect(codeEmail.subject).toBe(`Your sandbox sign-in code: ${code}`);
    expect(linksInEmail(codeEmail), 'nothing in it for a scanner to open').toEqual([]);

    const verified = await service.postForm('/sign-in/verify', { next: '/sponsors', email: sponsor, code });
    expect([verified.status, verified.headers.get('location')]).toEqual([303, '/sponsors']);
    const [setCookie] = verified.headers.getSetCookie();
    expect(setCookie).toMatch(
      /^__Host-gk-session=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600$/,
    );
    const cookie = sessionCookieOf(verified)!;
    const reused = await service.postJson('/sign-in/verify', { email: sponsor, code });
    expect(await errorOf(reused), 'a code works once').toEqual([400, 'invalid_code']);

    const dashboard = await service.fetch('/sponsors', { headers: { cookie } });
    expect(dashboard.status).toBe(200);
    const markup = await dashboard.text();
    expect(markup).toContain(contractor.email);
    expect(markup).toContain('Waiting for your decision');
    const decision = formsOf(markup).find((form) => form.action === '/sponsorships/decision')!;
    expect(decision.buttons.map((button) => button.value)).toEqual(['approve', 'deny']);
    expect(Object.fromEntries(decision.fields).requestId).toBe(contractor.requestId);
    const approved = await service.postForm(
      '/sponsorships/decision',
      new URLSearchParams([...decision.fields, ['decision', 'approve']].map(([name, value]) => [name!, value!])).toString(),
      { cookie },
    );
    expect(approved.status).toBe(303);
    expect(await (await service.fetch(approved.headers.get('location')!)).text()).toContain('You approved the request');
    const account = await accountOf(service, contractor.email);
    expect(account?.status).toBe('active');
    expect(account?.history.at(-1)).toMatchObject({ event: 'sponsorship_approved', by: `sponsor:${sponsor}`, via: 'emailed_code' });
    expect((await service.emailsTo(sponsor)).at(-1)?.subject).toBe('You approved a sandbox access request');
    const listed = await dashboardOf(service, { cookie, csrf: '', headers: { cookie } });
    expect(listed.contractors.map((row) => [row.email, row.status])).toEqual([[contractor.email, 'active']]);

    const signOut = formsOf(await (await service.fetch('/sponsors', { headers: { cookie } })).text()).find(
      (form) => form.action === '/sign-out',
    )!;
    const out = await service.postForm('/sign-out', new URLSearchParams(signOut.fields.map(([n, v]) => [n, v])).toString(), { cookie });
    expect([out.status, out.headers.get('location')]).toEqual([303, '/sign-in?signed_out=1']);
    expect(out.headers.getSetCookie()).toEqual([`${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`]);
  });

  it('JSON sign-in answers 200 signed_in with the next page; a `next` off this service goes to the dashboard', async () => {
    const sponsor = 'jo.sponsor@agency.gov';
    for (const [next, expected] of [
      ['/sponsorships/review?token=abc', '/sponsorships/review?token=abc'],
      ['https://evil.example.com/', '/sponsors'],
      ['//evil.example.com/', '/sponsors'],
      ['/\\evil.example.com', '/sponsors'],
    ] as const) {
      const before = (await codeEmails(service, sponsor)).length;
      expect((await service.postJson('/sign-in/code', { email: sponsor, next })).status).toBe(202);
      const code = await emailedCode(service, sponsor, before);
      const json = await service.postJson('/sign-in/verify', { email: sponsor, code, next });
      expect([json.status, await json.json()]).toEqual([200, { status: 'signed_in', next: expected }]);
      expect(sessionCookieOf(json)).toBeDefined();
      const again = (await codeEmails(service, sponsor)).length;
      expect((await service.postForm('/sign-in/code', { email: sponsor, next })).status).toBe(202);
      const formCode = await emailedCode(service, sponsor, again);
      const form = await service.postForm('/sign-in/verify', { email: sponsor, code: formCode, next });
      expect([form.status, form.headers.get('location')]).toEqual([303, expected]);
    }
  });

  it('five wrong codes lock the mailbox: the fifth and a sixth, right one, are 429; no code is sent meanwhile', async () => {
    const sponsor = 'locked.sponsor@agency.gov';
    const before = (await codeEmails(service, sponsor)).length;
    expect((await service.postJson('/sign-in/code', { email: sponsor })).status).toBe(202);
    const right = await emailedCode(service, sponsor, before);
    const wrong = (i: number) => String((Number(right) + i) % 1_000_000).padStart(6, '0');
    const answers = [];
    for (let i = 1; i <= 5; i++) answers.push(await errorOf(await service.postJson('/sign-in/verify', { email: sponsor, code: wrong(i) })));
    expect(answers).toEqual([...Array(4).fill([400, 'invalid_code']), [429, 'rate_limited']]);
    const sixth = await service.postJson('/sign-in/verify', { email: sponsor, code: right });
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(await errorOf(sixth), 'refused even when right').toEqual([429, 'rate_limited']);
    expect(sessionCookieOf(sixth)).toBeUndefined();

    const sent = (await codeEmails(service, sponsor)).length;
    expect((await service.postJson('/sign-in/code', { email: sponsor })).status, 'the answer does not say').toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await codeEmails(service, sponsor)).length, 'no code is sent while locked').toBe(sent);
  });

  it('answers a sponsor and an eligible address that sponsors no one byte for byte alike: no enumeration', async () => {
    const sponsor = 'kai.sponsor@agency.gov';
    await request(service, nextContractor(), sponsor);
    // As long as the sponsor's address, so that the pages that echo it are as long too.
    const nobody = 'kai.someone@agency.gov';
    const ask = (email: string) => service.postJson('/sign-in/code', { email, next: '/sponsors' });
    const answer = async (response: Response, email: string) => [
      response.status,
      stableHeaders(response),
      (await response.text()).replaceAll(email, '<address>'),
    ];
    expect(await answer(await ask(sponsor), sponsor)).toEqual(await answer(await ask(nobody), nobody));
    const json = await ask(sponsor);
    expect([json.status, await json.text()]).toEqual([202, '{"status":"code_sent"}']);
    const askForm = (email: string) => service.postForm('/sign-in/code', { email, next: '/sponsors' });
    expect(await answer(await askForm(sponsor), sponsor)).toEqual(await answer(await askForm(nobody), nobody));
    // A wrong code, too, is answered alike.
    const guess = (email: string) => service.postJson('/sign-in/verify', { email, code: '999999' });
    expect(await answer(await guess(sponsor), sponsor)).toEqual(await answer(await guess(nobody), nobody));
    // Both got a code.
    expect((await codeEmails(service, nobody)).length).toBeGreaterThan(0);
    expect((await codeEmails(service, sponsor)).length).toBeGreaterThan(0);
  });

  it('without the session’s CSRF token, or with another session’s, a decision or renewal is 401 and nothing changes; a cross-site Origin is 403', async () => {
    const sponsor = 'csrf.sponsor@agency.gov';
    const contractor = await request(service, nextContractor(), sponsor);
    const active = await request(service, nextContractor(), sponsor);
    const session = await signInByCode(service, sponsor);
    const secondTab = await signInByCode(service, sponsor);
    const stranger = await signInByCode(service, 'csrf.stranger@agency.gov');
    expect(secondTab.csrf).not.toBe(session.csrf);
    expect((await decideAs(service, session, { token: active.review, decision: 'approve' })).status).toBe(200);
    const before = await stateOf(service);
    const sentBefore = (await service.emails()).length;

    const decide = (csrf: string | undefined, headers: Record<string, string> = session.headers) =>
      service.postJson(
        '/sponsorships/decision',
        { token: contractor.review, decision: 'approve', ...(csrf === undefined ? {} : { csrf }) },
        headers,
      );
    const renew = (csrf: string | undefined, headers: Record<string, string> = session.headers) =>
      service.postJson(
        '/sponsors/manage',
        { requestId: active.requestId, action: 'renew', ...(csrf === undefined ? {} : { csrf }) },
        headers,
      );
    for (const [what, csrf, headers] of [
      ['no csrf field', undefined, session.headers],
      ['an empty csrf', '', session.headers],
      ['another session of the same sponsor', secondTab.csrf, session.headers],
      ['another sponsor’s session', stranger.csrf, session.headers],
      ['the csrf without its cookie', session.csrf, {}],
      ['the csrf with another session’s cookie', session.csrf, secondTab.headers],
    ] as const) {
      expect(await errorOf(await decide(csrf, headers)), `decision: ${what}`).toEqual([401, 'sign_in_required']);
      expect(await errorOf(await renew(csrf, headers)), `renewal: ${what}`).toEqual([401, 'sign_in_required']);
    }
    const form = await service.postForm(
      '/sponsorships/decision',
      { token: contractor.review, decision: 'approve', csrf: secondTab.csrf },
      session.headers,
    );
    expect(form.status).toBe(401);

    const crossSite = { ...session.headers, origin: 'https://evil.example.com' };
    expect(await errorOf(await decide(session.csrf, crossSite))).toEqual([403, 'forbidden_origin']);
    expect(await errorOf(await renew(session.csrf, crossSite))).toEqual([403, 'forbidden_origin']);
    const crossSiteForm = await service.postForm(
      '/sponsorships/decision',
      { token: contractor.review, decision: 'approve', csrf: session.csrf },
      crossSite,
    );
    expect(crossSiteForm.status).toBe(403);

    expect(changedKeys(before, await stateOf(service)), 'nothing changed').toEqual([]);
    expect((await service.emails()).slice(sentBefore), 'nothing was sent').toEqual([]);
    // The same requests with the right pair go through: the refusals were the token's doing.
    expect(await (await decide(session.csrf)).json()).toEqual({ status: 'approved', accessExpiresAt: expect.any(String) });
    expect((await renew(secondTab.csrf, secondTab.headers)).status).toBe(200);
  });

  it('a session cookie tampered with, expired, of another purpose or garbage is signed out', async () => {
    const sponsor = 'tamper.sponsor@agency.gov';
    const contractor = await request(service, nextContractor(), sponsor);
    const session = await signInByCode(service, sponsor);
    const token = session.cookie.slice(`${SESSION_COOKIE}=`.length);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const at = Math.floor(payload.length / 2);
    const tampered = `${header}.${payload.slice(0, at)}${payload[at] === 'A' ? 'B' : 'A'}${payload.slice(at + 1)}.${signature}`;
    const expired = await new JoseSessionTokens(fileKeys(join(service.dataDir, 'signing-keys.json')), 3600).issue(
      { mailbox: sponsor, method: 'emailed_code' },
      Date.now() - 3660_000,
    );
    const before = await accountOf(service, contractor.email);

    for (const [what, value, csrf] of [
      ['one character of the payload changed', tampered, session.csrf],
      ['genuine but past its time', expired.token, csrfTokenOf(expired.session)],
      ['an approval token', contractor.review, session.csrf],
      ['garbage', 'x'.repeat(40), session.csrf],
    ] as const) {
      const headers = { cookie: `${SESSION_COOKIE}=${value}` };
      const dashboard = await service.fetch('/sponsors', { headers });
      expect([dashboard.status, dashboard.headers.get('location')], what).toEqual([303, '/sign-in?next=%2Fsponsors']);
      const review = await (await service.fetch(`/sponsorships/review?token=${contractor.review}`, { headers })).text();
      expect(review, what).toContain('Sign in to decide');
      expect(review, what).not.toContain('name="decision"');
      const decided = await service.postJson('/sponsorships/decision', { token: contractor.review, decision: 'approve', csrf }, headers);
      expect(await errorOf(decided), what).toEqual([401, 'sign_in_required']);
    }
    expect(await accountOf(service, contractor.email)).toEqual(before);
    // The genuine cookie still works.
    expect((await dashboardOf(service, session)).sponsor).toBe(sponsor);
  });

  it('signing out ends the session everywhere (a copied cookie too); without the form’s CSRF token it only clears this browser’s cookie', async () => {
    const kept = await signInByCode(service, 'out.sponsor@agency.gov');
    const dashboard = (signIn: { headers: Record<string, string> }) =>
      service.fetch('/sponsors', { headers: { ...signIn.headers, accept: 'application/json' } });

    const bare = await service.postJson('/sign-out', {}, kept.headers);
    expect(bare.headers.getSetCookie().some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=;`))).toBe(true);
    expect((await dashboard(kept)).status).toBe(200);

    const other = await signInByCode(service, 'out.sponsor@agency.gov');
    expect((await service.postJson('/sign-out', { csrf: other.csrf }, other.headers)).status).toBe(200);
    expect([(await dashboard(kept)).status, (await dashboard(other)).status]).toEqual([401, 401]);

    const again = await signInByCode(service, 'out.sponsor@agency.gov');
    expect((await dashboard(again)).status).toBe(200);
  });

  it('the dashboard asked for JSON while signed out answers 401 sign_in_required in JSON, as the contract says', async () => {
    const response = await service.fetch('/sponsors', { headers: { accept: 'application/json' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: 'sign_in_required' });
  });
});
