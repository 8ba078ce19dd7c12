import { mailboxOf } from '../functions/core/address';
import { retryDeliveries } from '../functions/use-cases/operate-account';
import { type CliContext, LINE_FORMATS, ROW_FORMATS } from './cli-context';
import { withHelp } from './help';
import { retryNotice } from './notices';
import { deliveryView, render } from './output';
import { canonical, confirm, Refused } from './session';

/** What waits to be sent, what is not sent to, and the breaker that holds anonymous mail. */
export function storeCommands({ cli, io, ask, global, formatIn, withSession }: CliContext): void {
  const deliveries = cli.command('deliveries').description('emails and webhook events waiting or failed');
  withHelp(deliveries.command('list'), 'deliveries list', ROW_FORMATS)
    .option('--failed', 'only those that ran out of attempts')
    .action((options: { failed?: boolean }) => {
      const format = formatIn('deliveries list', ROW_FORMATS);
      return withSession(async ({ records }) => {
        const rows = [];
        for await (const account of records.accounts()) {
          for (const delivery of account.outbox ?? [])
            if (!options.failed || delivery.failed) rows.push(deliveryView(account.email, delivery));
        }
        io.out(render(rows, format, ['account', 'what', 'to', 'attempts', 'nextAttemptAt', 'state', 'lastError']));
      });
    });
  withHelp(deliveries.command('retry <email>'), 'deliveries retry', LINE_FORMATS)
    .description('gives the account’s failed emails and events a new round of attempts (the sweep sends them)')
    .action((email: string) => {
      const format = formatIn('deliveries retry', LINE_FORMATS);
      const address = canonical(email);
      return withSession(async (session) => {
        const deps = await session.deps();
        await confirm(io, global().yes, retryNotice(address, await session.store.get(address), session.events), ask);
        const { retried, superseded } = await retryDeliveries(address, deps);
        if (!retried && !superseded) throw new Refused(`${address} has no failed deliveries.`);
        if (format === 'json') {
          io.out(`${JSON.stringify({ retried, superseded })}\n`);
          return;
        }
        if (superseded) io.out(`${superseded} failed events of ${address} were dropped: the sandbox already has a newer event for it.\n`);
        io.out(`${retried} deliveries of ${address} will be attempted again by the sweep.\n`);
      });
    });

  const suppressions = cli.command('suppressions').description('mailboxes nothing is sent to (bounced or complained)');
  withHelp(suppressions.command('list'), 'suppressions list', ROW_FORMATS).action(() => {
    const format = formatIn('suppressions list', ROW_FORMATS);
    return withSession(async ({ records }) => {
      const rows = [];
      for await (const item of records.family('suppression')) {
        rows.push({
          mailbox: item.email,
          reason: item.reason,
          suppressedAt: item.suppressedAt,
          until: item.suppressedUntil ? new Date(Number(item.suppressedUntil) * 1000).toISOString() : null,
        });
      }
      io.out(render(rows, format, ['mailbox', 'reason', 'suppressedAt', 'until']));
    });
  });
  withHelp(suppressions.command('remove <email>'), 'suppressions remove', LINE_FORMATS)
    .description('lets mail reach the mailbox again (remove SES’s own suppression too: see the README)')
    .action((email: string) => {
      const format = formatIn('suppressions remove', LINE_FORMATS);
      const mailbox = mailboxOf(canonical(email));
      return withSession(async ({ suppressions }) => {
        await confirm(io, global().yes, `Lift the suppression of ${mailbox}? No one is emailed; the sandbox is told nothing.`, ask);
        if (!(await suppressions.lift(mailbox))) throw new Refused(`${mailbox} is not suppressed.`);
        io.out(format === 'json' ? `${JSON.stringify({ lifted: mailbox })}\n` : `${mailbox} is no longer suppressed.\n`);
      });
    });

  const breaker = cli.command('breaker').description('the reputation breaker that holds anonymous mail');
  withHelp(breaker.command('status'), 'breaker status', LINE_FORMATS).action(() => {
    const format = formatIn('breaker status', LINE_FORMATS);
    return withSession(async ({ records }) => {
      const item = await records.breaker();
      const state = item ? { open: true, openedAt: item.openedAt, reason: item.reason } : { open: false, openedAt: null, reason: null };
      io.out(
        format === 'json'
          ? `${JSON.stringify(state)}\n`
          : item
            ? `open since ${String(item.openedAt)}: ${String(item.reason)}\n`
            : 'closed\n',
      );
    });
  });
  withHelp(breaker.command('close'), 'breaker close', LINE_FORMATS)
    .description('sends anonymous mail again (once the cause of the bounces or complaints is found)')
    .action(() => {
      const format = formatIn('breaker close', LINE_FORMATS);
      return withSession(async ({ breaker }) => {
        await confirm(io, global().yes, 'Close the reputation breaker? Anonymous mail is sent again; no one is emailed now.', ask);
        if (!(await breaker.close())) throw new Refused('The breaker is not open.');
        io.out(format === 'json' ? `${JSON.stringify({ open: false })}\n` : 'The breaker is closed: anonymous mail is sent again.\n');
      });
    });
}
