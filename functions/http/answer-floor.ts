import type { HttpEvent } from './types';

/**
 * Waits until `floorMs` after the request arrived (API Gateway's receipt time; locally, the
 * server's), so that an anonymous 202 takes the same time whatever happened behind it: a new
 * link, a notice, or nothing because of a limit, a suppression or the address's state.
 */
export async function answerNoSoonerThan(floorMs: number, event: HttpEvent, nowMs: number = Date.now()): Promise<void> {
  const wait = event.requestContext.timeEpoch + floorMs - nowMs;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
