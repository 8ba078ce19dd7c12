import { html, type SafeHtml } from './html';

/**
 * The Privacy Act statement a federal form owes whoever fills it in when it asks for their name
 * and work address (5 U.S.C. 552a(e)(3)): the authority, the purpose, the routine uses, and
 * whether giving the information is voluntary. Generic on purpose: the operating agency's own
 * system of records notice has the particulars, and the footer links its privacy policy.
 */
export function privacyActStatement(): SafeHtml {
  return html`<section class="gk-privacy" aria-labelledby="privacy-act-statement">
<h2 id="privacy-act-statement">Privacy Act statement</h2>
<p><strong>Authority:</strong> 5 U.S.C. 301, and the laws that let the agency running this sandbox operate it.</p>
<p><strong>Purpose:</strong> we use your name and work email address to confirm that you may use the sandbox, to give you an account there, and, for a contractor, to ask your sponsor to decide.</p>
<p><strong>Routine uses:</strong> we show a contractor’s request to the sponsor it names and tell the sandbox who may sign in. Other uses are listed in the agency’s system of records notice for this service.</p>
<p><strong>Disclosure:</strong> giving this information is voluntary, but without it we cannot create your sandbox account.</p>
</section>`;
}
