import { NotFoundError, SignInFailedError } from '../core/errors';
import { safeNextPath } from '../core/session';
import { answerNoSoonerThan } from '../http/answer-floor';
import { parseBody } from '../http/body';
import { actingSession, clearCookie, cookieOf, SESSION_COOKIE, SIGN_IN_COOKIE, setCookie, withCookies } from '../http/cookies';
import { withFormErrors } from '../http/forms';
import { httpHandler } from '../http/http-handler';
import { SignInCodeBody, SignInVerifyBody, SignOutBody } from '../http/request-bodies';
import { html, json, redirect } from '../http/respond';
import type { HttpResult } from '../http/types';
import { limitClient } from '../use-cases/limit-client';
import { requestSignInCode, verifySignInCode } from '../use-cases/sign-in-code';
import { finishProviderSignIn, startProviderSignIn } from '../use-cases/sign-in-provider';
import { signOut } from '../use-cases/sponsor-sessions';
import { enterCodePage, signedOutPage, signInFailedPage, signInPage } from '../views/sign-in-pages';
import { accountDeps } from '../wiring/account-deps';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';
import { identityProvider, signInTransactions } from '../wiring/identity-provider';
import { registryLookup } from '../wiring/registry-lookup';
import { sessions } from '../wiring/sessions';

const CODE_MINUTES = 10;

/** The session cookie for a new session, lasting as long as the session. */
function signedIn(result: HttpResult, token: string, expiresAt: number): HttpResult {
  return withCookies(result, [setCookie(SESSION_COOKIE, token, expiresAt - Math.floor(accountDeps.clock.nowMs() / 1000))]);
}

/**
 * Sponsor sign-in. With an OpenID provider: GET /sign-in sends the browser there and
 * GET /auth/callback finishes it. Otherwise: GET /sign-in asks for the address, POST
 * /sign-in/code emails a code, POST /sign-in/verify takes it back. POST /sign-out ends the session.
 */
export const handler = httpHandler(
  'signIn',
  {
    GET: async ({ event, baseUrl }) => {
      const next = safeNextPath(event.queryStringParameters?.next);
      const redirectUri = `${baseUrl}/auth/callback`;
      if (event.rawPath === '/auth/callback') {
        if (!identityProvider) throw new NotFoundError('Sign-in here uses an emailed code.');
        const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
        try {
          const done = await finishProviderSignIn(`${redirectUri}${query}`, cookieOf(event, SIGN_IN_COOKIE), redirectUri, {
            ...accountDeps,
            provider: identityProvider,
            transactions: signInTransactions,
            sessions,
          });
          return withCookies(signedIn(redirect(done.next), done.token, done.session.expiresAt), [clearCookie(SIGN_IN_COOKIE)]);
        } catch (error) {
          if (!(error instanceof SignInFailedError)) throw error;
          return withCookies(html(400, signInFailedPage(error.message)), [clearCookie(SIGN_IN_COOKIE)]);
        }
      }
      // After signing out, a page that says so (not straight back to a provider that may sign them in again).
      if (event.queryStringParameters?.signed_out) return html(200, signedOutPage());
      if (!identityProvider) return html(200, signInPage({ next }));
      const started = await startProviderSignIn(next, redirectUri, {
        ...accountDeps,
        provider: identityProvider,
        transactions: signInTransactions,
      });
      return withCookies(
        { statusCode: 302, headers: { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', Location: started.url }, body: '' },
        [setCookie(SIGN_IN_COOKIE, started.sealed, 600)],
      );
    },
    POST: async ({ event, format, clientIp, onOutage }) => {
      if (event.rawPath === '/sign-out') {
        // With its form's CSRF token the session ends everywhere; without, this browser forgets it.
        const session = await actingSession(event, parseBody(event, SignOutBody).csrf, sessions, accountDeps.clock.nowMs());
        if (session) await signOut(session, accountDeps);
        const result = format === 'json' ? json(200, { status: 'signed_out' }) : redirect('/sign-in?signed_out=1');
        return withCookies(result, [clearCookie(SESSION_COOKIE)]);
      }
      // One method at a time: where a provider is configured, a weaker way in would only be a way around it.
      if (identityProvider) throw new NotFoundError('Sponsors sign in with the sign-in service here: open /sign-in.');
      if (event.rawPath === '/sign-in/code') {
        onOutage((await limitClient(clientIp, config.ipRequestsPerHour, accountDeps)).refund);
        const body = parseBody(event, SignInCodeBody);
        const next = safeNextPath(body.next);
        return withFormErrors(
          format,
          async () => {
            await requestSignInCode({ email: body.email ?? '', clientIp }, { ...accountDeps, ...registryLookup });
            await answerNoSoonerThan(config.anonymousAnswerMs, event);
            const email = (body.email ?? '').trim();
            return format === 'json'
              ? json(202, { status: 'code_sent' })
              : html(202, enterCodePage({ next, email, minutes: CODE_MINUTES }));
          },
          (errors) => signInPage({ next, email: body.email, errors }),
        );
      }
      onOutage((await limitClient(clientIp, config.tokenIpRequestsPerHour, accountDeps, 'token')).refund);
      const body = parseBody(event, SignInVerifyBody);
      const next = safeNextPath(body.next);
      const email = (body.email ?? '').trim();
      return withFormErrors(
        format,
        async () => {
          const { token, session } = await verifySignInCode({ email, code: body.code ?? '' }, { ...accountDeps, sessions });
          const result = format === 'json' ? json(200, { status: 'signed_in', next }) : redirect(next);
          return signedIn(result, token, session.expiresAt);
        },
        (errors) => enterCodePage({ next, email, errors, minutes: CODE_MINUTES }),
      );
    },
  },
  httpOptions,
);
