import type { Account, AccountStatus } from '../core/account';
import { type AppError, ExpiredTokenError, InvalidTokenError, type LinkNextStep } from '../core/errors';
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
 * A sponsor's links lead back to their dashboard; a person's, to the form their kind of account
 * starts from. Only a genuine link (`holder`: the account whose link it is) names the kind and
 * keeps the address; any other says nothing of whose it might be.
 */
function nextStepOf(purpose: LinkPurpose, holder: Pick<Account, 'kind' | 'email'> | undefined): LinkNextStep {
  if (purpose === 'approval' || purpose === 'management') return { to: 'dashboard' };
  if (!holder) return { to: 'either' };
  return { to: holder.kind === 'contractor' ? 'contractor' : 'sign-up', email: holder.email };
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
  /** The account a genuine but expired link belongs to. */
  holder?: Pick<Account, 'kind' | 'email'>,
): never {
  deps.log.warn('security: link refused', { purpose, reason: refusal.state });
  deps.metrics.count('TokenFailures', { purpose, reason: refusal.state });
  if (refusal.state === 'done') throw texts.done(refusal.status);
  if (refusal.state === 'expired') throw new ExpiredTokenError(texts.expired, nextStepOf(purpose, holder));
  throw new InvalidTokenError(texts.invalid, nextStepOf(purpose, undefined));
}
