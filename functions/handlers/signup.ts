import { answerNoSoonerThan } from '../http/answer-floor';
import { parseBody } from '../http/body';
import { checkFields, plainText, withFormErrors } from '../http/forms';
import { httpHandler, type RequestContext } from '../http/http-handler';
import { SignUpBody } from '../http/request-bodies';
import { html, json, redirect } from '../http/respond';
import type { HttpResult } from '../http/types';
import { besideCounter, limitClient } from '../use-cases/limit-client';
import { signUp, signUpAddress } from '../use-cases/sign-up';
import { checkEmailPage, signUpPage } from '../views/sign-up-pages';
import { accountDeps } from '../wiring/account-deps';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';
import { registryLookup } from '../wiring/registry-lookup';

const deps = { ...accountDeps, ...registryLookup };

/** POST /signup: 202 for every eligible address, whatever its state (no enumeration). */
export const handler = httpHandler(
  'signup',
  {
    POST: async (context) => {
      // Counted first, so even a malformed request counts; awaited beside the reads, its 429 is the answer whatever else.
      const counted = limitClient(context.clientIp, config.ipRequestsPerHour, accountDeps).then((charge) =>
        context.onOutage(charge.refund),
      );
      return besideCounter(counted, signUpAnswer(context, counted));
    },
  },
  httpOptions,
);

/** The request read, checked and served, with the client's counter under way (`counted`). */
async function signUpAnswer({ event, format, clientIp, baseUrl, origin }: RequestContext, counted: Promise<unknown>): Promise<HttpResult> {
  const body = parseBody(event, SignUpBody);
  return withFormErrors(
    format,
    async () => {
      const [address, name] = checkFields([
        () => signUpAddress(body.email ?? '', deps.policy),
        () => plainText(body.name, 'name', { noLinks: true }),
      ]);
      await signUp({ email: body.email ?? '', ...(name ? { name } : {}), clientIp, baseUrl, counted }, deps);
      await answerNoSoonerThan(config.anonymousAnswerMs, event);
      // The address as written to, whatever its state: the sender typed it, so it tells them nothing new.
      const email = address.canonical;
      if (format === 'json') return json(202, { status: 'verification_sent', email });
      // A partner site's plain form (no JavaScript) goes back to the partner's own page.
      if (origin.kind === 'cross' && config.signupSuccessUrl) return redirect(config.signupSuccessUrl);
      return html(202, checkEmailPage(config.verificationTtlSeconds, { email }));
    },
    (errors) => signUpPage({ email: body.email ?? '', name: body.name ?? '', errors }, config.verificationTtlSeconds),
  );
}
