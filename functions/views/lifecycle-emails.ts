import type { Email, Link } from '../core/email';
import type { Message } from './email-layout';
import { formatTime } from './format';

/** The emails of access that ends (docs/design.md §6): to sponsors, their links and reminders; to contractors, what changed. */
export type LifecycleEmail = Extract<
  Email,
  {
    type:
      | 'renewal_reminder'
      | 'access_ending'
      | 'access_expired'
      | 'no_decision'
      | 'sponsor_unreachable'
      | 'access_renewed'
      | 'access_ended'
      | 'account_revoked'
      | 'account_reinstated';
  }
>;

export function lifecycleMessage(email: LifecycleEmail, link: Link | undefined): Message {
  switch (email.type) {
    case 'renewal_reminder':
      return {
        subject:
          email.contractors.length === 1
            ? 'Sandbox access you sponsor ends soon'
            : `Sandbox access of ${email.contractors.length} contractors you sponsor ends soon`,
        paragraphs: [
          'You sponsor the sandbox access below. It ends on the date shown unless you renew it. If the work has finished, you can end it now instead.',
        ],
        facts: email.contractors.map(
          (contractor) =>
            [
              contractor.name ? `${contractor.name} (${contractor.email})` : contractor.email,
              `${contractor.company}, access ends ${formatTime(new Date(contractor.accessExpiresAt))}`,
            ] as const,
        ),
        action: { label: 'Renew or end access', url: link?.url ?? '' },
        after: ['Sign in on your sponsor dashboard to renew or end it. Nothing changes unless you do.'],
        footnote: 'You get this reminder once for each period of access you granted.',
      };
    case 'access_ending':
      return {
        subject: 'Your sandbox access ends soon',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: [
          `Your sandbox access ends on ${formatTime(new Date(email.accessExpiresAt))}.`,
          `Only your agency sponsor, ${email.sponsorEmail}, can renew it: if you still need access after that date, ask them before then. They have been reminded too.`,
        ],
        footnote: 'You get this notice once for each period of access.',
      };
    case 'sponsor_unreachable':
      return {
        subject: 'Your sandbox sponsor no longer receives email',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: [
          `Email to your agency sponsor, ${email.sponsorEmail}, is bouncing: they may have left the agency. Your sandbox access is unchanged and lasts until ${formatTime(new Date(email.accessExpiresAt))}.`,
          'Nobody can renew it while your sponsor cannot be reached. Ask another agency employee to sponsor you and send a new request naming them: your access continues while they decide, and their approval moves it to them.',
        ],
        action: { label: 'Open the request page', url: link?.url ?? '' },
        footnote: 'The sandbox’s operators have been told too.',
      };
    case 'no_decision':
      return {
        subject: 'Your sandbox access request was not decided',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: [
          `Your agency sponsor, ${email.sponsorEmail}, did not approve or deny your request before its approval link expired, so the request has ended.`,
          'You can send a new request now, naming the same sponsor or another agency employee.',
        ],
        action: { label: 'Send a new request', url: link?.url ?? '' },
        footnote: 'Nothing else about your address has changed.',
      };
    case 'access_expired':
      return {
        subject: 'Your sandbox access has ended',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: [
          'The period of sandbox access your agency sponsor granted has ended.',
          `If you still need access, ask your sponsor, ${email.sponsorEmail}, to renew it, or send a new request.`,
        ],
        action: { label: 'Send a new request', url: link?.url ?? '' },
        footnote: 'Nothing else about your request has changed.',
      };
    case 'access_renewed':
      return {
        subject: 'Your sandbox access is renewed',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: [
          `Your agency sponsor, ${email.sponsorEmail}, renewed your sandbox access. It now lasts until ${formatTime(new Date(email.accessExpiresAt))}.`,
        ],
        footnote: 'If you no longer need access, tell your sponsor.',
      };
    case 'account_revoked':
      return {
        subject: 'Your sandbox access was ended',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: ['The sandbox’s operators ended your sandbox access.'],
        ...(email.reason ? { facts: [['Reason given', email.reason] as const] } : {}),
        footnote: 'If you think this is a mistake, write to the sandbox support team.',
      };
    case 'account_reinstated':
      return {
        subject: 'Your sandbox access is back',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: [
          email.accessExpiresAt
            ? `The sandbox’s operators gave your sandbox access back. It lasts until ${formatTime(new Date(email.accessExpiresAt))}.`
            : 'The sandbox’s operators gave your sandbox access back.',
        ],
        ...(link ? { action: { label: 'Go to the sandbox', url: link.url } } : {}),
        footnote: 'If you no longer need access, tell the sandbox support team.',
      };
    case 'access_ended':
      return {
        subject: 'Your sandbox access was ended',
        ...(email.name ? { name: email.name } : {}),
        paragraphs: [`Your agency sponsor, ${email.sponsorEmail}, ended your sandbox access.`],
        ...(email.reason ? { facts: [['Reason given', email.reason] as const] } : {}),
        footnote: 'If you think this is a mistake, contact your agency sponsor.',
      };
  }
}
