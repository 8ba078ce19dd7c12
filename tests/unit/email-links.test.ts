import { describe, expect, it } from 'vitest';
import { type Email, type EmailType, linkOf } from '../../functions/core/email';
import { emailLink, type Minted } from '../../functions/service/links';
import { findRoute } from '../../functions/service/routes';
import { renderEmail } from '../../functions/views/emails';

const AT = '2030-01-16T12:00:00.000Z';
const BASE = { baseUrl: 'https://sandbox.example.gov', sandboxUrl: 'https://app.sandbox.example.gov/start' };
const MINTED: Minted = { token: 'AbCdEfGhIjKlMnOpQrStUv.token', expiresAt: Date.parse(AT) / 1000 };

/** One of every email (the compiler refuses a missing type). */
const EVERY: Readonly<Record<EmailType, Email>> = {
  verify_link: { type: 'verify_link', contractor: true },
  already_active: { type: 'already_active' },
  sponsor_request: { type: 'sponsor_request', contractor: { email: 'casey@acme.com', domain: 'acme.com' } },
  sign_in_code: { type: 'sign_in_code', code: '042917', minutes: 10 },
  decision_attempt: {
    type: 'decision_attempt',
    signedInAs: 'other@agency.gov',
    contractorEmail: 'casey@acme.com',
    clientIp: '198.51.100.7',
    at: AT,
  },
  renewal_reminder: { type: 'renewal_reminder', contractors: [{ email: 'casey@acme.com', company: 'Acme', accessExpiresAt: AT }] },
  sponsorship_approved: { type: 'sponsorship_approved', accessExpiresAt: AT },
  sponsorship_denied: { type: 'sponsorship_denied' },
  decision_receipt: { type: 'decision_receipt', outcome: 'approved', contractorEmail: 'casey@acme.com', clientIp: '198.51.100.7', at: AT },
  access_expired: { type: 'access_expired', sponsorEmail: 'sam@agency.gov' },
  access_ending: { type: 'access_ending', accessExpiresAt: AT, sponsorEmail: 'sam@agency.gov' },
  no_decision: { type: 'no_decision', sponsorEmail: 'sam@agency.gov' },
  dormancy_warning: { type: 'dormancy_warning', dormantAt: AT, byActivity: true },
  account_dormant: { type: 'account_dormant', contractor: false },
  sponsor_unreachable: { type: 'sponsor_unreachable', sponsorEmail: 'sam@agency.gov', accessExpiresAt: AT },
  access_renewed: { type: 'access_renewed', accessExpiresAt: AT, sponsorEmail: 'sam@agency.gov' },
  access_ended: { type: 'access_ended', sponsorEmail: 'sam@agency.gov' },
  account_revoked: { type: 'account_revoked' },
  account_reinstated: { type: 'account_reinstated', accessExpiresAt: AT },
};

const urlsIn = (text: string) => [...text.matchAll(/https?:\/\/[^\s"<>]+/g)].map((match) => match[0]);
const hrefsIn = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));

describe('every email’s links', () => {
  it.each(Object.values(EVERY))('$type: every button and URL is an absolute link that opens a page', (email) => {
    const rendered = renderEmail(email, emailLink(email, BASE, MINTED), { supportEmail: 'help@agency.gov' });
    const links = [...hrefsIn(rendered.html).filter((href) => !href.startsWith('mailto:')), ...urlsIn(rendered.text)];
    expect(links.length > 0).toBe(linkOf(email) !== undefined);
    for (const link of links) {
      const url = new URL(link);
      expect(url.protocol, link).toBe('https:');
      if (url.origin === BASE.baseUrl) expect(findRoute(url.pathname)?.methods, link).toContain('GET');
      else expect(link).toBe(BASE.sandboxUrl);
    }
  });

  it('the access-ended email offers a new request: its button and URL open the contractor request page', () => {
    const email = EVERY.access_expired;
    const rendered = renderEmail(email, emailLink(email, BASE));
    expect(rendered.html).toMatch(/<a href="https:\/\/sandbox\.example\.gov\/contractors"[^>]*>Send a new request<\/a>/);
    expect(rendered.text.split('\n')).toContain('https://sandbox.example.gov/contractors');
  });

  it('a token’s link names its page and token, from the route table', () => {
    expect(emailLink(EVERY.verify_link, BASE, MINTED)?.url).toBe(`https://sandbox.example.gov/verify?token=${MINTED.token}`);
    expect(emailLink(EVERY.sponsor_request, BASE, MINTED)?.url).toBe(
      `https://sandbox.example.gov/sponsorships/review?token=${MINTED.token}`,
    );
    expect(emailLink(EVERY.verify_link, BASE), 'no token, no link').toBeUndefined();
  });

  it.each(['renewal_reminder', 'decision_receipt', 'decision_attempt'] as const)(
    '%s links to the sponsor’s dashboard with no token, even when one is minted: the sponsor signs in there',
    (type) => {
      expect(linkOf(EVERY[type])).toBe('dashboard');
      expect(emailLink(EVERY[type], BASE, MINTED)).toEqual({ url: 'https://sandbox.example.gov/sponsors' });
      expect(emailLink(EVERY[type], BASE)).toEqual({ url: 'https://sandbox.example.gov/sponsors' });
    },
  );

  it('the sign-in code email carries the code and no link at all', () => {
    const rendered = renderEmail(EVERY.sign_in_code, emailLink(EVERY.sign_in_code, BASE, MINTED));
    expect(emailLink(EVERY.sign_in_code, BASE, MINTED)).toBeUndefined();
    expect([rendered.text.includes('042917'), rendered.html.includes('042917')]).toEqual([true, true]);
    expect([urlsIn(rendered.text), hrefsIn(rendered.html).filter((href) => !href.startsWith('mailto:'))]).toEqual([[], []]);
  });

  it('no token, no link; no sandbox address, no sandbox link', () => {
    expect(emailLink(EVERY.sponsor_request, BASE), 'no token, no link').toBeUndefined();
    expect(emailLink(EVERY.already_active, { baseUrl: BASE.baseUrl }), 'no sandbox address, no sandbox link').toBeUndefined();
  });
});
