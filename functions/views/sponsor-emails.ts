import type { Email, Link } from '../core/email';
import type { Message } from './email-layout';
import { formatTime } from './format';

type SponsorEmail = Extract<Email, { type: 'sign_in_code' | 'decision_attempt' | 'decision_receipt' }>;

const RECEIPTS = {
  approved: { subject: 'You approved a sandbox access request', did: (who: string) => `the sandbox access request of ${who} was approved` },
  denied: { subject: 'You denied a sandbox access request', did: (who: string) => `the sandbox access request of ${who} was denied` },
  renewed: { subject: 'You renewed sandbox access', did: (who: string) => `the sandbox access of ${who} was renewed` },
  ended: { subject: 'You ended sandbox access', did: (who: string) => `the sandbox access of ${who} was ended` },
} as const;

/** What a sponsor reads about signing in and about the decisions made in their name. */
export function sponsorMessage(email: SponsorEmail, link: Link | undefined): Message {
  const dashboard = link ? { action: { label: 'Open your sponsor dashboard', url: link.url } } : {};
  switch (email.type) {
    case 'sign_in_code':
      return {
        subject: `Your sandbox sign-in code: ${email.code}`,
        paragraphs: [
          'Someone asked to sign in to the sandbox sponsor dashboard as this address. Type this code on the page that asked for it:',
        ],
        facts: [['Sign-in code', email.code]],
        after: [`The code works once, for ${email.minutes} minutes. A newer code replaces it.`],
        footnote: 'If you did not ask to sign in, ignore this email: without the code nobody can sign in as you. Never share the code.',
      };
    case 'decision_attempt':
      return {
        subject: 'Someone tried to decide a sandbox request in your name',
        paragraphs: [
          `At ${formatTime(new Date(email.at))}, a person signed in as ${email.signedInAs} tried to decide the sandbox access of ${email.contractorEmail}, which named you as sponsor, from the network address ${email.clientIp}. Nothing was changed: only you can decide, signed in as yourself.`,
        ],
        ...dashboard,
        footnote: 'If you forwarded the review email, this may be its recipient. If not, tell the sandbox support team.',
      };
    case 'decision_receipt':
      return {
        subject: RECEIPTS[email.outcome].subject,
        paragraphs: [
          `Signed in as this address, ${RECEIPTS[email.outcome].did(email.contractorEmail)} at ${formatTime(new Date(email.at))}, from the network address ${email.clientIp}.`,
          ...(link
            ? [
                'Your sponsor dashboard lists every contractor who named you, with when their access ends: renew it there, or end it at once.',
              ]
            : []),
        ],
        ...dashboard,
        footnote:
          email.outcome === 'approved' || email.outcome === 'renewed'
            ? 'If this was not you, someone is signed in as you: tell the sandbox support team at once, so that the access can be ended.'
            : 'If this was not you, someone is signed in as you: tell the sandbox support team.',
      };
  }
}
