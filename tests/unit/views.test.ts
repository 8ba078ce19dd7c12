import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../functions/views/emails';
import { errorPage } from '../../functions/views/error-page';
import { describeDuration } from '../../functions/views/format';
import { escapeHtml, html, SafeHtml } from '../../functions/views/html';
import { checkEmailPage, signUpPage } from '../../functions/views/sign-up-pages';
import { confirmEmailPage, outcomePage } from '../../functions/views/verify-pages';

const XSS = '<script>alert(1)</script>';

/** Script elements that run inline code (ours all load a file from /assets with `src`). */
function inlineScripts(page: string): string[] {
  return [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes, body]) => !/\bsrc="\/assets\//.test(attributes ?? '') || (body ?? '').trim() !== '')
    .map(([tag]) => tag);
}

const LINK = 'https://sandbox.example.gov/verify?token=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

/** The opening tag of the element with this id. */
function tagWithId(page: string, id: string): string {
  const match = new RegExp(`<[a-z]+[^>]*\\sid="${id}"[^>]*>`).exec(page);
  if (!match) throw new Error(`no element with id="${id}"`);
  return match[0];
}

const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe('html`…` escapes by construction', () => {
  it('escapes a script tag in text', () => {
    expect(html`<p>${XSS}</p>`.value).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('escapes double quotes so a value cannot leave its attribute', () => {
    expect(html`<input value="${'" autofocus onfocus="alert(1)'}">`.value).toBe('<input value="&quot; autofocus onfocus=&quot;alert(1)">');
  });

  it('escapes single quotes and ampersands', () => {
    expect(html`<a title='${"x' onclick='y"}'>${'Tom & Jerry'}</a>`.value).toBe("<a title='x&#39; onclick=&#39;y'>Tom &amp; Jerry</a>");
  });

  it('inserts nested html`…` as markup without escaping it twice', () => {
    const inner = html`<b>${'<i>'}</b>`;

    expect(html`<p>${inner}</p>`.value).toBe('<p><b>&lt;i&gt;</b></p>');
  });

  it('escapes every item of an array', () => {
    expect(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>ok</li></ul>');
  });

  it('renders null, undefined and false as nothing, but keeps 0', () => {
    expect(html`[${null}${undefined}${false}${0}]`.value).toBe('[0]');
  });

  it('returns SafeHtml whose string form is its markup', () => {
    const safe = html`<br>`;

    expect([safe instanceof SafeHtml, String(safe)]).toEqual([true, '<br>']);
  });

  it('escapeHtml leaves nothing that could open a tag or an attribute', () => {
    expect(escapeHtml(`<>"'&`)).toBe('&lt;&gt;&quot;&#39;&amp;');
  });
});

describe('signUpPage', () => {
  const withError = signUpPage({
    email: 'not an email',
    errors: [{ field: 'email', message: 'Enter an email address with an @, like name@agency.gov.' }],
  });

  it('ties the error message to the email field with aria-describedby', () => {
    const describedBy = /aria-describedby="([^"]*)"/.exec(tagWithId(withError, 'email'))?.[1]?.split(' ') ?? [];

    expect(describedBy).toContain('email-error');
    expect(tagWithId(withError, 'email-error')).toBeDefined();
    expect(withError).toMatch(/<span class="usa-error-message" id="email-error">Enter an email address with an @/);
  });

  it('marks only the field at fault invalid', () => {
    expect([tagWithId(withError, 'email'), tagWithId(withError, 'name')].map((tag) => tag.includes('aria-invalid="true"'))).toEqual([
      true,
      false,
    ]);
  });

  it('links the error summary to #email', () => {
    expect(withError).toMatch(/role="alert"[\s\S]*<a class="usa-link" href="#email">Enter an email address with an @/);
  });

  it('prefixes the title with Error:', () => {
    expect(withError).toContain('<title>Error: Create a sandbox account');
  });

  it('keeps the hint in aria-describedby next to the error', () => {
    expect(tagWithId(withError, 'email')).toContain('aria-describedby="email-hint email-error"');
  });

  it('ties an error about the name to the name field', () => {
    const page = signUpPage({ errors: [{ field: 'name', message: 'Enter your name without control characters.' }] });

    expect(tagWithId(page, 'name')).toContain('aria-describedby="name-error"');
    expect(page).toContain('<a class="usa-link" href="#name">');
  });

  it('shows no error summary and no invalid field without an error', () => {
    const page = signUpPage();

    expect(page).not.toContain('role="alert"');
    expect(page).not.toContain('aria-invalid');
  });

  it('escapes what the person typed when showing it again', () => {
    const page = signUpPage({ email: `"><script>alert(1)</script>`, name: XSS, errors: [{ field: 'email', message: XSS }] });

    expect(inlineScripts(page)).toEqual([]);
    expect(page).not.toContain('<script>alert');
    expect(tagWithId(page, 'email')).toContain('value="&quot;&gt;&lt;script&gt;');
  });

  it('posts the form to /signup', () => {
    expect(signUpPage()).toMatch(/<form class="usa-form[^"]*" method="post" action="\/signup"/);
  });
});

const AGENCY = { email: 'jane@agency.gov', kind: 'agency' } as const;

describe('confirmEmailPage (where an emailed link lands)', () => {
  const page = confirmEmailPage('abcdefghijklmnopqrstuv.wxyz0123456789ABCDEFGabcdefghijklmnopq', AGENCY);

  it('asks with a POST form to /verify carrying the token', () => {
    expect(page).toMatch(/<form class="usa-form" method="post" action="\/verify"/);
    expect(page).toContain('<input type="hidden" name="token" value="abcdefghijklmnopqrstuv.wxyz0123456789ABCDEFGabcdefghijklmnopq">');
    expect(page).toMatch(/<button class="usa-button" type="submit" name="action" value="confirm">/);
    expect(page).toMatch(
      /<button class="usa-button usa-button--outline" type="submit" name="action" value="cancel">This is not my request<\/button>/,
    );
  });

  it('shows what confirming confirms: for a contractor, everything their sponsor will be shown', () => {
    const contractor = confirmEmailPage('t', {
      email: 'dana@acme.com',
      kind: 'contractor',
      name: 'Dana <Lee>',
      sponsorEmail: 'boss@agency.gov',
      company: 'Acme <Inc>',
      justification: 'Testing the\nlogin flow',
    });
    expect(contractor).toContain('<dt>Your name</dt><dd>Dana &lt;Lee&gt;</dd>');
    expect(contractor).toContain('<dt>Sponsor asked to approve</dt><dd>boss@agency.gov</dd>');
    expect(contractor).toContain('<dt>Company</dt><dd>Acme &lt;Inc&gt;</dd>');
    expect(contractor).toContain('<dd class="gk-justification">Testing the\nlogin flow</dd>');
    expect(page).toContain('<strong>jane@agency.gov</strong>');
  });

  it('has no inline script and no meta refresh that could submit it by itself', () => {
    expect(inlineScripts(page)).toEqual([]);
    expect(page.toLowerCase()).not.toContain('http-equiv');
    expect(page.toLowerCase()).not.toMatch(/\son[a-z]+=/);
  });

  it('has no meta refresh', () => {
    expect(page.toLowerCase()).not.toContain('http-equiv');
  });

  it('escapes the token into its attribute', () => {
    expect(confirmEmailPage('"><script>x</script>', AGENCY)).not.toContain('<script>x');
  });
});

describe('other pages', () => {
  it('offers a new link on an invalid or expired link page', () => {
    for (const code of ['invalid_token', 'expired_token'] as const) {
      expect(errorPage({ code, message: 'This link is not valid.' })).toContain('<a class="usa-button" href="/">Get a new link</a>');
    }
  });

  it('escapes the message of an error page', () => {
    expect(errorPage({ code: 'invalid_request', message: XSS })).not.toContain('<script>alert');
  });

  it('says a used link was already used', () => {
    expect(outcomePage('active', { alreadyDone: true })).toContain('This link has already been used');
  });

  it('tells the contractor they wait for the sponsor', () => {
    expect(outcomePage('awaiting_sponsor')).toContain('<h1>Waiting for your sponsor</h1>');
  });

  it('states the link lifetime on the check-your-email page', () => {
    expect(checkEmailPage(86_400)).toContain('The link works for 24 hours and only once.');
  });

  it.each([
    [60, '1 minute'],
    [900, '15 minutes'],
    [3600, '1 hour'],
    [86_400, '24 hours'],
    [172_800, '2 days'],
  ])('describes %i seconds as %s', (seconds, text) => {
    expect(describeDuration(seconds)).toBe(text);
  });

  it('never carries an inline script on any page', () => {
    const pages = [
      signUpPage(),
      checkEmailPage(86_400),
      confirmEmailPage('t', AGENCY),
      outcomePage('active'),
      errorPage({ code: 'internal_error', message: 'x' }),
    ];

    expect(pages.flatMap(inlineScripts)).toEqual([]);
  });
});

describe('renderEmail', () => {
  const expiresAt = Date.parse('2030-01-16T12:00:00.000Z') / 1000;
  const verify = { type: 'verify_link', contractor: false } as const;

  it('puts the raw link in the text part', () => {
    const email = renderEmail(verify, { url: LINK, expiresAt });

    expect(email.text.split('\n')).toContain(LINK);
  });

  it('puts the link in the HTML part twice: as a button and as the raw URL', () => {
    const email = renderEmail(verify, { url: LINK, expiresAt });

    expect(email.html).toMatch(new RegExp(`<a href="${literal(LINK)}"[^>]*>Confirm my email address</a>`));
    expect(email.html).toMatch(new RegExp(`<a href="${literal(LINK)}"[^>]*>${literal(LINK)}</a>`));
    expect(count(email.html, `href="${LINK}"`)).toBe(2);
  });

  it('escapes the link in HTML but not in text', () => {
    const link = 'https://sandbox.example.gov/verify?token=abc&x="y"';
    const email = renderEmail(verify, { url: link, expiresAt });

    expect(email.html).toContain('href="https://sandbox.example.gov/verify?token=abc&amp;x=&quot;y&quot;"');
    expect(email.text).toContain(link);
  });

  it('states when the link expires', () => {
    const email = renderEmail(verify, { url: LINK, expiresAt });

    expect(email.text).toContain('expires at 2030-01-16 12:00 UTC');
  });

  it('escapes a name with a script tag in HTML (in the emails that greet a confirmed person by name)', () => {
    const email = renderEmail({ type: 'sponsorship_denied', name: XSS, reason: XSS }, undefined);

    expect(email.html).not.toContain('<script');
    expect(email.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
  });

  it('greets nobody by name in the emails a stranger can trigger', () => {
    for (const [email, link] of [
      [verify, { url: LINK, expiresAt }],
      [{ type: 'already_active' } as const, undefined],
    ] as const) {
      const rendered = renderEmail(email, link);
      expect(rendered.text.startsWith('Hello,\n')).toBe(true);
    }
  });

  it('carries no verification link in the already_active notice, but the sign-in link when configured', () => {
    const email = renderEmail({ type: 'already_active' }, { url: 'https://sandbox.example.gov/app' });

    expect(email.text).not.toContain('/verify');
    expect(email.text).toContain('https://sandbox.example.gov/app');
    expect(email.html).toMatch(/<a href="https:\/\/sandbox\.example\.gov\/app"[^>]*>Go to the sandbox<\/a>/);
  });

  it('says to sign in as usual when no sign-in link is configured', () => {
    expect(renderEmail({ type: 'already_active' }, undefined).text).toContain('You can sign in to the sandbox as usual.');
  });

  it('loads nothing remote and runs nothing', () => {
    const email = renderEmail(verify, { url: LINK, expiresAt });

    expect(email.html.toLowerCase()).not.toMatch(/<img|<script|<link/);
  });
});
