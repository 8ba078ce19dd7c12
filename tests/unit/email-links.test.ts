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
  manage_link: { type: 'manage_link' },
  renewal_reminder: { type: 'renewal_reminder', contractors: [{ email: 'casey@acme.com', company: 'Acme', accessExpiresAt: AT }] },
  sponsorship_approved: { type: 'sponsorship_approved', accessExpiresAt: AT },
  sponsorship_denied: { type: 'sponsorship_denied' },
  decision_receipt: { type: 'decision_receipt', outcome: 'approved', contractorEmail: 'casey@acme.com', clientIp: '198.51.100.7', at: AT },
  access_expired: { type: 'access_expired', sponsorEmail: 'sam@agency.gov' },
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
    expect(emailLink(EVERY.renewal_reminder, BASE, MINTED)?.url).toBe(`https://sandbox.example.gov/sponsors/manage?token=${MINTED.token}`);
    expect(emailLink(EVERY.verify_link, BASE), 'no token, no link').toBeUndefined();
    expect(emailLink(EVERY.already_active, { baseUrl: BASE.baseUrl }), 'no sandbox address, no sandbox link').toBeUndefined();
  });
});
