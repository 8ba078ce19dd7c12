import { httpHandler } from '../http/http-handler';
import { openApiDocument } from '../http/openapi';
import { html, json } from '../http/respond';
import { contractorPage, signUpPage } from '../views/sign-up-pages';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';

const PAGES: Readonly<Record<string, () => string>> = {
  '/contractors': () => contractorPage({}, config.verificationTtlSeconds),
};

/** GET / (the sign-up form), /contractors (a contractor's request), and /openapi.json (the contract). */
export const handler = httpHandler(
  'pages',
  {
    GET: async ({ event }) =>
      event.rawPath === '/openapi.json'
        ? json(200, openApiDocument(config.baseUrl))
        : html(200, (PAGES[event.rawPath] ?? (() => signUpPage({}, config.verificationTtlSeconds)))()),
  },
  httpOptions,
);
