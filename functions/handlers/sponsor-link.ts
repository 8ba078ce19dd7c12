import { answerNoSoonerThan } from '../http/answer-floor';
import { parseBody } from '../http/body';
import { withFormErrors } from '../http/forms';
import { httpHandler } from '../http/http-handler';
import { SponsorLinkBody } from '../http/request-bodies';
import { html, json } from '../http/respond';
import { limitClient } from '../use-cases/limit-client';
import { requestManageLink } from '../use-cases/request-manage-link';
import { linkSentPage, sponsorsPage } from '../views/sponsor-pages';
import { accountDeps } from '../wiring/account-deps';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';

/** POST /sponsors/link: 202 for every eligible address, whether it sponsors anyone or not (no enumeration). */
export const handler = httpHandler(
  'sponsorLink',
  {
    POST: async ({ event, format, clientIp, baseUrl, onOutage }) => {
      onOutage((await limitClient(clientIp, config.ipRequestsPerHour, accountDeps)).refund);
      const body = parseBody(event, SponsorLinkBody);
      return withFormErrors(
        format,
        async () => {
          await requestManageLink({ email: body.email ?? '', clientIp, baseUrl }, accountDeps);
          await answerNoSoonerThan(config.anonymousAnswerMs, event);
          return format === 'json' ? json(202, { status: 'link_sent' }) : html(202, linkSentPage(config.sponsorLinkTtlSeconds));
        },
        (error) => sponsorsPage({ email: body.email, error }, config.sponsorLinkTtlSeconds),
      );
    },
  },
  httpOptions,
);
