import { csrfTokenOf, mailboxesOf } from '../core/session';
import { sessionOf } from '../http/cookies';
import { httpHandler } from '../http/http-handler';
import { html } from '../http/respond';
import { reviewSponsorship } from '../use-cases/decide-sponsorship';
import { decisionPage, reviewPage, type Viewer } from '../views/sponsorship-pages';
import { approvals } from '../wiring/approval-tokens';
import { httpOptions } from '../wiring/http-options';
import { sessions } from '../wiring/sessions';
import { tableDeps } from '../wiring/table-deps';

const deps = { ...tableDeps, approvals };

/** GET /sponsorships/review: the request, and Approve / Deny only for its sponsor, signed in. Never changes anything. */
export const handler = httpHandler(
  'review',
  {
    GET: async ({ event }) => {
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
