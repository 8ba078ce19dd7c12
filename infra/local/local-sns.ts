import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { eventHandlers } from '../function-specs';
import { snsEvent } from '../trigger-events';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The functions SNS invokes in AWS, by the path that stands in for their topic on the laptop. */
const SUBSCRIBERS = { feedback: eventHandlers.feedback.entry, breaker: eventHandlers.breaker.entry } as const;
type Subscriber = keyof typeof SUBSCRIBERS;

/** Where the local SNS stand-in listens: `POST /_local/sns/feedback` and `/_local/sns/breaker`. */
export const LOCAL_SNS_PREFIX = '/_local/sns/';

const loaded = new Map<Subscriber, Promise<(event: unknown) => Promise<void>>>();
function subscriber(name: Subscriber) {
  let handler = loaded.get(name);
  if (!handler) {
    handler = import(`${root}${SUBSCRIBERS[name]}`).then((module: { handler: (event: unknown) => Promise<void> }) => module.handler);
    loaded.set(name, handler);
  }
  return handler;
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * `npm start` only (API Gateway has no such route): delivers the JSON body as an SNS message to
 * the function its topic feeds in AWS, so a bounce (an SES event) or a reputation alarm (a
 * CloudWatch notification) can be tried by hand and by tests. Never for browsers: a request that
 * carries an `Origin` header, or a body that is not JSON, is refused before anything runs.
 */
export async function localSns(req: IncomingMessage, res: ServerResponse, pathname: string, body: Buffer): Promise<void> {
  const name = pathname.slice(LOCAL_SNS_PREFIX.length);
  if (!(name in SUBSCRIBERS))
    return answer(res, 404, { error: 'not_found', message: `Topics here: ${Object.keys(SUBSCRIBERS).join(', ')}.` });
  if (req.method !== 'POST') return answer(res, 405, { error: 'method_not_allowed', message: 'POST the SNS message as the body.' });
  if (req.headers.origin !== undefined)
    return answer(res, 403, { error: 'forbidden', message: 'The local SNS stand-in is for scripts, not browsers.' });
  const message = body.toString('utf8');
  try {
    JSON.parse(message);
  } catch {
    return answer(res, 400, {
      error: 'invalid_request',
      message: 'The body must be the SNS message: JSON, as SES or CloudWatch publish it.',
    });
  }
  const handler = await subscriber(name as Subscriber);
  await handler(snsEvent(`arn:aws:sns:local:000000000000:${name}`, message, new Date()));
  answer(res, 202, { delivered: name });
}
