import { html } from './http/respond';
import { httpHandler } from './http/route';
import { config, httpOptions } from './settings';
import { contractorPage, signUpPage } from './views/pages';

/** GET / (the sign-up form) and GET /contractors (the contractor's request form). */
export const handler = httpHandler(
  {
    GET: async ({ event }) =>
      html(200, event.rawPath === '/contractors' ? contractorPage({}, config.verificationTtlSeconds) : signUpPage({}, config.verificationTtlSeconds)),
  },
  httpOptions,
);
