import type { ServerResponse } from 'node:http';
import { html, type SafeHtml } from '../../functions/views/html';

/**
 * Pages only the laptop serves, beside the service's routes: the mailbox, where every emailed
 * link opens by a click (the SES emulator's own page shows the HTML part in a frame, and the
 * service's pages refuse to be framed), and a stand-in for the sandbox that SANDBOX_URL points
 * to when none is given.
 */
export const LOCAL_MAILBOX_PATH = '/_local/mailbox';
export const LOCAL_SANDBOX_PATH = '/_local/sandbox';

/** An email as the SES emulator's store (`GET /store`) keeps it. */
interface StoredEmail {
  readonly messageId: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
  /** Epoch seconds. */
  readonly at: number;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;

/** The text part with each URL in it a link (the text part carries every link raw). */
function linkedText(text: string): SafeHtml[] {
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const url = match[0].replace(/[.,;:)]+$/, '');
    parts.push(html`${text.slice(last, match.index)}<a href="${url}">${url}</a>`);
    last = match.index + url.length;
  }
  parts.push(html`${text.slice(last)}`);
  return parts;
}

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
article{border:1px solid #aaa;border-radius:4px;padding:0 1rem;margin:1rem 0}pre{white-space:pre-wrap;word-break:break-word}
a{color:#005ea2}.meta{color:#555}</style></head>
<body><main>${body}</main></body></html>`.value;
}

export function mailboxPage(emails: readonly StoredEmail[], sesEndpoint: string): string {
  const newestFirst = [...emails].sort((a, b) => b.at - a.at);
  const items = newestFirst.map(
    (email) => html`<article>
<h2>${email.subject}</h2>
<p class="meta">To ${email.destination.to.join(', ')} · ${new Date(email.at * 1000).toISOString()}</p>
<pre>${linkedText(email.body.text ?? '')}</pre>
</article>`,
  );
  return page(
    'Local mailbox',
    html`<h1>Local mailbox</h1>
<p>Every email the service sent since <code>npm start</code>, newest first. Select a link to open it. Reload for new mail.
The SES emulator's own page is at <a href="${sesEndpoint}/">${sesEndpoint}/</a>.</p>
${items.length ? items : html`<p>No email yet.</p>`}`,
  );
}

export function sandboxPage(): string {
  return page(
    'The sandbox (local stand-in)',
    html`<h1>This is where the sandbox would be</h1>
<p>On a laptop, <code>npm start</code> points <code>SANDBOX_URL</code> here. In AWS the links go to the sandbox the operator names
(the <code>sandboxUrl</code> context value).</p>
<p><a href="/">Back to the sign-up page</a></p>`,
  );
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}

/** Answers `pathname` when it is one of the laptop's own pages; false otherwise. */
export async function localPage(pathname: string, res: ServerResponse, sesEndpoint: string | undefined): Promise<boolean> {
  if (pathname === LOCAL_SANDBOX_PATH) {
    send(res, 200, sandboxPage());
    return true;
  }
  if (pathname !== LOCAL_MAILBOX_PATH) return false;
  if (!sesEndpoint) {
    send(res, 404, page('No mailbox', html`<h1>No mailbox</h1><p>This server was started without the SES emulator.</p>`));
    return true;
  }
  try {
    const response = await fetch(`${sesEndpoint}/store`);
    const { emails } = (await response.json()) as { emails: StoredEmail[] };
    send(res, 200, mailboxPage(emails, sesEndpoint));
  } catch {
    send(res, 502, page('Mailbox unavailable', html`<h1>Mailbox unavailable</h1><p>The SES endpoint ${sesEndpoint} keeps no mailbox.</p>`));
  }
  return true;
}
