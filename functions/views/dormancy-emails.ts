import type { Email, Link } from '../core/email';
import type { Message } from './email-layout';
import { formatTime } from './format';

/** The emails of accounts that end when unused (docs/design.md §6): the warnings, and the end. */
export type DormancyEmail = Extract<Email, { type: 'dormancy_warning' | 'account_dormant' }>;

export function dormancyMessage(email: DormancyEmail, link: Link | undefined): Message {
  switch (email.type) {
    case 'dormancy_warning':
      return {
        subject: 'Keep your sandbox account',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: [
          `Your sandbox account will be closed on ${formatTime(new Date(email.dormantAt))} unless you keep it.`,
          email.byActivity
            ? 'Using the sandbox keeps it open. If you still need the account but will not use it before then, select the button.'
            : 'Accounts are confirmed once a year. If you still need the account, select the button.',
        ],
        action: { label: 'Keep my account', url: link?.url ?? '' },
        after: ['If you no longer need it, do nothing: it closes on that date, and you can sign up again later.'],
        footnote: 'You get this reminder before an unused account closes.',
      };
    case 'account_dormant':
      return {
        subject: 'Your sandbox account was closed',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: [
          'Your sandbox account was closed because it was not used or confirmed in time.',
          email.contractor
            ? 'If you need sandbox access again, send a new request naming your agency sponsor.'
            : 'If you need the sandbox again, sign up again with the same address.',
        ],
        action: { label: email.contractor ? 'Open the request page' : 'Sign up again', url: link?.url ?? '' },
        footnote: 'Nothing else is needed if you no longer use the sandbox.',
      };
  }
}
