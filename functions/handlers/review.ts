import { httpHandler } from '../http/http-handler';
import { html } from '../http/respond';
import { reviewSponsorship } from '../use-cases/decide-sponsorship';
import { decisionPage, reviewPage } from '../views/sponsorship-pages';
import { approvals } from '../wiring/approval-tokens';
import { httpOptions } from '../wiring/http-options';
import { tableDeps } from '../wiring/table-deps';

const deps = { ...tableDeps, approvals };

/** GET /sponsorships/review: shows the request and two buttons. Never changes anything. */
export const handler = httpHandler(
  'review',
  {
    GET: async ({ event }) => {
      const token = event.queryStringParameters?.token ?? '';
      const review = await reviewSponsorship(token, deps);
      if (review.state === 'done') return html(200, decisionPage(review.outcome, { alreadyDone: true }));
      return html(200, reviewPage(token, review.request));
    },
  },
  httpOptions,
);
