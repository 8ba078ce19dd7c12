import { InvalidRequestError, InvalidTokenError } from '../core/errors';
import { parseBody } from '../http/body';
import { actingSession } from '../http/cookies';
import { plainText } from '../http/forms';
import { httpHandler, type RequestContext } from '../http/http-handler';
import { CHOOSE_DECISION, DecisionBody } from '../http/request-bodies';
import { json, redirect } from '../http/respond';
import type { HttpResult } from '../http/types';
import { decideSponsorshipRequest } from '../use-cases/decide-sponsorship';
import { besideCounter, limitClient } from '../use-cases/limit-client';
import { accountDeps } from '../wiring/account-deps';
import { approvals } from '../wiring/approval-tokens';
import { config } from '../wiring/config';
import { httpOptions } from '../wiring/http-options';
import { outcomeNotes } from '../wiring/outcome-notes';
import { sessions } from '../wiring/sessions';
import { webhookDeps } from '../wiring/webhook-sender';

const deps = { ...accountDeps, approvals, ...webhookDeps };

/** POST /sponsorships/decision: the signed-in sponsor's Approve or Deny. The first decision wins; an approval's answer says until when. */
export const handler = httpHandler(
  'decision',
  {
    POST: async (context) => {
      // Counted first, so even a malformed request counts; awaited beside the session's read, its 429 is the answer whatever else.
      const counted = limitClient(context.clientIp, config.tokenIpRequestsPerHour, accountDeps, 'token').then((charge) =>
        context.onOutage(charge.refund),
      );
      return besideCounter(counted, decide(context, counted));
    },
  },
  httpOptions,
);

/** The decision read, checked and made, with the client's counter under way (`counted`). */
async function decide({ event, format, clientIp, baseUrl }: RequestContext, counted: Promise<unknown>): Promise<HttpResult> {
  const body = parseBody(event, DecisionBody);
  const session = await actingSession(event, body.csrf, sessions, deps.clock.nowMs());
  if (session && !body.token && !body.requestId) {
    throw new InvalidTokenError('The approval token is missing. Open the link from your email again.');
  }
  if (!body.decision) throw new InvalidRequestError(CHOOSE_DECISION, 'decision');
  const reason = plainText(body.reason, 'reason', { multiline: true, noLinks: true });
  const decided = await decideSponsorshipRequest(
    {
      ...(body.token ? { token: body.token } : {}),
      ...(body.requestId ? { requestId: body.requestId } : {}),
      decision: body.decision,
      ...(reason ? { reason } : {}),
      clientIp,
      baseUrl,
      ...(session ? { session } : {}),
      counted,
    },
    deps,
  );
  if (format === 'json') return json(200, decided);
  // Without JavaScript: to the outcome's page (POST-redirect-GET), so a reload never decides again.
  const note = await outcomeNotes.sign('/sponsorships/review', decided, deps.clock.nowMs());
  return redirect(`/sponsorships/review?outcome=${note}`);
}
