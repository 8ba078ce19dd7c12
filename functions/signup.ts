import * as v from 'valibot';
import { AppError, InvalidRequestError } from './core/errors';
import { parseBody, textField } from './http/body';
import { html, json, statusOf } from './http/respond';
import { httpHandler } from './http/route';
import { runtime } from './runtime';
import { config, httpOptions } from './settings';
import { limitClient } from './use-cases/limit-client';
import { signUp } from './use-cases/sign-up';
import { checkEmailPage, signUpPage } from './views/pages';

const SignUpBody = v.object({ email: textField(512), name: textField(200) });
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** POST /signup: 202 for every eligible address, whatever its state (no enumeration). */
export const handler = httpHandler(
  {
    POST: async ({ event, format, clientIp, baseUrl }) => {
      await limitClient(clientIp, config.ipRequestsPerHour, runtime);
      const body = parseBody(event, SignUpBody);
      const name = body.name?.trim();
      try {
        if (name !== undefined && CONTROL.test(name)) {
          throw new InvalidRequestError('Enter your name without control characters.', 'name');
        }
        await signUp({ email: body.email ?? '', ...(name ? { name } : {}), clientIp, baseUrl }, runtime);
      } catch (error) {
        if (format === 'html' && error instanceof AppError && error.field) {
          const form = { email: body.email ?? '', name: body.name ?? '', error: { field: error.field, message: error.message } };
          return html(statusOf(error), signUpPage(form));
        }
        throw error;
      }
      return format === 'html'
        ? html(202, checkEmailPage(config.verificationTtlSeconds))
        : json(202, { status: 'verification_sent' });
    },
  },
  httpOptions,
);
