import type { Notice } from '../core/ports';
import { formatTime } from './format';
import { html } from './html';

export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * Every email is one shape: a greeting, paragraphs, at most one action and a footnote. The
 * action's link appears twice: as a button in the HTML part and as the raw URL in both parts,
 * for mail clients that strip buttons. Inline styles only, no remote images.
 */
interface Message {
  readonly subject: string;
  readonly name?: string;
  readonly paragraphs: readonly string[];
  /** Labelled facts, e.g. the contractor's company, shown as a list. */
  readonly facts?: readonly (readonly [string, string])[];
  readonly action?: { readonly label: string; readonly url: string };
  readonly after?: readonly string[];
  readonly footnote: string;
}

const BRAND = 'Sandbox sign-up, a service for U.S. government agency partners';

export interface EmailOptions {
  /** Named in every email: who to write to about it. */
  readonly supportEmail?: string;
}

function composeWith(message: Message, options: EmailOptions): EmailContent {
  const footnote = options.supportEmail ? `${message.footnote} Questions: write to ${options.supportEmail}.` : message.footnote;
  const greeting = message.name ? `Hello ${message.name},` : 'Hello,';
  const facts = message.facts ?? [];
  const after = message.after ?? [];
  const text = [
    greeting,
    '',
    ...message.paragraphs.flatMap((p) => [p, '']),
    ...(facts.length ? [...facts.map(([label, value]) => `${label}: ${value}`), ''] : []),
    ...(message.action ? [`${message.action.label}:`, message.action.url, ''] : []),
    ...after.flatMap((p) => [p, '']),
    footnote,
  ].join('\n');

  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${message.subject}</title></head>
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;color:#1b1b1b;background:#ffffff">
<div style="max-width:600px;margin:0 auto">
<p style="font-size:13px;color:#565c65;margin:0 0 16px">${BRAND}</p>
<h1 style="font-size:22px">${message.subject}</h1>
<p>${greeting}</p>
${message.paragraphs.map((p) => html`<p>${p}</p>`)}
${facts.length ? html`<dl>${facts.map(([label, value]) => html`<dt style="font-weight:bold">${label}</dt><dd style="margin:0 0 8px;white-space:pre-wrap">${value}</dd>`)}</dl>` : ''}
${
  message.action
    ? html`<p style="margin:24px 0"><a href="${message.action.url}" style="display:inline-block;background:#005ea2;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold">${message.action.label}</a></p>
<p>Or copy this link into your browser:<br><a href="${message.action.url}" style="color:#005ea2;word-break:break-all">${message.action.url}</a></p>`
    : ''
}
${after.map((p) => html`<p>${p}</p>`)}
<p style="font-size:13px;color:#565c65">${footnote}</p>
</div>
</body></html>
`.value;
  return { subject: message.subject, text, html: body };
}

const NOT_YOU = 'If you did not ask for this, ignore this email: nothing happens unless the link is used.';

export function renderNotice(notice: Notice, options: EmailOptions = {}): EmailContent {
  const compose = (message: Message) => composeWith(message, options);
  switch (notice.type) {
    case 'verify_link':
      return compose({
        subject: 'Confirm your email address for the sandbox',
        ...(notice.name ? { name: notice.name } : {}),
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
        ...(notice.name ? { name: notice.name } : {}),
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
        subject: 'A contractor asks you to sponsor their sandbox access',
        paragraphs: [
          `${notice.contractor.name ?? notice.contractor.email} named you as their agency sponsor for access to the integration sandbox. They have confirmed their email address.`,
          'Review the request and approve or deny it. Nothing is decided until you select a button on the review page.',
        ],
        facts: [
          ['Name', notice.contractor.name ?? '(not given)'],
          ['Email', notice.contractor.email],
          ['Company', notice.contractor.company],
          ['Why they need access', notice.contractor.justification],
        ],
        action: { label: 'Review the request', url: notice.link },
        after: [`The link expires at ${formatTime(notice.expiresAt)}.`],
        footnote: 'If you do not know this person, select Deny on the review page.',
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
  }
}
