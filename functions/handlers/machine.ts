import { ACCOUNT_STATUSES, type AccountStatus } from '../core/account';
import { InvalidRequestError } from '../core/errors';
import { parseJsonBody } from '../http/body';
import { httpHandler } from '../http/http-handler';
import { ACTIVITY_MAX_BYTES, ActivityBody } from '../http/request-bodies';
import { json } from '../http/respond';
import { recordActivity } from '../use-cases/record-activity';
import { listRoster } from '../use-cases/roster';
import { machineDeps } from '../wiring/machine-deps';
import { machineOptions } from '../wiring/machine-options';

/** The roster's query: each parameter checked, none required. */
function rosterQuery(query: Record<string, string | undefined>) {
  const status = query.status;
  if (status !== undefined && !(ACCOUNT_STATUSES as readonly string[]).includes(status))
    throw new InvalidRequestError(`"status" is one of ${ACCOUNT_STATUSES.join(', ')}.`, 'status');
  const changedSince = query.changedSince;
  if (changedSince !== undefined && Number.isNaN(Date.parse(changedSince)))
    throw new InvalidRequestError('"changedSince" is an ISO 8601 time, e.g. 2030-01-15T12:00:00Z.', 'changedSince');
  const count = query.count;
  if (count !== undefined && !/^\d{1,4}$/.test(count)) throw new InvalidRequestError('"count" is a whole number.', 'count');
  return {
    ...(status ? { status: status as AccountStatus } : {}),
    ...(changedSince ? { changedSince: new Date(changedSince).toISOString() } : {}),
    ...(count ? { count: Number(count) } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
  };
}

/**
 * The sandbox's own routes, signed with SigV4 (API Gateway's IAM authorization in AWS; the local
 * server checks the same signature): GET /v1/accounts, the roster; POST /v1/activity, when people
 * were last seen.
 */
export const handler = httpHandler(
  'machine',
  {
    GET: async ({ event }) => json(200, await listRoster(rosterQuery(event.queryStringParameters ?? {}), machineDeps)),
    POST: async ({ event }) =>
      json(200, await recordActivity(parseJsonBody(event, ActivityBody, ACTIVITY_MAX_BYTES).activity, machineDeps)),
  },
  machineOptions,
);
