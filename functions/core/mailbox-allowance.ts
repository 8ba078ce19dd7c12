/**
 * The per-recipient email limits (docs/design.md §3): one email per cooldown and at most `perDay` per
 * UTC day, for the emails an anonymous request triggers. They count mailboxes, not spellings:
 * `jane+x@agency.gov` and `jane@agency.gov` share one allowance (see mailboxOf).
 */
export interface EmailLimits {
  readonly cooldownSeconds: number;
  readonly perDay: number;
}

/** What a mailbox has used of today's allowance. */
export interface Allowance {
  readonly count: number;
  /** Epoch seconds of the last email counted today. */
  readonly lastEmailAt: number;
}

/** The start of the UTC day `nowMs` falls in, in epoch seconds: the day an allowance counts. */
export function allowanceDay(nowMs: number): number {
  const now = Math.floor(nowMs / 1000);
  return now - (now % 86_400);
}

/**
 * May one more email go to the mailbox now? The store checks exactly this in its conditional
 * write. (The cooldown is counted within the day: across midnight at most one extra email.)
 */
export function mayTake(today: Allowance | undefined, nowMs: number, limits: EmailLimits): boolean {
  if (!today) return true;
  return today.count < limits.perDay && today.lastEmailAt <= Math.floor(nowMs / 1000) - limits.cooldownSeconds;
}
