import type { Command } from 'commander';

/** How to call each command, shown under its help: what an operator copies first. */
const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  admin: ['npm run admin -- list --status active', 'npm run admin -- --stack SandboxGatekeeper list --format json'],
  list: [
    'npm run admin -- list --status awaiting_sponsor --format json',
    'npm run admin -- list --sponsor pat@agency.gov --kind contractor',
  ],
  show: ['npm run admin -- show casey@acme-corp.com --format json'],
  revoke: ['npm run admin -- revoke casey@acme-corp.com --reason "Contract ended"'],
  reinstate: ['npm run admin -- reinstate casey@acme-corp.com --reason "Contract renewed"'],
  renew: ['npm run admin -- renew casey@acme-corp.com', 'npm run admin -- renew casey@acme-corp.com --seconds 2592000 --yes'],
  resend: ['npm run admin -- resend casey@acme-corp.com'],
  sweep: ['npm run admin -- sweep --format json'],
  export: ['npm run admin -- export --format csv --out accounts.csv', 'npm run admin -- export --out accounts.jsonl --force'],
  'deliveries list': ['npm run admin -- deliveries list --failed --format json'],
  'deliveries retry': ['npm run admin -- deliveries retry casey@acme-corp.com'],
  'suppressions list': ['npm run admin -- suppressions list --format csv'],
  'suppressions remove': ['npm run admin -- suppressions remove bounced@agency.gov'],
  'breaker status': ['npm run admin -- breaker status --format json'],
  'breaker close': ['npm run admin -- breaker close'],
};

/** The command's examples and its `--format` values under its help (the global --format means one thing per command). */
export function withHelp(command: Command, name: string, formats?: readonly string[]): Command {
  const examples = EXAMPLES[name] ?? [];
  const lines = [
    ...(formats
      ? [
          `--format: ${formats[0]} (default)${formats
            .slice(1)
            .map((format) => `, ${format}`)
            .join('')}`,
        ]
      : []),
    ...(examples.length ? ['Examples:', ...examples.map((example) => `  $ ${example}`)] : []),
  ];
  if (lines.length) command.addHelpText('after', `\n${lines.join('\n')}`);
  return command;
}

/** Every command with an example, for the test that holds each command's help to one. */
export const COMMANDS_WITH_EXAMPLES = Object.keys(EXAMPLES);
