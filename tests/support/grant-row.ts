import type { HandlerSpec } from '../../infra/function-specs';

/** A function's row in the README's grant table, from its spec (tests check the README against it). */
export function grantRow(name: string, spec: HandlerSpec): string {
  const list = (items: readonly string[] | undefined) => (items?.length ? items.join(', ') : '—');
  const table = spec.table;
  const reads = table ? [...table.read, ...(table.readMany ?? []).map((family) => `${family} (batch)`)] : [];
  const writes = table ? [...table.write, ...(table.removeAccounts ? ['account (delete)'] : [])] : [];
  const queries = table ? [...table.indexes, ...(table.queryPartitions ?? []).map((family) => `${family} partition`)] : [];
  return `| ${name} | ${list(reads)} | ${list(writes)} | ${list(queries)} | ${list(spec.uses)} |`;
}
