import { InvalidTokenError } from '../core/errors';
import { parseBody } from '../http/body';
import { httpHandler } from '../http/http-handler';
import { KeepBody, VerifyBody } from '../http/request-bodies';
import { html, json } from '../http/respond';
import { inspectKeep, keepAccount } from '../use-cases/keep-account';
import { limitClient } from '../use-cases/limit-client';
import { confirmVerification, inspectVerification } from '../use-cases/verify-email';
import { keepPage, keptPage } from '../views/keep-pages';
import { cancelledPage, confirmEmailPage, outcomePage } from '../views/verify-pages';
import { accountDeps } from '../wiring/account-deps';
import { approvals } from '../wiring/approval-tokens';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';

const sandboxUrl = config.sandboxUrl ? { sandboxUrl: config.sandboxUrl } : {};
const deps = { ...accountDeps, approvals };

/**
 * /verify and /keep (a dormancy warning's link): GET shows a page with a button and changes
 * nothing (mail scanners); POST consumes the token.
 */
export const handler = httpHandler(
  'verify',
  {
    GET: async ({ event }) => {
      const token = event.queryStringParameters?.token ?? '';
      if (event.rawPath === '/keep') {
        const keeping = await inspectKeep(token, deps);
        return html(200, keepPage(token, keeping.email, keeping.dormantAt));
      }
      const link = await inspectVerification(token, deps);
      return link.state === 'ready'
        ? html(200, confirmEmailPage(token, link.pending, sandboxUrl))
        : html(200, outcomePage(link.status, { alreadyDone: true, ...sandboxUrl }));
    },
    POST: async ({ event, format, clientIp, baseUrl, onOutage }) => {
      onOutage((await limitClient(clientIp, config.tokenIpRequestsPerHour, accountDeps, 'token')).refund);
      if (event.rawPath === '/keep') {
        const { token } = parseBody(event, KeepBody);
        if (!token) throw new InvalidTokenError('The link’s token is missing. Open the link from your email again.');
        const { dormantAt } = await keepAccount({ token, clientIp, baseUrl }, deps);
        return format === 'json' ? json(200, { status: 'active', dormantAt }) : html(200, keptPage(dormantAt));
      }
      const { token, action } = parseBody(event, VerifyBody);
      if (!token) throw new InvalidTokenError('The confirmation token is missing. Open the link from your email again.');
      const { status } = await confirmVerification({ token, clientIp, baseUrl, ...(action ? { action } : {}) }, deps);
      if (format === 'json') return json(200, { status });
      return html(200, status === 'cancelled' ? cancelledPage() : outcomePage(status, sandboxUrl));
    },
  },
  httpOptions,
);
