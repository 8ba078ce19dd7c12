import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ACCOUNT_KINDS, ACCOUNT_STATUSES } from '../functions/core/account';
import { mailboxOf } from '../functions/core/address';
import { sweep } from '../functions/use-cases/sweep';
import { changeCommands } from './change-commands';
import { ANY_FORMAT, type CliContext, cliContext, LINE_FORMATS, ROW_FORMATS } from './cli-context';
import { exportAccounts } from './export';
import { withHelp } from './help';
import { ACCOUNT_COLUMNS, accountRow, accountView, deliveryView, render } from './output';
import { canonical, type Io, Refused, Usage } from './session';
import { storeCommands } from './store-commands';
import { TargetError } from './target';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * The operator's commands. The global options are the program's and go anywhere on the line
 * (commander reads a program's options after the command's name unless positional options are
 * enabled, which they are not); each command reads `--format` as it means it.
 */
export function program(io: Io, ask: (question: string) => Promise<string>): Command {
  const cli = new Command('admin')
    .description('Sandbox Gatekeeper operator tools (local: DYNAMODB_ENDPOINT, else the running npm start, else DATA_DIR)')
    .version(VERSION, '--version', 'the version of these tools')
    .addOption(new Option('--format <format>', 'output: each command’s help says which it prints (default: its first)').choices(ANY_FORMAT))
    .option('--table <name>', 'the table', io.env.TABLE_NAME || 'sandbox-gatekeeper')
    .option('--yes', 'do not ask before changing anything (scripts)', false)
    .option('--as <name>', 'who acts, in the audit entry, locally (default: the user logged in here; in AWS: your ARN)')
    .option('--stack <name>', 'act on the deployed stack (its outputs name the table) with your AWS credentials')
    .option('--region <region>', 'the stack’s region (default: your AWS configuration’s)')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
  withHelp(cli, 'admin');
  const context = cliContext(cli, io, ask);
  readCommands(context);
  changeCommands(context);
  storeCommands(context);
  return cli;
}

function readCommands({ cli, io, formatIn, withSession }: CliContext): void {
  withHelp(cli.command('list'), 'list', ROW_FORMATS)
    .description('accounts, newest first')
    .addOption(
      new Option('--status <status>', 'only this status (as of now: an active contractor past its end is expired)').choices(
        ACCOUNT_STATUSES,
      ),
    )
    .addOption(new Option('--kind <kind>', 'agency or contractor').choices(ACCOUNT_KINDS))
    .option('--sponsor <address>', 'only the contractors of this sponsor')
    .option('--domain <domain>', 'only addresses at this domain or under it')
    .action((options: { status?: string; kind?: string; sponsor?: string; domain?: string }) => {
      const format = formatIn('list', ROW_FORMATS);
      return withSession(async ({ records }) => {
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
        io.out(render(format === 'json' ? rows : rows.map(accountRow), format, ACCOUNT_COLUMNS));
      });
    });

  withHelp(cli.command('show <email>'), 'show', LINE_FORMATS)
    .description('one account with its whole audit history (archived entries included) and its deliveries')
    .action((email: string) => {
      const format = formatIn('show', LINE_FORMATS);
      return withSession(async ({ records, store }) => {
        const address = canonical(email);
        const account = await store.get(address);
        if (!account) throw new Refused(`No account for ${address}.`);
        const history = [...(await records.archivedHistory(address)), ...account.history].map(({ at, event, by }) => ({ at, event, by }));
        const deliveries = (account.outbox ?? []).map((delivery) => deliveryView(address, delivery));
        if (format === 'json') {
          io.out(`${JSON.stringify({ ...accountView(account, io.nowMs()), history, deliveries }, null, 2)}\n`);
          return;
        }
        io.out(render([accountRow(accountView(account, io.nowMs()))], format, ACCOUNT_COLUMNS));
        io.out(render(history, format, ['at', 'event', 'by']));
        if (deliveries.length) io.out(render(deliveries, format, ['what', 'to', 'attempts', 'nextAttemptAt', 'state', 'lastError']));
      });
    });

  withHelp(cli.command('sweep'), 'sweep', LINE_FORMATS)
    .description('runs the lifecycle sweep once, now: reminders, expiries, delivery retries, webhook events that are due')
    .action(() => {
      const format = formatIn('sweep', LINE_FORMATS);
      return withSession(async (session) => {
        const report = await sweep(await session.deps());
        io.out(
          format === 'json'
            ? `${JSON.stringify(report)}\n`
            : `examined ${report.examined}, expired ${report.expired}, reminded ${report.reminded}, undecided ${report.undecided}, dormancy warnings ${report.warned}, dormant ${report.dormant}, suspended ${report.suspended}, failed ${report.failed}, left for the next run ${report.backlog}\n`,
        );
      });
    });

  const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
  withHelp(cli.command('export'), 'export', EXPORT_FORMATS)
    .description('every account with its whole history, for records (streamed; progress on stderr at a terminal)')
    .option('--out <file>', 'write a new file here, readable by you only, instead of stdout (complete or not at all)')
    .option('--force', 'replace what is at --out (a file or a link: the link itself, never its target)', false)
    .action((options: { out?: string; force: boolean }) => {
      const format = formatIn('export', EXPORT_FORMATS);
      return withSession(async ({ records }) => {
        const done = await exportAccounts(records, {
          format,
          ...(options.out ? { out: options.out } : {}),
          force: options.force,
          nowMs: io.nowMs,
          terminal: io.isTerminal,
          stdout: io.stdout,
        });
        io.err(`exported ${done.accounts} accounts in ${done.seconds.toFixed(1)} s (peak memory ${done.peakRssMb} MB)\n`);
      });
    });
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
