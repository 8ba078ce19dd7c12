import { httpHandler } from '../http/http-handler';
import { html } from '../http/respond';
import { contractorPage, signUpPage } from '../views/sign-up-pages';
import { sponsorsPage } from '../views/sponsor-pages';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';

const PAGES: Readonly<Record<string, () => string>> = {
  '/contractors': () => contractorPage({}, config.verificationTtlSeconds),
  '/sponsors': () => sponsorsPage({}, config.sponsorLinkTtlSeconds),
};

/** GET / (the sign-up form), GET /contractors (the contractor's request form), GET /sponsors (a sponsor's link request). */
export const handler = httpHandler(
  'pages',
  { GET: async ({ event }) => html(200, (PAGES[event.rawPath] ?? (() => signUpPage({}, config.verificationTtlSeconds)))()) },
  httpOptions,
);
