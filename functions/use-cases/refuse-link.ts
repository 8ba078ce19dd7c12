import type { AccountStatus } from '../core/account';
import { type AppError, ExpiredTokenError, InvalidTokenError } from '../core/errors';
import type { Log, Metrics } from '../core/ports';

export type LinkPurpose = 'verification' | 'approval' | 'management' | 'keep';

/**
 * Why an emailed link does no work: not genuine or superseded (`invalid`), past its time
 * (`expired`), its work already done (`done`), or a write that kept losing races (`conflict`).
 */
export type LinkRefusal =
  | { readonly state: 'invalid' | 'expired' | 'conflict' }
  | { readonly state: 'done'; readonly status: AccountStatus };

export interface RefusalTexts {
  readonly invalid: string;
  readonly expired: string;
  /** The 409 that names what was done. */
  readonly done: (status: AccountStatus) => AppError;
}

/**
 * Every refused link ends here, whatever found the fault (the token adapter, the record, a lost
 * race): one security log line, one `TokenFailures{purpose,reason}` count, one typed error.
 */
export function refuseLink(
  purpose: LinkPurpose,
  refusal: LinkRefusal,
  texts: RefusalTexts,
  deps: { readonly log: Log; readonly metrics: Metrics },
): never {
  deps.log.warn('security: link refused', { purpose, reason: refusal.state });
  deps.metrics.count('TokenFailures', { purpose, reason: refusal.state });
  if (refusal.state === 'done') throw texts.done(refusal.status);
  if (refusal.state === 'expired') throw new ExpiredTokenError(texts.expired);
  throw new InvalidTokenError(texts.invalid);
}
