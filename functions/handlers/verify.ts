import type { AccountStatus } from '../core/account';
import { InvalidTokenError } from '../core/errors';
import { parseBody } from '../http/body';
import { httpHandler, type RequestContext } from '../http/http-handler';
import { KeepBody, VerifyBody } from '../http/request-bodies';
import { html, json, redirect } from '../http/respond';
import type { HttpResult } from '../http/types';
import { inspectKeep, keepAccount } from '../use-cases/keep-account';
import { besideCounter, limitClient } from '../use-cases/limit-client';
import { confirmVerification, inspectVerification } from '../use-cases/verify-email';
import { keepPage, keptPage } from '../views/keep-pages';
import { cancelledPage, confirmEmailPage, outcomePage } from '../views/verify-pages';
import { accountDeps } from '../wiring/account-deps';
import { approvals } from '../wiring/approval-tokens';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';
import { outcomeNotes } from '../wiring/outcome-notes';
import { webhookDeps } from '../wiring/webhook-sender';

const sandboxUrl = config.sandboxUrl ? { sandboxUrl: config.sandboxUrl } : {};
const deps = { ...accountDeps, approvals, ...webhookDeps };

const EXPIRED_NOTE = 'This page is no longer current. Open the link from your email again to see where things stand.';

/**
 * /verify and /keep (a dormancy warning's link): GET shows a page with a button and changes
 * nothing (mail scanners); POST consumes the token. A form post is answered by a redirect to
 * its outcome (POST-redirect-GET), so a reload shows it again instead of posting again.
 */
export const handler = httpHandler(
  'verify',
  {
    GET: async ({ event }) => {
      const token = event.queryStringParameters?.token ?? '';
      const note = event.queryStringParameters?.outcome;
      if (note !== undefined) {
        const outcome = await outcomeNotes.read(event.rawPath, note, deps.clock.nowMs());
        if (!outcome?.status) throw new InvalidTokenError(EXPIRED_NOTE);
        if (event.rawPath === '/keep') return html(200, keptPage(outcome.dormantAt ?? '', sandboxUrl));
        return html(200, outcome.status === 'cancelled' ? cancelledPage() : outcomePage(outcome.status as AccountStatus, sandboxUrl));
      }
      if (event.rawPath === '/keep') {
        const keeping = await inspectKeep(token, deps);
        return html(200, keepPage(token, keeping.email, keeping.dormantAt));
      }
      const link = await inspectVerification(token, deps);
      return link.state === 'ready'
        ? html(200, confirmEmailPage(token, link.pending, sandboxUrl))
        : html(200, outcomePage(link.status, { alreadyDone: true, ...sandboxUrl }));
    },
    POST: async (context) => {
      // Counted first, so even a malformed request counts; awaited beside the look-up, its 429 is the answer whatever else.
      const counted = limitClient(context.clientIp, config.tokenIpRequestsPerHour, accountDeps, 'token').then((charge) =>
        context.onOutage(charge.refund),
      );
      return besideCounter(counted, context.event.rawPath === '/keep' ? keep(context, counted) : confirm(context, counted));
    },
  },
  httpOptions,
);

/** POST /verify, with the client's counter under way (`counted`). */
async function confirm({ event, format, clientIp, baseUrl }: RequestContext, counted: Promise<unknown>): Promise<HttpResult> {
  const { token, action } = parseBody(event, VerifyBody);
  if (!token) throw new InvalidTokenError('The confirmation token is missing. Open the link from your email again.');
  const { status } = await confirmVerification({ token, clientIp, baseUrl, counted, ...(action ? { action } : {}) }, deps);
  if (format === 'json') return json(200, { status });
  return redirect(`/verify?outcome=${await outcomeNotes.sign('/verify', { status }, deps.clock.nowMs())}`);
}

/** POST /keep: rare, so its look-up simply waits for the counter. */
async function keep({ event, format, clientIp, baseUrl }: RequestContext, counted: Promise<unknown>): Promise<HttpResult> {
  const { token } = parseBody(event, KeepBody);
  if (!token) throw new InvalidTokenError('The link’s token is missing. Open the link from your email again.');
  await counted;
  const { dormantAt } = await keepAccount({ token, clientIp, baseUrl }, deps);
  if (format === 'json') return json(200, { status: 'active', dormantAt });
  return redirect(`/keep?outcome=${await outcomeNotes.sign('/keep', { status: 'active', dormantAt }, deps.clock.nowMs())}`);
}
