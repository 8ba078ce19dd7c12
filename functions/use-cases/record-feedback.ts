import { mailboxOf, maskAddress, parseAddress } from '../core/address';
import { CHANGES } from '../core/changes';
import type { SuppressionList } from '../core/ports';
import { type ChangeDeps, changeBySystem } from './change-account';
import { type SponsorUnreachableDeps, tellSponsoredContractors } from './sponsor-unreachable';

export interface FeedbackDeps extends Omit<ChangeDeps, 'notifier'>, SponsorUnreachableDeps {
  readonly suppressions: SuppressionList;
  /** How long a permanent bounce suppresses its mailbox (a complaint is kept until removed). */
  readonly bounceSuppressionDays: number;
}

interface Recipient {
  readonly emailAddress?: unknown;
}

interface SesFeedback {
  readonly eventType?: unknown;
  readonly notificationType?: unknown;
  readonly bounce?: { readonly bounceType?: unknown; readonly bouncedRecipients?: readonly Recipient[] };
  readonly complaint?: { readonly complainedRecipients?: readonly Recipient[] };
}

/** What an SES notification asks for: which addresses to suppress and why, or nothing. */
export function readFeedback(message: string): { reason: 'bounce' | 'complaint'; addresses: string[] } | undefined {
  let feedback: SesFeedback;
  try {
    feedback = JSON.parse(message) as SesFeedback;
  } catch {
    return undefined;
  }
  if (typeof feedback !== 'object' || feedback === null) return undefined;
  const type = feedback.eventType ?? feedback.notificationType;
  const canonical = (recipients: readonly Recipient[] | undefined) =>
    (Array.isArray(recipients) ? recipients : []).flatMap((recipient) => {
      const parsed = typeof recipient?.emailAddress === 'string' ? parseAddress(recipient.emailAddress) : undefined;
      return parsed?.ok ? [parsed.address.canonical] : [];
    });
  // Only permanent bounces: a transient one (mailbox full, greylisting) says nothing lasting.
  if (type === 'Bounce' && feedback.bounce?.bounceType === 'Permanent') {
    return { reason: 'bounce', addresses: canonical(feedback.bounce.bouncedRecipients) };
  }
  if (type === 'Complaint') return { reason: 'complaint', addresses: canonical(feedback.complaint?.complainedRecipients) };
  return undefined;
}

/**
 * A bounce or complaint notification from SES (through SNS). Steps:
 * 1. read which addresses it names; anything else (deliveries, transient bounces, garbage) is
 *    logged and dropped — retrying would not change it;
 * 2. suppress each address, idempotently: SNS delivers at least once, duplicates are normal;
 * 3. a permanent bounce from an active account's own address suspends it (`mailbox_undeliverable`,
 *    `access.suspended` for the sweep to send); confirming the address again resumes it;
 * 4. a permanent bounce from a sponsor's mailbox leaves their contractors' access as it is, and
 *    tells them and the operator (sponsor-unreachable.ts).
 * A storage failure throws, so Lambda retries and, failing that, the dead-letter queue keeps it.
 */
export async function recordFeedback(message: string, deps: FeedbackDeps): Promise<void> {
  const feedback = readFeedback(message);
  if (!feedback) {
    deps.log.info('feedback ignored: not a permanent bounce or a complaint');
    return;
  }
  for (const address of feedback.addresses) {
    const nowMs = deps.clock.nowMs();
    const until = feedback.reason === 'bounce' ? nowMs + deps.bounceSuppressionDays * 86_400_000 : undefined;
    const added = await deps.suppressions.suppress(mailboxOf(address), feedback.reason, nowMs, until);
    if (added) deps.metrics.count('AddressesSuppressed', { reason: feedback.reason });
    deps.log.warn(added ? 'address suppressed' : 'address already suppressed', {
      recipient: maskAddress(address),
      reason: feedback.reason,
    });
    if (feedback.reason === 'bounce') {
      // The account of the mailbox that bounced, if active (a duplicate notification changes nothing).
      await changeBySystem(CHANGES.suspendUndeliverable, await deps.store.get(address), deps);
      await tellSponsoredContractors(address, deps);
    }
  }
}
