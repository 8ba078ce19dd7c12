import type { AccountStatus } from '../core/account';
import { touched } from '../core/account-history';
import { OPERATOR_ACTIONS, type OperatorAction } from '../core/changes';
import { InvalidStateError, NotFoundError } from '../core/errors';
import { type LifecyclePolicy, scheduled, statusAt } from '../core/lifecycle';
import { emailDue, newDeliveryId, superseded, superseding } from '../core/outbox';
import type { AccountStore, Notifier } from '../core/ports';
import { registrableDomainOf } from '../core/registrable-domain';
import { linkBase } from '../service/links';
import { changeAccount } from './change-account';
import { type DeliverDeps, type DueDeps, deliverDue } from './deliver';
import { untilSettled } from './retry-write';

/** Who acts, why, and for how long a granted period lasts when not the configured one. */
export interface OperatorChange {
  readonly operator: string;
  readonly reason?: string;
  readonly seconds?: number;
}

export interface OperateDeps extends DeliverDeps {
  readonly store: AccountStore;
  readonly notifier: Notifier;
  readonly lifecycle: LifecyclePolicy;
  readonly events: boolean;
  readonly signInUrl?: string;
  /** Where the emails' links point (the service's public origin). */
  readonly baseUrl: string;
}

/**
 * An operator revokes, reinstates or renews an account (docs/design.md §8): the declared change
 * (core/changes.ts) run by the one executor, refused with the account's status when it does not fit.
 */
export async function operateAccount(
  input: { readonly email: string; readonly action: OperatorAction } & OperatorChange,
  deps: OperateDeps,
): Promise<{ status: AccountStatus; accessExpiresAt?: string }> {
  const next = await changeAccount(
    OPERATOR_ACTIONS[input.action],
    {
      actor: { role: 'operator', name: input.operator },
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.seconds ? { seconds: input.seconds } : {}),
    },
    {
      find: async () => {
        const account = await deps.store.get(input.email);
        if (!account) throw new NotFoundError(`No account for ${input.email}.`);
        return account;
      },
      refuse: (status, account) => {
        throw new InvalidStateError(`Cannot ${input.action} ${input.email}: it is ${status} (${account.kind}).`, status);
      },
      conflict: () => kept(input.email),
      links: linkBase(deps.baseUrl, deps.signInUrl),
    },
    deps,
  );
  return {
    status: next.status,
    ...(next.accessExpiresAt && next.status === 'active' ? { accessExpiresAt: next.accessExpiresAt } : {}),
  };
}

/**
 * Failed deliveries of an account get a new round of attempts, due now (the sweep sends them) —
 * except events older than one the sandbox already has: those are dropped, never re-sent.
 */
export async function retryDeliveries(
  email: string,
  deps: Pick<OperateDeps, 'store' | 'clock'>,
): Promise<{ readonly retried: number; readonly superseded: number }> {
  const settled = await untilSettled(async () => {
    const account = await deps.store.get(email);
    if (!account) throw new NotFoundError(`No account for ${email}.`);
    const failed = (account.outbox ?? []).filter((delivery) => delivery.failed);
    if (!failed.length) return { retried: 0, superseded: 0 };
    const stale = failed.filter((delivery) => superseded(account, delivery));
    const nowMs = deps.clock.nowMs();
    const outbox = (account.outbox ?? []).flatMap((delivery) => {
      if (!delivery.failed) return [delivery];
      if (stale.includes(delivery)) return [];
      const { failed: _failed, ...rest } = delivery;
      return [{ ...rest, attempts: 0, nextAttemptAt: Math.floor(nowMs / 1000) }];
    });
    const next = touched(scheduled({ ...account, outbox }), { nowMs });
    return (await deps.store.put(next, account.version)) ? { retried: failed.length - stale.length, superseded: stale.length } : undefined;
  });
  return settled ?? kept(email);
}

/**
 * `resend`: a pending account gets a fresh verification link, an awaiting contractor's sponsor a
 * fresh approval link — the same claim-with-a-fresh-link the outbox's retries use, at once.
 */
export async function resendLink(email: string, deps: DueDeps): Promise<{ sent: 'verify_link' | 'sponsor_request'; to: string }> {
  const resent = await untilSettled(async () => {
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
              email: {
                type: 'sponsor_request' as const,
                contractor: { email: account.email, domain: registrableDomainOf(account.email) },
                ...(account.agency ? { agency: account.agency } : {}),
              },
            }
          : undefined;
    if (!intent)
      throw new InvalidStateError(`${email} has no link to resend: it is ${statusAt(account, nowMs)}.`, statusAt(account, nowMs));
    const next = touched(scheduled(superseding(account, emailDue(newDeliveryId(), intent.to, intent.email, nowMs))), { nowMs });
    if (!(await deps.store.put(next, account.version))) return undefined;
    await deliverDue(next, false, deps);
    return { sent: intent.email.type, to: intent.to };
  });
  return resent ?? kept(email);
}

/** Other writes kept winning: the operator looks again. */
function kept(email: string): never {
  throw new InvalidStateError(`${email} kept changing while we tried; look at it again.`, 'changed');
}
