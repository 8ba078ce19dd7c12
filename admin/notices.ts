import type { Account } from '../functions/core/account';
import type { OperatorAction } from '../functions/core/changes';
import { OPERATOR_ACTIONS } from '../functions/core/changes';

/**
 * What a change will do, said before the operator confirms it: who is emailed and what the
 * sandbox is told. Read from the declared changes (core/changes.ts), so the prompt cannot promise
 * an event the change does not send.
 */
export function changeNotice(action: OperatorAction, email: string, account: Account | undefined, events: boolean): string {
  const verb = `${action[0]!.toUpperCase()}${action.slice(1)} ${email}?`;
  if (!account) return `${verb} (no such account: nothing will change)`;
  const change = OPERATOR_ACTIONS[action];
  const emailed = action === 'revoke' ? `${email} is emailed, with the reason` : `${email} is emailed`;
  return `${verb} ${emailed}; ${sandboxTold(change.event, events)}.`;
}

/** A fresh link: to the person while pending, to the sponsor while a contractor waits for one. */
export function resendNotice(email: string, account: Account | undefined): string {
  const sponsor = account?.request?.sponsorEmail;
  if (account?.status === 'pending')
    return `Send ${email} a fresh verification link? Only ${email} is emailed; the sandbox is told nothing.`;
  if (account?.status === 'awaiting_sponsor' && sponsor) {
    return `Send ${sponsor}, the sponsor ${email} named, a fresh approval link? Only ${sponsor} is emailed; the sandbox is told nothing.`;
  }
  return `Send a fresh link for ${email}? (it has none waiting: nothing will be sent)`;
}

export function retryNotice(email: string, account: Account | undefined, events: boolean): string {
  const failed = (account?.outbox ?? []).filter((delivery) => delivery.failed);
  const mails = failed.flatMap((delivery) => (delivery.channel === 'email' ? [`${delivery.email.type} to ${delivery.to}`] : []));
  const told = failed.flatMap((delivery) => (delivery.channel === 'webhook' ? [delivery.event.type] : []));
  const parts = [
    mails.length ? `emailed again: ${mails.join(', ')}` : 'no one is emailed',
    told.length ? (events ? `the sandbox is told again: ${told.join(', ')}` : 'no webhook is configured') : 'the sandbox is told nothing',
  ];
  return `Retry the failed deliveries of ${email}? ${parts.join('; ')} (by the next sweep).`;
}

function sandboxTold(event: string | undefined, events: boolean): string {
  if (!event) return 'the sandbox is told nothing';
  return events ? `the sandbox is told ${event}` : `the sandbox is not told (no webhook is configured; it would be ${event})`;
}
