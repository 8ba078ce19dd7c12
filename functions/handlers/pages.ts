import { httpHandler } from '../http/http-handler';
import { html } from '../http/respond';
import { contractorPage, signUpPage } from '../views/sign-up-pages';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';

/** GET / (the sign-up form) and GET /contractors (the contractor's request form). */
export const handler = httpHandler(
  'pages',
  {
    GET: async ({ event }) =>
      html(
        200,
        event.rawPath === '/contractors'
          ? contractorPage({}, config.verificationTtlSeconds)
          : signUpPage({}, config.verificationTtlSeconds),
      ),
  },
  httpOptions,
);
