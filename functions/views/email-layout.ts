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
export interface Message {
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

/** Renders one message in the house shape: text and HTML parts that say the same. */
export function composeEmail(message: Message, options: EmailOptions): EmailContent {
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
