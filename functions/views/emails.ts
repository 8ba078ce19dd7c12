import type { Notice } from '../core/ports';
import { html, type SafeHtml } from './html';

export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * Emails carry every link twice: as a button in the HTML part and as the raw URL in both parts,
 * for mail clients that strip buttons. Inline styles only and no remote images.
 */

function frame(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;color:#1b1b1b;background:#ffffff">
<div style="max-width:600px;margin:0 auto">
<p style="font-size:13px;color:#565c65;margin:0 0 16px">Sandbox sign-up, a service for U.S. government agency partners</p>
${body}
</div>
</body></html>
`.value;
}

function button(link: string, label: string): SafeHtml {
  return html`<p style="margin:24px 0"><a href="${link}" style="display:inline-block;background:#005ea2;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold">${label}</a></p>`;
}

function greeting(name: string | undefined): string {
  return name ? `Hello ${name},` : 'Hello,';
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const NOT_YOU = 'If you did not ask for this, ignore this email: nothing happens unless the link is used.';

export function renderNotice(notice: Notice): EmailContent {
  if (notice.type === 'verify_link') {
    const subject = 'Confirm your email address for the sandbox';
    const expires = formatTime(notice.expiresAt);
    return {
      subject,
      text: [
        greeting(notice.name),
        '',
        'Confirm your email address to finish creating your sandbox account. Open this link:',
        '',
        notice.link,
        '',
        `The link works once and expires at ${expires}.`,
        '',
        NOT_YOU,
      ].join('\n'),
      html: frame(
        subject,
        html`<h1 style="font-size:22px">Confirm your email address</h1>
<p>${greeting(notice.name)}</p>
<p>Confirm your email address to finish creating your sandbox account.</p>
${button(notice.link, 'Confirm my email address')}
<p>Or copy this link into your browser:<br><a href="${notice.link}" style="color:#005ea2;word-break:break-all">${notice.link}</a></p>
<p>The link works once and expires at ${expires}.</p>
<p style="font-size:13px;color:#565c65">${NOT_YOU}</p>`,
      ),
    };
  }
  const subject = 'You already have a sandbox account';
  const where = notice.signInUrl ? `Sign in to the sandbox: ${notice.signInUrl}` : 'You can sign in to the sandbox as usual.';
  return {
    subject,
    text: [
      greeting(notice.name),
      '',
      'Someone asked to create a sandbox account for this email address, but it already has an active account. No new account was created.',
      '',
      where,
      '',
      'If this was not you, you do not need to do anything.',
    ].join('\n'),
    html: frame(
      subject,
      html`<h1 style="font-size:22px">You already have a sandbox account</h1>
<p>${greeting(notice.name)}</p>
<p>Someone asked to create a sandbox account for this email address, but it already has an active account. No new account was created.</p>
${notice.signInUrl ? html`${button(notice.signInUrl, 'Go to the sandbox')}<p>Or copy this link into your browser:<br>${notice.signInUrl}</p>` : html`<p>You can sign in to the sandbox as usual.</p>`}
<p style="font-size:13px;color:#565c65">If this was not you, you do not need to do anything.</p>`,
    ),
  };
}
