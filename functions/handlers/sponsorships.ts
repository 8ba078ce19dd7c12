import { answerNoSoonerThan } from '../http/answer-floor';
import { parseBody } from '../http/body';
import { checkFields, plainText, withFormErrors } from '../http/forms';
import { httpHandler, type RequestContext } from '../http/http-handler';
import { SponsorshipBody } from '../http/request-bodies';
import { html, json } from '../http/respond';
import type { HttpResult } from '../http/types';
import { besideCounter, limitClient } from '../use-cases/limit-client';
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
    POST: async (context) => {
      // Counted first, so even a malformed request counts; awaited beside the reads, its 429 is the answer whatever else.
      const counted = limitClient(context.clientIp, config.ipRequestsPerHour, accountDeps).then((charge) =>
        context.onOutage(charge.refund),
      );
      return besideCounter(counted, sponsorshipAnswer(context, counted));
    },
  },
  httpOptions,
);

/** The request read, checked and served, with the client's counter under way (`counted`). */
async function sponsorshipAnswer({ event, format, clientIp, baseUrl }: RequestContext, counted: Promise<unknown>): Promise<HttpResult> {
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
        { email: body.email ?? '', sponsorEmail: body.sponsorEmail ?? '', name, company, justification, clientIp, baseUrl, counted },
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
}
