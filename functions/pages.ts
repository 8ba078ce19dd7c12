import { html } from './http/respond';
import { httpHandler } from './http/route';
import { httpOptions } from './settings';
import { signUpPage } from './views/pages';

/** GET /: the sign-up form. */
export const handler = httpHandler({ GET: async () => html(200, signUpPage()) }, httpOptions);
