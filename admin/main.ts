import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ACCOUNT_KINDS, ACCOUNT_STATUSES } from '../functions/core/account';
import { mailboxOf } from '../functions/core/address';
import type { OperatorAction } from '../functions/core/changes';
import { AppError } from '../functions/core/errors';
import { operateAccount, resendLink, retryDeliveries } from '../functions/use-cases/operate-account';
import { sweep } from '../functions/use-cases/sweep';
import { type ExportFormat, exportAccounts } from './export';
import { ACCOUNT_COLUMNS, accountRow, accountView, deliveryView, FORMATS, type Format, render } from './output';
import { canonical, confirm, type Io, open, operatorName, Refused, type Session, Usage } from './session';
import { TargetError } from './target';

export function program(io: Io, ask: (question: string) => Promise<string>): Command {
  const cli = new Command('admin')
    .description('Sandbox Gatekeeper operator tools (local: DYNAMODB_ENDPOINT, else the running npm start, else DATA_DIR)')
    .addOption(new Option('--format <format>', 'output for people or scripts').choices(FORMATS).default('table'))
    .option('--table <name>', 'the table', io.env.TABLE_NAME || 'sandbox-gatekeeper')
    .option('--yes', 'do not ask before changing anything (scripts)', false)
    .option('--as <name>', 'who acts, in the audit entry (default: the user logged in here)')
    .option('--stack <name>', 'act on the deployed stack (its outputs name the table) with your AWS credentials')
    .option('--region <region>', 'the stack’s region (default: your AWS configuration’s)')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
  const global = () => cli.opts<{ format: Format; table: string; yes: boolean; as?: string; stack?: string; region?: string }>();
  const withSession = async (run: (session: Session) => Promise<void>) => {
    const session = await open(io, global());
    try {
      await run(session);
    } finally {
      await session.target.close();
    }
  };

  cli
    .command('list')
    .description('accounts, newest first')
    .addOption(
      new Option('--status <status>', 'only this status (as of now: an active contractor past its end is expired)').choices(
        ACCOUNT_STATUSES,
      ),
    )
    .addOption(new Option('--kind <kind>', 'agency or contractor').choices(ACCOUNT_KINDS))
    .option('--sponsor <address>', 'only the contractors of this sponsor')
    .option('--domain <domain>', 'only addresses at this domain or under it')
    .action((options: { status?: string; kind?: string; sponsor?: string; domain?: string }) =>
      withSession(async ({ records }) => {
        const sponsor = options.sponsor ? mailboxOf(canonical(options.sponsor)) : undefined;
        const domain = options.domain?.toLowerCase().replace(/^\./, '');
        const rows = [];
        for await (const account of records.accounts()) {
          const view = accountView(account, io.nowMs());
          if (options.status && view.status !== options.status) continue;
          if (options.kind && view.kind !== options.kind) continue;
          if (sponsor && (!view.sponsor || mailboxOf(view.sponsor) !== sponsor)) continue;
          const at = view.email.slice(view.email.lastIndexOf('@') + 1);
          if (domain && at !== domain && !at.endsWith(`.${domain}`)) continue;
          rows.push(view);
        }
        rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        const format = global().format;
        io.out(render(format === 'json' ? rows : rows.map(accountRow), format, ACCOUNT_COLUMNS));
      }),
    );

  cli
    .command('show <email>')
    .description('one account with its whole audit history (archived entries included) and its deliveries')
    .action((email: string) =>
      withSession(async ({ records, store }) => {
        const address = canonical(email);
        const account = await store.get(address);
        if (!account) throw new Refused(`No account for ${address}.`);
        const history = [...(await records.archivedHistory(address)), ...account.history].map(({ at, event, by }) => ({ at, event, by }));
        const deliveries = (account.outbox ?? []).map((delivery) => deliveryView(address, delivery));
        const shown = { ...accountView(account, io.nowMs()), history, deliveries };
        if (global().format === 'json') {
          io.out(`${JSON.stringify(shown, null, 2)}\n`);
          return;
        }
        io.out(render([accountRow(accountView(account, io.nowMs()))], global().format, ACCOUNT_COLUMNS));
        io.out(render(history, global().format, ['at', 'event', 'by']));
        if (deliveries.length)
          io.out(render(deliveries, global().format, ['what', 'to', 'attempts', 'nextAttemptAt', 'state', 'lastError']));
      }),
    );

  const change = (action: OperatorAction, describe: string) =>
    cli
      .command(`${action} <email>`)
      .description(describe)
      .option('--reason <reason>', 'why (kept in the audit entry; sent to the person on revoke)')
      .option('--seconds <n>', 'the access period to grant (renew, reinstate: contractors)', (value) => {
        if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('a whole number of seconds');
        return Number(value);
      })
      .action((email: string, options: { reason?: string; seconds?: number }) =>
        withSession(async (session) => {
          const address = canonical(email);
          if (action !== 'renew' && !options.reason) throw new Usage(`${action} needs --reason.`);
          await confirm(io, global().yes, `${action[0]!.toUpperCase()}${action.slice(1)} ${address}?`, ask);
          try {
            const result = await operateAccount(
              {
                email: address,
                action,
                operator: operatorName(global().as),
                ...(options.reason ? { reason: options.reason } : {}),
                ...(options.seconds ? { seconds: options.seconds } : {}),
              },
              await session.deps(),
            );
            io.out(
              global().format === 'json'
                ? `${JSON.stringify(result)}\n`
                : `${address}: ${result.status}${result.accessExpiresAt ? ` until ${result.accessExpiresAt}` : ''}\n`,
            );
          } catch (error) {
            if (error instanceof AppError) throw new Refused(error.message);
            throw error;
          }
        }),
      );
  change('revoke', 'active → revoked (any account); the person is emailed, the sandbox told');
  change('reinstate', 'revoked, denied or expired → active (contractors get a new period); emailed, the sandbox told');
  change('renew', 'a contractor’s access extended as a sponsor’s Renew does; emailed, the sandbox told');

  cli
    .command('resend <email>')
    .description('a pending account: a fresh verification link; an awaiting contractor: a fresh approval link to the sponsor')
    .action((email: string) =>
      withSession(async (session) => {
        const address = canonical(email);
        await confirm(io, global().yes, `Send a fresh link for ${address}?`, ask);
        try {
          const result = await resendLink(address, await session.deps());
          io.out(global().format === 'json' ? `${JSON.stringify(result)}\n` : `${result.sent} sent to ${result.to}\n`);
        } catch (error) {
          if (error instanceof AppError) throw new Refused(error.message);
          throw error;
        }
      }),
    );

  cli
    .command('sweep')
    .description('runs the lifecycle sweep once, now: reminders, expiries, delivery retries, webhook events that are due')
    .action(() =>
      withSession(async (session) => {
        const report = await sweep(await session.deps());
        io.out(
          global().format === 'json'
            ? `${JSON.stringify(report)}\n`
            : `examined ${report.examined}, expired ${report.expired}, reminded ${report.reminded}, undecided ${report.undecided}, dormancy warnings ${report.warned}, dormant ${report.dormant}, suspended ${report.suspended}\n`,
        );
      }),
    );

  cli
    .command('export')
    .description('every account with its whole history, for records (streamed; progress on stderr at a terminal)')
    .addOption(new Option('--format <format>', 'one JSON object per line, or CSV').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--out <file>', 'write here (readable by you only) instead of stdout')
    .action((options: { format: ExportFormat; out?: string }) =>
      withSession(async ({ records }) => {
        const done = await exportAccounts(records, {
          format: options.format,
          ...(options.out ? { out: options.out } : {}),
          nowMs: io.nowMs,
          terminal: io.isTerminal,
          stdout: io.stdout,
        });
        io.err(`exported ${done.accounts} accounts in ${done.seconds.toFixed(1)} s (peak memory ${done.peakRssMb} MB)\n`);
      }),
    );

  const deliveries = cli.command('deliveries').description('emails and webhook events waiting or failed');
  deliveries
    .command('list')
    .option('--failed', 'only those that ran out of attempts')
    .action((options: { failed?: boolean }) =>
      withSession(async ({ records }) => {
        const rows = [];
        for await (const account of records.accounts()) {
          for (const delivery of account.outbox ?? [])
            if (!options.failed || delivery.failed) rows.push(deliveryView(account.email, delivery));
        }
        io.out(render(rows, global().format, ['account', 'what', 'to', 'attempts', 'nextAttemptAt', 'state', 'lastError']));
      }),
    );

  deliveries
    .command('retry <email>')
    .description('gives the account’s failed emails and events a new round of attempts (the sweep sends them)')
    .action((email: string) =>
      withSession(async (session) => {
        const address = canonical(email);
        await confirm(io, global().yes, `Retry the failed deliveries of ${address}?`, ask);
        try {
          const { retried, superseded } = await retryDeliveries(address, await session.deps());
          if (!retried && !superseded) throw new Refused(`${address} has no failed deliveries.`);
          if (superseded) io.out(`${superseded} failed events of ${address} were dropped: the sandbox already has a newer event for it.\n`);
          io.out(`${retried} deliveries of ${address} will be attempted again by the sweep.\n`);
        } catch (error) {
          if (error instanceof AppError) throw new Refused(error.message);
          throw error;
        }
      }),
    );

  const suppressions = cli.command('suppressions').description('mailboxes nothing is sent to (bounced or complained)');
  suppressions.command('list').action(() =>
    withSession(async ({ records }) => {
      const rows = [];
      for await (const item of records.family('suppression')) {
        rows.push({
          mailbox: item.email,
          reason: item.reason,
          suppressedAt: item.suppressedAt,
          until: item.suppressedUntil ? new Date(Number(item.suppressedUntil) * 1000).toISOString() : null,
        });
      }
      io.out(render(rows, global().format, ['mailbox', 'reason', 'suppressedAt', 'until']));
    }),
  );
  suppressions
    .command('remove <email>')
    .description('lets mail reach the mailbox again (remove SES’s own suppression too: see the README)')
    .action((email: string) =>
      withSession(async ({ suppressions }) => {
        const mailbox = mailboxOf(canonical(email));
        await confirm(io, global().yes, `Lift the suppression of ${mailbox}?`, ask);
        if (!(await suppressions.lift(mailbox))) throw new Refused(`${mailbox} is not suppressed.`);
        io.out(`${mailbox} is no longer suppressed.\n`);
      }),
    );

  const breaker = cli.command('breaker').description('the reputation breaker that holds anonymous mail');
  breaker.command('status').action(() =>
    withSession(async ({ records }) => {
      const item = await records.breaker();
      const state = item ? { open: true, openedAt: item.openedAt, reason: item.reason } : { open: false, openedAt: null, reason: null };
      io.out(
        global().format === 'json'
          ? `${JSON.stringify(state)}\n`
          : item
            ? `open since ${String(item.openedAt)}: ${String(item.reason)}\n`
            : 'closed\n',
      );
    }),
  );
  breaker
    .command('close')
    .description('sends anonymous mail again (once the cause of the bounces or complaints is found)')
    .action(() =>
      withSession(async ({ breaker }) => {
        await confirm(io, global().yes, 'Close the reputation breaker?', ask);
        if (!(await breaker.close())) throw new Refused('The breaker is not open.');
        io.out('The breaker is closed: anonymous mail is sent again.\n');
      }),
    );
  return cli;
}

/** Runs the CLI; resolves with the exit code. */
export async function run(argv: readonly string[], io: Io, ask: (question: string) => Promise<string>): Promise<number> {
  try {
    await program(io, ask).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof Usage) {
      io.err(`${error.message}\n`);
      return 2;
    }
    if (error instanceof Refused || error instanceof TargetError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    io.err(`${(error as Error)?.message ?? String(error)}\n`);
    return 1;
  }
}
