import { afterEach, describe, expect, it } from 'vitest';
import { FIELD_LABELS, JUSTIFICATION_MAX } from '../../functions/http/fields';
import { loadConfig } from '../../functions/service/config';
import { setFooterLinks } from '../../functions/views/layout';
import { checkEmailPage, contractorPage, signUpPage } from '../../functions/views/sign-up-pages';

/** The opening tag of the element with this id. */
function tagWithId(page: string, id: string): string {
  const match = new RegExp(`<[a-z]+[^>]*\\sid="${id}"[^>]*>`).exec(page);
  if (!match) throw new Error(`no element with id="${id}"`);
  return match[0];
}

const summaryOf = (page: string) => /<div class="usa-alert usa-alert--error"[^>]*id="error-summary"[\s\S]*?<\/ul>/.exec(page)?.[0] ?? '';

describe('the answer to a request names the address it wrote to', () => {
  it('the sign-up’s page, escaped', () => {
    const page = checkEmailPage(86_400, { email: 'bob@agency.gov' });

    expect(page).toContain('If <strong data-echo="email">bob@agency.gov</strong> can have a sandbox account');
    expect(checkEmailPage(86_400, { email: '<b>x@agency.gov' })).toContain('&lt;b&gt;x@agency.gov');
  });

  it('the contractor’s page', () => {
    expect(checkEmailPage(86_400, { contractor: true, email: 'dana@contractor.com' })).toContain(
      'we have emailed <strong data-echo="email">dana@contractor.com</strong> a link',
    );
  });

  it.each([
    ['sign-up', signUpPage()],
    ['contractor', contractorPage()],
  ])('the %s form’s script template has the slot the script fills from the answer', (_label, page) => {
    expect(page).toMatch(/<template data-outcome="verification_sent">[\s\S]*<strong data-echo="email"><\/strong>/);
  });
});

describe('forms report every invalid field at once', () => {
  const errors = [
    { field: 'justification', message: 'Tell your sponsor why you need sandbox access.' },
    { field: 'email', message: 'Your address can sign up on its own: use the sign-up page at / instead of asking for a sponsor.' },
    { field: 'name', message: 'Enter your full name.' },
  ];
  const page = contractorPage({ errors });

  it('the error summary links to each invalid field, in the form’s order', () => {
    const links = [...summaryOf(page).matchAll(/<a class="usa-link" href="#([a-zA-Z]+)">/g)].map((match) => match[1]);

    expect(links).toEqual(['name', 'email', 'justification']);
  });

  it('marks each invalid field, and only those', () => {
    const invalid = ['name', 'email', 'company', 'sponsorEmail', 'justification'].filter((id) =>
      tagWithId(page, id).includes('aria-invalid="true"'),
    );

    expect(invalid).toEqual(['name', 'email', 'justification']);
    expect(tagWithId(page, 'name')).toContain('aria-describedby="name-error"');
  });

  it('makes a path in a message a link, next to the field', () => {
    expect(page).toContain(
      '<span class="usa-error-message" id="email-error">Your address can sign up on its own: use the sign-up page at <a class="usa-link" href="/">/</a> instead of asking for a sponsor.</span>',
    );
  });

  it('prefixes the title with Error:', () => {
    expect(page).toContain('<title>Error: Request sponsored sandbox access');
  });

  it('labels each field as refusals name it', () => {
    for (const [id, label] of Object.entries(FIELD_LABELS).filter(([id]) => id !== 'reason' && id !== 'code')) {
      expect(contractorPage()).toMatch(new RegExp(`<label class="usa-label" for="${id}">${label}`));
    }
  });
});

describe('the justification’s character count', () => {
  const page = contractorPage();

  it('is a USWDS character count with the server’s limit', () => {
    expect(page).toMatch(/<div class="usa-character-count">\s*<div class="usa-form-group">/);
    expect(tagWithId(page, 'justification')).toContain('class="usa-textarea usa-character-count__field"');
    expect(tagWithId(page, 'justification')).toContain(`maxlength="${JUSTIFICATION_MAX}"`);
    expect(tagWithId(page, 'justification-info')).toContain('class="usa-character-count__message"');
    expect(tagWithId(page, 'justification')).toContain('aria-describedby="justification-info justification-hint"');
  });
});

describe('government-site basics', () => {
  afterEach(() => setFooterLinks({}));

  it.each([
    ['sign-up', signUpPage()],
    ['contractor', contractorPage()],
  ])('the %s form carries a Privacy Act statement: authority, purpose, routine uses, disclosure', (_label, page) => {
    const statement = /<section class="gk-privacy"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';

    expect(statement).toContain('<h2 id="privacy-act-statement">Privacy Act statement</h2>');
    for (const part of ['Authority:', 'Purpose:', 'Routine uses:', 'Disclosure:']) expect(statement).toContain(`<strong>${part}</strong>`);
  });

  it.each([
    ['sign-up', signUpPage()],
    ['contractor', contractorPage()],
  ])('the %s form does not tell people to withhold the real data it asks for', (_label, page) => {
    expect(page).not.toMatch(/real personal data/i);
  });

  it('links the operator’s privacy policy and accessibility statement from the footer when configured', () => {
    const config = loadConfig({
      TABLE_NAME: 't',
      MAIL_FROM: 'no-reply@sandbox.example.gov',
      PRIVACY_URL: 'https://agency.example.gov/privacy',
      ACCESSIBILITY_URL: 'https://agency.example.gov/accessibility',
    });
    setFooterLinks({ privacyUrl: config.privacyUrl, accessibilityUrl: config.accessibilityUrl });

    const footer = /<footer[\s\S]*<\/footer>/.exec(signUpPage())?.[0] ?? '';

    expect(footer).toContain(
      '<a href="https://agency.example.gov/privacy" class="usa-identifier__required-link usa-link">Privacy policy</a>',
    );
    expect(footer).toContain(
      '<a href="https://agency.example.gov/accessibility" class="usa-identifier__required-link usa-link">Accessibility support</a>',
    );
  });

  it('leaves the links out when not configured', () => {
    expect(signUpPage()).not.toContain('usa-identifier__required-links');
  });
});

describe('the home page', () => {
  it('leads a sponsor to their dashboard', () => {
    expect(signUpPage()).toContain('<a class="usa-link" href="/sponsors">see the contractors you sponsor</a>');
  });
});
