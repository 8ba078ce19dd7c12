import { InvalidRequestError, InvalidTokenError, SignInRequiredError } from '../core/errors';
import { csrfTokenOf } from '../core/session';
import { header, parseBody } from '../http/body';
import { actingSession, sessionOf } from '../http/cookies';
import { plainText } from '../http/forms';
import { httpHandler } from '../http/http-handler';
import { CHOOSE_MANAGE_ACTION, ManageBody } from '../http/request-bodies';
import { errorResult, html, json, redirect } from '../http/respond';
import { limitClient } from '../use-cases/limit-client';
import { listSponsored, manageSponsored } from '../use-cases/manage-contractors';
import { confirmEndPage, manageOutcomePage } from '../views/sponsor-outcomes';
import { dashboardPage } from '../views/sponsor-pages';
import { accountDeps } from '../wiring/account-deps';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';
import { outcomeNotes } from '../wiring/outcome-notes';
import { sessions } from '../wiring/sessions';
import { webhookDeps } from '../wiring/webhook-sender';

/** A change sends the sandbox's event at once. */
const deps = { ...accountDeps, ...webhookDeps };

/**
 * GET /sponsors: a signed-in sponsor's dashboard (signed out: the sign-in page); it changes
 * nothing. POST /sponsors/manage: Renew or End access, in the session, with its CSRF token.
 */
export const handler = httpHandler(
  'manage',
  {
    GET: async ({ event }) => {
      const note = event.queryStringParameters?.outcome;
      if (note !== undefined) {
        // A Renew's or an End's own page after its form post (POST-redirect-GET): what the note signed.
        const done = await outcomeNotes.read('/sponsors', note, accountDeps.clock.nowMs());
        if (!done?.status) {
          throw new InvalidTokenError('This page is no longer current. Your sponsor dashboard shows where every contractor stands.', {
            to: 'dashboard',
          });
        }
        return html(200, manageOutcomePage({ ...done, status: done.status, ...(done.unchanged ? { unchanged: true } : {}) }));
      }
      const session = await sessionOf(event, sessions, accountDeps.clock.nowMs());
      const wantsJson = /\bapplication\/json\b/i.test(header(event, 'accept') ?? '');
      if (!session && !wantsJson) return redirect('/sign-in?next=%2Fsponsors');
      // A page's GET answers errors as pages; a script asking for JSON gets the contract's JSON.
      if (!session) return errorResult(new SignInRequiredError('Sign in as a sponsor to see the contractors you sponsor.'), 'json');
      const list = await listSponsored(session, accountDeps);
      const csrf = csrfTokenOf(session!);
      return wantsJson ? json(200, { ...list, csrf }) : html(200, dashboardPage(list.sponsor, csrf, list.contractors));
    },
    POST: async ({ event, format, clientIp, baseUrl, onOutage }) => {
      onOutage((await limitClient(clientIp, config.tokenIpRequestsPerHour, accountDeps, 'token')).refund);
      const body = parseBody(event, ManageBody);
      const session = await actingSession(event, body.csrf, sessions, accountDeps.clock.nowMs());
      if (!session)
        throw new SignInRequiredError(
          'Sign in as the sponsor to renew or end access. If you are signed in, reload the page and try again.',
        );
      if (!body.requestId) throw new InvalidRequestError('Say which request: the field "requestId" is missing.', 'requestId');
      if (!body.action) throw new InvalidRequestError(CHOOSE_MANAGE_ACTION, 'action');
      const reason = plainText(body.reason, 'reason', { multiline: true, noLinks: true });
      // Without JavaScript, End access asks on a page of its own first (with it, a dialog did).
      if (format === 'html' && body.action === 'end' && body.confirmed !== 'yes') {
        return html(
          200,
          confirmEndPage({ requestId: body.requestId, csrf: body.csrf ?? '', contractor: 'The contractor', ...(reason ? { reason } : {}) }),
        );
      }
      const outcome = await manageSponsored(
        {
          session,
          requestId: body.requestId,
          action: body.action,
          ...(reason ? { reason } : {}),
          ...(body.seen !== undefined ? { seen: body.seen } : {}),
          clientIp,
          baseUrl,
        },
        deps,
      );
      if (format === 'json') return json(200, outcome);
      const signed = Object.fromEntries(Object.entries(outcome).map(([name, value]) => [name, String(value)]));
      return redirect(`/sponsors?outcome=${await outcomeNotes.sign('/sponsors', signed, accountDeps.clock.nowMs())}`);
    },
  },
  httpOptions,
);
