import { html, type SafeHtml } from '../../functions/views/html';

/**
 * The pages of the local OpenID provider (infra/local/oidc-provider.ts). Plain, self-contained
 * HTML: the provider has an origin of its own and serves none of the service's assets.
 */

const STYLE = `body{font-family:system-ui,sans-serif;line-height:1.5;margin:2rem auto;max-width:36rem;padding:0 1rem;color:#1b1b1b}
label{display:block;font-weight:700;margin-top:1.5rem}input,textarea{display:block;width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #565c65}
.hint{color:#5c5c5c;margin:0}.error{color:#b50909;font-weight:700;margin:0}[aria-invalid=true]{border:3px solid #b50909}
button{margin-top:1.5rem;font:inherit;font-weight:700;padding:.75rem 1.25rem;color:#fff;background:#005ea2;border:0;border-radius:4px}`;

function page(title: string, main: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | Development stand-in for Login.gov</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>`.value;
}

export interface SignInForm {
  /** Where the form posts: the interaction's own URL. */
  readonly action: string;
  readonly email?: string;
  readonly otherEmails?: string;
  readonly emailError?: string;
  readonly otherEmailsError?: string;
}

export function signInPage(form: SignInForm): string {
  const { emailError, otherEmailsError } = form;
  const otherDescribedBy = otherEmailsError ? 'other-emails-hint other-emails-error' : 'other-emails-hint';
  return page(
    emailError || otherEmailsError ? 'Error: Sign in' : 'Sign in',
    html`<h1>Development sign-in: a stand-in for Login.gov</h1>
<p>This is a development stand-in for Login.gov. It signs anyone in as any address they type: nothing is checked, no email is sent, no password is asked.</p>
<form method="post" action="${form.action}" novalidate>
<label for="email">Email address</label>
${emailError ? html`<p class="error" id="email-error">${emailError}</p>` : ''}
<input id="email" name="email" type="email" required autocomplete="email" value="${form.email ?? ''}"${
      emailError ? html` aria-invalid="true" aria-describedby="email-error"` : ''
    }>
<label for="other-emails">Other addresses you also own (optional)</label>
<p class="hint" id="other-emails-hint">One per line. They are sent as <code>all_emails</code>, with the address above.</p>
${otherEmailsError ? html`<p class="error" id="other-emails-error">${otherEmailsError}</p>` : ''}
<textarea id="other-emails" name="other_emails" rows="3" aria-describedby="${otherDescribedBy}"${
      otherEmailsError ? html` aria-invalid="true"` : ''
    }>${form.otherEmails ?? ''}</textarea>
<button type="submit">Sign in</button>
</form>`,
  );
}

/** What the provider shows instead of a redirect when it cannot trust where to send the browser. */
export function errorPage(error: string, description: string | undefined): string {
  return page(
    'Sign-in error',
    html`<h1>The sign-in request was refused</h1>
<p>The development stand-in for Login.gov refused this request: <code>${error}</code>.</p>
${description ? html`<p>${description}</p>` : ''}`,
  );
}
