import type { Via } from './account';
import type { SignedIn } from './session';

/** Who makes a change: a signed-in sponsor (and how they signed in), an operator, the person themself, or the service. */
export type Actor =
  | { readonly role: 'sponsor' | 'operator'; readonly name: string; readonly via?: Via }
  | { readonly role: 'self' | 'system' };

/** A signed-in sponsor as the actor of their decisions: named by the mailbox the request named, with the session's method. */
export function sponsorActor(who: SignedIn, mailbox: string = who.mailbox): Actor {
  const via: Via =
    who.method === 'oidc' ? { via: 'oidc', sub: who.sub ?? '', ...(who.acr ? { acr: who.acr } : {}) } : { via: 'emailed_code' };
  return { role: 'sponsor', name: mailbox, via };
}

/** The audit entry's `by`, the webhook event's `by`. */
export const byOf = (actor: Actor): string => ('name' in actor ? `${actor.role}:${actor.name}` : actor.role);

/** The service's own timed work (the sweep). */
export const SYSTEM: Actor = { role: 'system' };
/** The person whose account it is (confirming their own address). */
export const SELF: Actor = { role: 'self' };
