import { familyOf } from './grant-use';
import type { Check } from './iam-gateway';

/** The secrets' roles as the README names them, by the logical id their ARN starts with. */
const SECRET_NAMES: readonly [RegExp, string][] = [
  [/:secret:SigningKeys/, 'signing-keys'],
  [/:secret:WebhookSecret/, 'webhook-secret'],
  [/:secret:EdgeOriginSecret/, 'edge-secret'],
];

/**
 * The README's "What each function may touch" table, written from what the rehearsal saw each
 * function do (every call allowed by its role): reads, writes, queries and other services.
 */
export function observedAccessTable(checks: readonly Check[], functions: readonly string[]): string {
  const allowed = checks.filter((check) => check.allowed);
  const rows = functions.map((name) => {
    const mine = allowed.filter((check) => check.caller === name);
    const families = (actions: string[], label = (family: string) => family) => [
      ...new Set(
        mine
          .filter((check) => actions.includes(check.action) && !check.resource.includes('/index/'))
          .flatMap((check) => familyOf(check).split('+').map(label)),
      ),
    ];
    const reads = [...families(['dynamodb:GetItem']), ...families(['dynamodb:BatchGetItem'], (family) => `${family} (batch)`)];
    const writes = [
      ...families(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
      ...families(['dynamodb:DeleteItem'], (family) => `${family} (delete)`),
    ];
    const queries = [
      ...new Set(
        mine
          .filter((check) => check.action === 'dynamodb:Query' && check.resource.includes('/index/'))
          .map((check) => familyOf(check).replace('index ', '')),
      ),
      ...families(['dynamodb:Query'], (family) => `${family} partition`),
      ...(mine.some((check) => check.action === 'dynamodb:Scan') ? ['table scan'] : []),
    ];
    const also = [
      ...(mine.some((check) => check.action === 'ses:SendEmail') ? ['mail'] : []),
      ...SECRET_NAMES.filter(([pattern]) =>
        mine.some((check) => check.action === 'secretsmanager:GetSecretValue' && pattern.test(check.resource)),
      ).map(([, label]) => label),
      ...SECRET_NAMES.filter(([pattern]) =>
        mine.some((check) => check.action === 'secretsmanager:PutSecretValue' && pattern.test(check.resource)),
      ).map(([, label]) => `${label} (write)`),
    ];
    const cell = (items: string[]) => (items.length ? [...items].sort().join(', ') : '—');
    return `| ${name} | ${cell(reads)} | ${cell(writes)} | ${cell(queries)} | ${cell(also)} |`;
  });
  return ['| function | reads | writes | queries | also |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
