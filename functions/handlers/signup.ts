import * as v from 'valibot';
import { answerNoSoonerThan } from '../http/answer-floor';
import { parseBody, textField } from '../http/body';
import { EMAIL_MAX, NAME_MAX } from '../http/fields';
import { plainText, withFormErrors } from '../http/forms';
import { httpHandler } from '../http/http-handler';
import { html, json, redirect } from '../http/respond';
import { limitClient } from '../use-cases/limit-client';
import { signUp } from '../use-cases/sign-up';
import { checkEmailPage, signUpPage } from '../views/sign-up-pages';
import { accountDeps } from '../wiring/account-deps';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';

const SignUpBody = v.object({ email: textField(EMAIL_MAX), name: textField(NAME_MAX) });

/** POST /signup: 202 for every eligible address, whatever its state (no enumeration). */
export const handler = httpHandler(
  'signup',
  {
    POST: async ({ event, format, clientIp, baseUrl, origin }) => {
      await limitClient(clientIp, config.ipRequestsPerHour, accountDeps);
      const body = parseBody(event, SignUpBody);
      return withFormErrors(
        format,
        async () => {
          const name = plainText(body.name, 'name', { noLinks: true });
          await signUp({ email: body.email ?? '', ...(name ? { name } : {}), clientIp, baseUrl }, accountDeps);
          await answerNoSoonerThan(config.anonymousAnswerMs, event);
          if (format === 'json') return json(202, { status: 'verification_sent' });
          // A partner site's plain form (no JavaScript) goes back to the partner's own page.
          if (origin.kind === 'cross' && config.signupSuccessUrl) return redirect(config.signupSuccessUrl);
          return html(202, checkEmailPage(config.verificationTtlSeconds));
        },
        (error) => signUpPage({ email: body.email ?? '', name: body.name ?? '', error }, config.verificationTtlSeconds),
      );
    },
  },
  httpOptions,
);
