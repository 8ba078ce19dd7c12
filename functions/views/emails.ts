import type { Email, Link } from '../core/email';
import { dormancyMessage } from './dormancy-emails';
import { composeEmail, type EmailContent, type EmailOptions, type Message } from './email-layout';
import { agencyInSentence, expiryOf, formatTime } from './format';
import { lifecycleMessage } from './lifecycle-emails';
import { sponsorMessage } from './sponsor-emails';

const NOT_YOU = 'If you did not ask for this, ignore this email: nothing happens unless the link is used.';

/** An email as its recipient reads it: its words, with `link` (resolved by the sender) as its button and URL. */
export function renderEmail(email: Email, link: Link | undefined, options: EmailOptions = {}): EmailContent {
  const compose = (message: Message) => composeEmail(message, options);
  switch (email.type) {
    case 'verify_link':
      return compose({
        subject: 'Confirm your email address for the sandbox',
        paragraphs: [
          email.contractor
            ? 'Confirm your email address to send your sandbox access request to your agency sponsor.'
            : 'Confirm your email address to finish creating your sandbox account.',
        ],
        action: { label: 'Confirm my email address', url: link?.url ?? '' },
        after: [`The link works once and expires at ${formatTime(expiryOf(link))}.`],
        footnote: NOT_YOU,
      });
    case 'already_active':
      return compose({
        subject: 'You already have a sandbox account',
        paragraphs: [
          'Someone asked to create a sandbox account for this email address, but it already has an active account. No new account was created.',
        ],
        ...(link ? { action: { label: 'Go to the sandbox', url: link.url } } : { after: ['You can sign in to the sandbox as usual.'] }),
        footnote: 'If this was not you, you do not need to do anything.',
      });
    case 'sponsor_request':
      return compose({
        subject: 'A sandbox access request names you as sponsor',
        paragraphs: [
          `Someone using ${email.contractor.email}, an external address at ${email.contractor.domain}, named you${
            email.agency ? `, a sponsor at ${agencyInSentence(email.agency)},` : ''
          } as their agency sponsor for access to the integration sandbox. They have confirmed that they receive email at that address.`,
          'The review page shows who they say they are and why they ask, as they wrote it. Nothing is decided until you select Approve or Deny there.',
        ],
        facts: [
          ['Requester’s address', email.contractor.email],
          ['Their organization’s domain', email.contractor.domain],
        ],
        action: { label: 'Review the request', url: link?.url ?? '' },
        after: [`The link expires at ${formatTime(expiryOf(link))}.`],
        footnote: 'If you do not expect a request from this address, select Deny on the review page, or ignore this email.',
      });
    case 'sponsorship_approved':
      return compose({
        subject: 'Your sandbox access is approved',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: [
          `Your agency sponsor approved your request. Your sandbox access lasts until ${formatTime(new Date(email.accessExpiresAt))}.`,
        ],
        ...(link ? { action: { label: 'Go to the sandbox', url: link.url } } : {}),
        footnote: 'If you did not ask for sandbox access, contact your agency sponsor.',
      });
    case 'sponsorship_denied':
      return compose({
        subject: 'Your sandbox access request was not approved',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: ['Your agency sponsor did not approve your request for sandbox access.'],
        ...(email.reason ? { facts: [['Reason given', email.reason] as const] } : {}),
        footnote: 'If you think this is a mistake, contact your agency sponsor.',
      });
    case 'renewal_reminder':
    case 'access_ending':
    case 'no_decision':
    case 'sponsor_unreachable':
    case 'access_expired':
    case 'access_renewed':
    case 'access_ended':
    case 'account_revoked':
    case 'account_reinstated':
      return compose(lifecycleMessage(email, link));
    case 'dormancy_warning':
    case 'account_dormant':
      return compose(dormancyMessage(email, link));
    case 'sign_in_code':
    case 'decision_attempt':
    case 'decision_receipt':
      return compose(sponsorMessage(email, link));
  }
}
