import type { BudgetCharge } from '../core/outbox';
import type { Clock, RateLimiter } from '../core/ports';

/**
 * The budgets of anonymous-triggered email (anonymous-send.ts charges them on a request) and their
 * charge again when the sweep sends an email a spent budget held. Hourly fixed windows.
 */

/**
 * The sweep's part for a held email, when its time has come: its budgets charged again at once.
 * True when all had room; else what was taken is given back and it waits for the next window.
 */
export async function chargeHeld(charges: readonly BudgetCharge[], deps: BudgetDeps): Promise<boolean> {
  const nowMs = deps.clock.nowMs();
  const budgets = charges.map((charge) => ({ ...charge, limit: limitOf(charge.name, deps.budgets) }));
  const hits = await Promise.all(budgets.map((budget) => deps.limiter.hit(budget.key, budget.limit, BUDGET_WINDOW_SECONDS, nowMs)));
  if (hits.every((hit) => hit.allowed)) return true;
  await refundAllowed(budgets, hits, nowMs, deps);
  return false;
}

/** A held email's charges given back: the write that was to send it lost its race. */
export async function refundHeld(charges: readonly BudgetCharge[], deps: BudgetDeps): Promise<void> {
  const nowMs = deps.clock.nowMs();
  await Promise.all(charges.map((charge) => deps.limiter.refund(charge.key, BUDGET_WINDOW_SECONDS, nowMs)));
}

/** The start of the budgets' next window (epoch seconds): when a held email may try again. */
export function nextWindow(nowMs: number): number {
  const now = Math.floor(nowMs / 1000);
  return now - (now % BUDGET_WINDOW_SECONDS) + BUDGET_WINDOW_SECONDS;
}

export interface Budgets {
  readonly anonymousEmailsPerHour: number;
  readonly newAddressEmailsPerDomainPerHour: number;
  readonly newAddressSharePerClient: number;
}

/** What charging a budget needs: the counters, their limits and the time. */
export interface BudgetDeps {
  readonly clock: Clock;
  readonly limiter: RateLimiter;
  readonly budgets: Budgets;
}

export const BUDGET_WINDOW_SECONDS = 3600;

export type Budget = BudgetCharge & { readonly limit: number };

export function limitOf(name: BudgetCharge['name'], budgets: Budgets): number {
  if (name === 'service') return budgets.anonymousEmailsPerHour;
  return name === 'domain' ? budgets.newAddressEmailsPerDomainPerHour : budgets.newAddressSharePerClient;
}

/** What the hits that were allowed took, given back. */
export async function refundAllowed(budgets: readonly Budget[], hits: readonly { allowed: boolean }[], nowMs: number, deps: BudgetDeps) {
  await Promise.all(
    budgets.filter((_, i) => hits[i]!.allowed).map((budget) => deps.limiter.refund(budget.key, BUDGET_WINDOW_SECONDS, nowMs)),
  );
}
