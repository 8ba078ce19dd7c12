import type { HandlerSpec } from '../../infra/function-specs';

/** A function's row in the README's grant table, from its spec (tests check the README against it). */
export function grantRow(name: string, spec: HandlerSpec): string {
  const list = (items: readonly string[] | undefined) => (items?.length ? items.join(', ') : '—');
  const table = spec.table;
  const writes = table ? [...table.write, ...(table.removeAccounts ? ['account (delete)'] : [])] : [];
  return `| ${name} | ${list(table?.read)} | ${list(writes)} | ${list(table?.indexes)} | ${list(spec.uses)} |`;
}
