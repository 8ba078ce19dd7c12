import { answerNoSoonerThan } from '../http/answer-floor';
import { parseBody } from '../http/body';
import { checkFields, plainText, withFormErrors } from '../http/forms';
import { httpHandler } from '../http/http-handler';
import { SponsorshipBody } from '../http/request-bodies';
import { html, json } from '../http/respond';
import { limitClient } from '../use-cases/limit-client';
import { requestSponsorship, sponsorshipAddresses } from '../use-cases/request-sponsorship';
import { checkEmailPage, contractorPage } from '../views/sign-up-pages';
import { accountDeps } from '../wiring/account-deps';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';
import { registryLookup } from '../wiring/registry-lookup';

const deps = { ...accountDeps, ...registryLookup };

/** POST /sponsorships: a contractor's request. 202 whatever the state of their account. */
export const handler = httpHandler(
  'sponsorships',
  {
    POST: async ({ event, format, clientIp, baseUrl, onOutage }) => {
      onOutage((await limitClient(clientIp, config.ipRequestsPerHour, accountDeps)).refund);
      const body = parseBody(event, SponsorshipBody);
      return withFormErrors(
        format,
        async () => {
          const [name, { requester }, company, justification] = checkFields([
            () => plainText(body.name, 'name', { required: 'Enter your full name.', noLinks: true })!,
            () => sponsorshipAddresses({ email: body.email ?? '', sponsorEmail: body.sponsorEmail ?? '' }, deps),
            () => plainText(body.company, 'company', { required: 'Enter the company you work for.', noLinks: true })!,
            () =>
              plainText(body.justification, 'justification', {
                required: 'Tell your sponsor why you need sandbox access.',
                multiline: true,
              })!,
          ]);
          await requestSponsorship(
            { email: body.email ?? '', sponsorEmail: body.sponsorEmail ?? '', name, company, justification, clientIp, baseUrl },
            deps,
          );
          await answerNoSoonerThan(config.anonymousAnswerMs, event);
          // The contractor's address as written to: they typed it, so it tells them nothing new.
          const email = requester.canonical;
          return format === 'html'
            ? html(202, checkEmailPage(config.verificationTtlSeconds, { contractor: true, email }))
            : json(202, { status: 'verification_sent', email });
        },
        (errors) => contractorPage({ ...body, errors }, config.verificationTtlSeconds),
      );
    },
  },
  httpOptions,
);
