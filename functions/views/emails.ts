import type { Notice } from '../core/ports';
import { composeEmail, type EmailContent, type EmailOptions, type Message } from './email-layout';
import { formatTime } from './format';
import { lifecycleMessage } from './lifecycle-emails';

const NOT_YOU = 'If you did not ask for this, ignore this email: nothing happens unless the link is used.';

export function renderNotice(notice: Notice, options: EmailOptions = {}): EmailContent {
  const compose = (message: Message) => composeEmail(message, options);
  switch (notice.type) {
    case 'verify_link':
      return compose({
        subject: 'Confirm your email address for the sandbox',
        paragraphs: [
          notice.contractor
            ? 'Confirm your email address to send your sandbox access request to your agency sponsor.'
            : 'Confirm your email address to finish creating your sandbox account.',
        ],
        action: { label: 'Confirm my email address', url: notice.link },
        after: [`The link works once and expires at ${formatTime(notice.expiresAt)}.`],
        footnote: NOT_YOU,
      });
    case 'already_active':
      return compose({
        subject: 'You already have a sandbox account',
        paragraphs: [
          'Someone asked to create a sandbox account for this email address, but it already has an active account. No new account was created.',
        ],
        ...(notice.signInUrl
          ? { action: { label: 'Go to the sandbox', url: notice.signInUrl } }
          : { after: ['You can sign in to the sandbox as usual.'] }),
        footnote: 'If this was not you, you do not need to do anything.',
      });
    case 'sponsor_request':
      return compose({
        subject: 'A sandbox access request names you as sponsor',
        paragraphs: [
          `Someone using ${notice.contractor.email}, an external address at ${notice.contractor.domain}, named you as their agency sponsor for access to the integration sandbox. They have confirmed that they receive email at that address.`,
          'The review page shows who they say they are and why they ask, as they wrote it. Nothing is decided until you select Approve or Deny there.',
        ],
        facts: [
          ['Requester’s address', notice.contractor.email],
          ['Their organization’s domain', notice.contractor.domain],
        ],
        action: { label: 'Review the request', url: notice.link },
        after: [`The link expires at ${formatTime(notice.expiresAt)}.`],
        footnote: 'If you do not expect a request from this address, select Deny on the review page, or ignore this email.',
      });
    case 'sponsorship_approved':
      return compose({
        subject: 'Your sandbox access is approved',
        ...(notice.name ? { name: notice.name } : {}),
        paragraphs: [`Your agency sponsor approved your request. Your sandbox access lasts until ${formatTime(notice.accessExpiresAt)}.`],
        ...(notice.signInUrl ? { action: { label: 'Go to the sandbox', url: notice.signInUrl } } : {}),
        footnote: 'If you did not ask for sandbox access, contact your agency sponsor.',
      });
    case 'sponsorship_denied':
      return compose({
        subject: 'Your sandbox access request was not approved',
        ...(notice.name ? { name: notice.name } : {}),
        paragraphs: ['Your agency sponsor did not approve your request for sandbox access.'],
        ...(notice.reason ? { facts: [['Reason given', notice.reason] as const] } : {}),
        footnote: 'If you think this is a mistake, contact your agency sponsor.',
      });
    case 'manage_link':
    case 'renewal_reminder':
    case 'access_expired':
    case 'access_renewed':
    case 'access_ended':
    case 'account_revoked':
    case 'account_reinstated':
      return compose(lifecycleMessage(notice));
    case 'decision_receipt':
      return compose({
        subject: notice.outcome === 'approved' ? 'You approved a sandbox access request' : 'You denied a sandbox access request',
        paragraphs: [
          `Through the review link we emailed you, the sandbox access request of ${notice.contractorEmail} was ${notice.outcome} at ${formatTime(notice.at)}, from the network address ${notice.clientIp}.`,
        ],
        footnote:
          notice.outcome === 'approved'
            ? 'If this was not you, someone else has your review link: tell the sandbox support team at once, so that the access can be ended.'
            : 'If this was not you, someone else has your review link: tell the sandbox support team.',
      });
  }
}
