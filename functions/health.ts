import { json } from './http/respond';
import { httpHandler } from './http/route';
import { httpOptions } from './settings';

/** GET /healthz: liveness only; it touches no dependency. */
export const handler = httpHandler({ GET: async () => json(200, { status: 'ok' }) }, httpOptions);
