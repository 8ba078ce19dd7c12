import { snsHandler } from '../adapters/sns-handler';
import { tripBreaker } from '../use-cases/trip-breaker';
import { breakerDeps } from '../wiring/breaker-deps';

/** SES reputation alarms, delivered by SNS: an alarm entering ALARM opens the reputation breaker. */
export const handler = snsHandler((message) => tripBreaker(message, breakerDeps));
