import { httpHandler } from '../http/http-handler';
import { json } from '../http/respond';
import { httpOptions } from '../wiring/http-options';
import { databaseReady } from '../wiring/readiness';

/** GET /healthz: liveness, answered without touching anything; `?deep=1` also checks DynamoDB within 1 s (503 if not). */
export const handler = httpHandler(
  'health',
  {
    GET: async ({ event }) => {
      if (event.queryStringParameters?.deep !== '1') return json(200, { status: 'ok' });
      await databaseReady();
      return json(200, { status: 'ok', dynamodb: 'ok' });
    },
  },
  httpOptions,
);
