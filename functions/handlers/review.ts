import { InvalidTokenError } from '../core/errors';
import { csrfTokenOf, mailboxesOf } from '../core/session';
import { sessionOf } from '../http/cookies';
import { httpHandler } from '../http/http-handler';
import { html } from '../http/respond';
import { reviewSponsorship } from '../use-cases/decide-sponsorship';
import { decisionPage, reviewPage, type Viewer } from '../views/sponsorship-pages';
import { approvals } from '../wiring/approval-tokens';
import { httpOptions } from '../wiring/http-options';
import { outcomeNotes } from '../wiring/outcome-notes';
import { sessions } from '../wiring/sessions';
import { tableDeps } from '../wiring/table-deps';

const deps = { ...tableDeps, approvals };

/** GET /sponsorships/review: the request, and Approve / Deny only for its sponsor, signed in; `?outcome=`: a decision's page. Never changes anything. */
export const handler = httpHandler(
  'review',
  {
    GET: async ({ event }) => {
      const note = event.queryStringParameters?.outcome;
      if (note !== undefined) {
        // A decision's own page after its form post (POST-redirect-GET): what the note signed, nothing from the URL.
        const decided = await outcomeNotes.read('/sponsorships/review', note, deps.clock.nowMs());
        if (decided?.status !== 'approved' && decided?.status !== 'denied') {
          throw new InvalidTokenError('This page is no longer current. Your sponsor dashboard shows where every request stands.', {
            to: 'dashboard',
          });
        }
        return html(200, decisionPage(decided.status, decided.accessExpiresAt ? { accessExpiresAt: decided.accessExpiresAt } : {}));
      }
      const token = event.queryStringParameters?.token ?? '';
      const review = await reviewSponsorship(token, deps);
      if (review.state === 'done') return html(200, decisionPage(review.outcome, { alreadyDone: true }));
      const session = await sessionOf(event, sessions, deps.clock.nowMs());
      const viewer: Viewer = !session
        ? { as: 'nobody' }
        : {
            as: mailboxesOf(session).includes(review.sponsorMailbox) ? 'sponsor' : 'someone-else',
            mailbox: session.mailbox,
            csrf: csrfTokenOf(session),
          };
      return html(200, reviewPage(token, review.request, viewer));
    },
  },
  httpOptions,
);
