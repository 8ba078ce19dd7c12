import { InvalidArgumentError } from 'commander';
import type { OperatorAction } from '../functions/core/changes';
import { operateAccount, resendLink } from '../functions/use-cases/operate-account';
import { type CliContext, LINE_FORMATS } from './cli-context';
import { withHelp } from './help';
import { changeNotice, resendNotice } from './notices';
import { canonical, confirm } from './session';

/** The changes of one account an operator makes: the use cases a person's click runs, asked first. */
export function changeCommands(context: CliContext): void {
  const { cli, io, ask, global, formatIn, withSession } = context;
  const change = (action: OperatorAction, describe: string, reason: 'required' | 'optional') => {
    const command = withHelp(cli.command(`${action} <email>`), action, LINE_FORMATS).description(describe);
    const why = 'why (kept in the audit entry; sent to the person on revoke)';
    if (reason === 'required')
      command.usage('<email> --reason <reason> [options]').requiredOption('--reason <reason>', `${why} (required)`);
    else command.option('--reason <reason>', why);
    if (action !== 'revoke') {
      command.option('--seconds <n>', 'the access period to grant (default: the period the service is configured with)', (value) => {
        if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('a whole number of seconds');
        return Number(value);
      });
    }
    command.action((email: string, options: { reason?: string; seconds?: number }) => {
      const format = formatIn(action, LINE_FORMATS);
      const address = canonical(email);
      return withSession(async (session) => {
        const deps = await session.deps();
        await confirm(io, global().yes, changeNotice(action, address, await session.store.get(address), session.events), ask);
        const result = await operateAccount(
          {
            email: address,
            action,
            operator: session.operator,
            ...(options.reason ? { reason: options.reason } : {}),
            ...(options.seconds ? { seconds: options.seconds } : {}),
          },
          deps,
        );
        io.out(
          format === 'json'
            ? `${JSON.stringify(result)}\n`
            : `${address}: ${result.status}${result.accessExpiresAt ? ` until ${result.accessExpiresAt}` : ''}\n`,
        );
      });
    });
  };
  change('revoke', 'active → revoked (any account); the person is emailed, the sandbox told', 'required');
  change(
    'reinstate',
    'revoked, denied, expired or suspended → active (contractors get a new period); emailed, the sandbox told',
    'required',
  );
  change('renew', 'a contractor’s access extended as a sponsor’s Renew does; emailed, the sandbox told', 'optional');

  withHelp(cli.command('resend <email>'), 'resend', LINE_FORMATS)
    .description('a pending account: a fresh verification link; an awaiting contractor: a fresh approval link to the sponsor')
    .action((email: string) => {
      const format = formatIn('resend', LINE_FORMATS);
      const address = canonical(email);
      return withSession(async (session) => {
        const deps = await session.deps();
        await confirm(io, global().yes, resendNotice(address, await session.store.get(address)), ask);
        const result = await resendLink(address, deps);
        io.out(format === 'json' ? `${JSON.stringify(result)}\n` : `${result.sent} sent to ${result.to}\n`);
      });
    });
}
