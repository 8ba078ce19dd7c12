import { httpHandler } from '../http/http-handler';
import { openApiDocument } from '../http/openapi';
import { html, json } from '../http/respond';
import { contractorPage, signUpPage } from '../views/sign-up-pages';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';

/** The longest address a mailbox can have; anything longer is not one to fill in. */
const EMAIL_MAX = 254;

const PAGES: Readonly<Record<string, (email: string | undefined) => string>> = {
  '/contractors': (email) => contractorPage(email ? { email } : {}, config.verificationTtlSeconds),
};

/** GET / (the sign-up form), /contractors (a contractor's request), each with `?email=` filled in, and /openapi.json (the contract). */
export const handler = httpHandler(
  'pages',
  {
    GET: async ({ event }) => {
      if (event.rawPath === '/openapi.json') return json(200, openApiDocument(config.baseUrl));
      // `?email=` keeps the address of a link that expired, so asking again is one click.
      const given = event.queryStringParameters?.email;
      const email = given && given.length <= EMAIL_MAX ? given : undefined;
      return html(200, (PAGES[event.rawPath] ?? ((kept) => signUpPage(kept ? { email: kept } : {}, config.verificationTtlSeconds)))(email));
    },
  },
  httpOptions,
);
