import { httpHandler } from '../http/http-handler';
import { json } from '../http/respond';
import { httpOptions } from '../wiring/http-options';

/** GET /healthz: liveness only; it touches no dependency. */
export const handler = httpHandler('health', { GET: async () => json(200, { status: 'ok' }) }, httpOptions);
