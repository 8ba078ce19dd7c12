import type { Account, AccountStatus } from '../core/account';
import { touched } from '../core/account-history';
import { maskAddress } from '../core/address';
import { InvalidStateError, NotFoundError } from '../core/errors';
import { type LifecyclePolicy, scheduled, statusAt } from '../core/lifecycle';
import { mayOperate, type OperatorAction, type OperatorChange, operate } from '../core/operator';
import { accessEvent, type Delivery, emailDue, emailNow, eventLater, newDeliveryId, superseding, withDeliveries } from '../core/outbox';
import type { AccountStore, Notifier } from '../core/ports';
import { registrableDomainOf } from '../core/registrable-domain';
import { linkBase } from '../service/links';
import { type DeliverDeps, type DueDeps, deliverDue, sendNow } from './deliver';

export interface OperateDeps extends DeliverDeps {
  readonly store: AccountStore;
  readonly notifier: Notifier;
  readonly lifecycle: LifecyclePolicy;
  readonly events: boolean;
  readonly signInUrl?: string;
  /** Where the emails' links point (the service's public origin). */
  readonly baseUrl: string;
}

const EVENT: Readonly<Record<OperatorAction, 'access.revoked' | 'access.granted' | 'access.renewed'>> = {
  revoke: 'access.revoked',
  reinstate: 'access.granted',
  renew: 'access.renewed',
};

/** The email the person gets for an operator's change. */
function told(account: Account, action: OperatorAction, nowMs: number, deps: OperateDeps): Delivery {
  const name = account.name ? { name: account.name } : {};
  const intent =
    action === 'revoke'
      ? { type: 'account_revoked' as const, ...(account.endReason ? { reason: account.endReason } : {}), ...name }
      : action === 'reinstate'
        ? {
            type: 'account_reinstated' as const,
            ...(account.accessExpiresAt ? { accessExpiresAt: account.accessExpiresAt } : {}),
            ...name,
          }
        : { type: 'access_renewed' as const, accessExpiresAt: account.accessExpiresAt ?? '', ...name };
  return emailNow(newDeliveryId(), account.email, intent, nowMs, deps.delivery);
}

/**
 * An operator revokes, reinstates or renews an account (docs/design.md §8). Steps:
 * 1. the account must exist and the action fit its status as of now (else refused, naming it);
 * 2. write the change, its audit entry (`operator:<name>`), the person's email and the sandbox's
 *    event in one conditional write; a concurrent change is re-read and decided again;
 * 3. send the email at once (what fails stays in the outbox for the sweep).
 */
export async function operateAccount(
  input: { readonly email: string; readonly action: OperatorAction } & OperatorChange,
  deps: OperateDeps,
): Promise<{ status: AccountStatus; accessExpiresAt?: string }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const account = await deps.store.get(input.email);
    if (!account) throw new NotFoundError(`No account for ${input.email}.`);
    const nowMs = deps.clock.nowMs();
    if (!mayOperate(account, input.action, nowMs)) {
      const status = statusAt(account, nowMs);
      throw new InvalidStateError(`Cannot ${input.action} ${input.email}: it is ${status} (${account.kind}).`, status);
    }
    const changed = operate(account, input.action, input, { nowMs }, deps.lifecycle);
    const email = told(changed, input.action, nowMs, deps);
    const event = deps.events
      ? [eventLater(newDeliveryId(), accessEvent(EVENT[input.action], changed, `operator:${input.operator}`, nowMs), nowMs)]
      : [];
    const next = scheduled(withDeliveries(changed, [email, ...event]));
    if (await deps.store.put(next, account.version)) {
      deps.log.info(`operator: ${input.action}`, { account: maskAddress(next.email), operator: input.operator });
      await sendNow(next, [email.id], { base: linkBase(deps.baseUrl, deps.signInUrl) }, deps.notifier, deps);
      return {
        status: next.status,
        ...(next.accessExpiresAt && next.status === 'active' ? { accessExpiresAt: next.accessExpiresAt } : {}),
      };
    }
  }
  throw new InvalidStateError(`${input.email} kept changing while we tried; look at it again.`, 'changed');
}

/** Failed deliveries of an account get a new round of attempts, due now (the sweep sends them). */
export async function retryDeliveries(email: string, deps: Pick<OperateDeps, 'store' | 'clock'>): Promise<number> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const account = await deps.store.get(email);
    if (!account) throw new NotFoundError(`No account for ${email}.`);
    const failed = (account.outbox ?? []).filter((delivery) => delivery.failed);
    if (!failed.length) return 0;
    const nowMs = deps.clock.nowMs();
    const outbox = (account.outbox ?? []).map((delivery) => {
      if (!delivery.failed) return delivery;
      const { failed: _failed, ...rest } = delivery;
      return { ...rest, attempts: 0, nextAttemptAt: Math.floor(nowMs / 1000) };
    });
    if (await deps.store.put(touched(scheduled({ ...account, outbox }), { nowMs }), account.version)) return failed.length;
  }
  throw new InvalidStateError(`${email} kept changing while we tried; look at it again.`, 'changed');
}

/**
 * `resend`: a pending account gets a fresh verification link, an awaiting contractor's sponsor a
 * fresh approval link — the same claim-with-a-fresh-link the outbox's retries use, at once.
 */
export async function resendLink(email: string, deps: DueDeps): Promise<{ sent: 'verify_link' | 'sponsor_request'; to: string }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const account = await deps.store.get(email);
    if (!account) throw new NotFoundError(`No account for ${email}.`);
    const nowMs = deps.clock.nowMs();
    const sponsor = account.request?.sponsorEmail;
    const intent =
      account.status === 'pending'
        ? { to: account.email, email: { type: 'verify_link' as const, contractor: account.kind === 'contractor' } }
        : account.status === 'awaiting_sponsor' && sponsor
          ? {
              to: sponsor,
              email: { type: 'sponsor_request' as const, contractor: { email: account.email, domain: registrableDomainOf(account.email) } },
            }
          : undefined;
    if (!intent)
      throw new InvalidStateError(`${email} has no link to resend: it is ${statusAt(account, nowMs)}.`, statusAt(account, nowMs));
    const next = touched(scheduled(superseding(account, emailDue(newDeliveryId(), intent.to, intent.email, nowMs))), { nowMs });
    if (await deps.store.put(next, account.version)) {
      await deliverDue(next, false, deps);
      return { sent: intent.email.type, to: intent.to };
    }
  }
  throw new InvalidStateError(`${email} kept changing while we tried; look at it again.`, 'changed');
}
