import * as v from 'valibot';
import { parseBody, textField } from './http/body';
import { plainText, withFormErrors } from './http/forms';
import { html, json } from './http/respond';
import { httpHandler } from './http/route';
import { runtime } from './runtime';
import { config, httpOptions } from './settings';
import { limitClient } from './use-cases/limit-client';
import { signUp } from './use-cases/sign-up';
import { checkEmailPage, signUpPage } from './views/pages';

const SignUpBody = v.object({ email: textField(512), name: textField(200) });

/** POST /signup: 202 for every eligible address, whatever its state (no enumeration). */
export const handler = httpHandler(
  {
    POST: async ({ event, format, clientIp, baseUrl }) => {
      await limitClient(clientIp, config.ipRequestsPerHour, runtime);
      const body = parseBody(event, SignUpBody);
      return withFormErrors(
        format,
        async () => {
          const name = plainText(body.name, 'name');
          await signUp({ email: body.email ?? '', ...(name ? { name } : {}), clientIp, baseUrl }, runtime);
          return format === 'html' ? html(202, checkEmailPage(config.verificationTtlSeconds)) : json(202, { status: 'verification_sent' });
        },
        (error) => signUpPage({ email: body.email ?? '', name: body.name ?? '', error }),
      );
    },
  },
  httpOptions,
);
