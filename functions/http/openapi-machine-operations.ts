import { ACCOUNT_STATUSES } from '../core/account';
import { AGENCY, type Answer, type Operation } from './openapi-operations';

/** The words of the sandbox's routes (SigV4, JSON only), as openapi-operations.ts has them for people's. */

const SIGNED: Record<number, Answer> = {
  401: { description: 'No SigV4 signature (API Gateway answers `{"message": …}`, not the error shape).' },
  403: {
    description:
      'A signature that does not hold: another key, region or service, or older than 5 minutes (API Gateway answers `{"message": …}`); `machine_only` if the request reached the function without the identity IAM authorization gives.',
    errors: ['machine_only'],
  },
};

export const MACHINE_OPERATIONS: Readonly<Record<string, Operation>> = {
  'GET /v1/accounts': {
    id: 'listAccounts',
    summary: 'The roster, for the sandbox (SigV4): who may enter, and what changed',
    description:
      'A SCIM 2.0 `ListResponse` (RFC 7644) paged by cursor (RFC 9865): pass `nextCursor` back as `cursor` until an answer has none. Pending requests are never listed.',
    query: {
      status: {
        description: 'Only accounts in this status as of now (`active`: who may enter).',
        schema: { type: 'string', enum: [...ACCOUNT_STATUSES] },
      },
      changedSince: { description: 'Only accounts changed after this time.', schema: { type: 'string', format: 'date-time' } },
      count: { description: 'Accounts per page (1–500, default 100).', schema: { type: 'integer', minimum: 1, maximum: 500 } },
      cursor: { description: 'The `nextCursor` of the previous page.', schema: { type: 'string' } },
    },
    answers: {
      200: {
        description: 'One page of the roster.',
        extra: {
          schemas: { type: 'array', items: { const: 'urn:ietf:params:scim:api:messages:2.0:ListResponse' } },
          itemsPerPage: { type: 'integer' },
          nextCursor: { type: 'string' },
          Resources: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string', format: 'email' },
                userName: { type: 'string', format: 'email' },
                active: { type: 'boolean', description: 'Whether the person may enter the sandbox now.' },
                meta: {
                  type: 'object',
                  properties: {
                    resourceType: { const: 'User' },
                    lastModified: { type: 'string', format: 'date-time' },
                    version: { type: 'string' },
                  },
                },
                kind: { type: 'string', enum: ['agency', 'contractor'] },
                status: { type: 'string', enum: [...ACCOUNT_STATUSES] },
                accessExpiresAt: { type: ['string', 'null'], format: 'date-time' },
                sponsor: { type: ['string', 'null'], format: 'email' },
                agency: AGENCY,
              },
            },
          },
        },
      },
      400: { description: 'A bad parameter, or a cursor this service did not give.', errors: ['invalid_request'] },
      ...SIGNED,
    },
  },
  'POST /v1/activity': {
    id: 'reportActivity',
    summary: 'The sandbox reports when people were last seen (SigV4)',
    description: 'At most 1,000 entries; a time in the future counts as now; unknown addresses are ignored without saying which.',
    required: ['activity'],
    answers: { 200: { description: 'Recorded.', extra: { accepted: { type: 'integer' } } }, ...SIGNED },
  },
};
