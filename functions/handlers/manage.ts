import { InvalidRequestError, InvalidTokenError } from '../core/errors';
import { header, parseBody } from '../http/body';
import { plainText } from '../http/forms';
import { httpHandler } from '../http/http-handler';
import { CHOOSE_MANAGE_ACTION, ManageBody } from '../http/request-bodies';
import { html, json } from '../http/respond';
import { limitClient } from '../use-cases/limit-client';
import { listSponsored, manageSponsored } from '../use-cases/manage-contractors';
import { manageOutcomePage, managePage } from '../views/sponsor-pages';
import { accountDeps } from '../wiring/account-deps';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';

/** GET lists the sponsor's contractors and changes nothing (mail scanners); POST renews or ends one. */
export const handler = httpHandler(
  'manage',
  {
    GET: async ({ event }) => {
      const token = event.queryStringParameters?.token ?? '';
      const list = await listSponsored(token, accountDeps);
      const wantsJson = /\bapplication\/json\b/i.test(header(event, 'accept') ?? '');
      return wantsJson ? json(200, list) : html(200, managePage(token, list.sponsor, list.contractors));
    },
    POST: async ({ event, format, clientIp, onOutage }) => {
      onOutage((await limitClient(clientIp, config.tokenIpRequestsPerHour, accountDeps, 'token')).refund);
      const body = parseBody(event, ManageBody);
      if (!body.token) throw new InvalidTokenError('The management token is missing. Open the link from your email again.');
      if (!body.requestId) throw new InvalidRequestError('Say which request: the field "requestId" is missing.', 'requestId');
      if (!body.action) throw new InvalidRequestError(CHOOSE_MANAGE_ACTION, 'action');
      const reason = plainText(body.reason, 'reason', { multiline: true });
      const outcome = await manageSponsored(
        { token: body.token, requestId: body.requestId, action: body.action, ...(reason ? { reason } : {}), clientIp },
        accountDeps,
      );
      return format === 'json' ? json(200, outcome) : html(200, manageOutcomePage(body.token, outcome));
    },
  },
  httpOptions,
);
