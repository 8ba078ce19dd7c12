import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import type { Account } from '../functions/core/account';
import { statusAt } from '../functions/core/lifecycle';
import type { Delivery } from '../functions/core/outbox';
import type { Agency } from '../functions/core/registry';

export type Format = 'table' | 'json' | 'csv';
export const FORMATS: readonly Format[] = ['table', 'json', 'csv'];

/** An account as scripts see it (docs/design.md §8): stable field names; the status as of now. */
export type AccountView = {
  readonly email: string;
  readonly kind: string;
  readonly status: string;
  readonly createdAt: string;
  readonly accessExpiresAt: string | null;
  readonly sponsor: string | null;
  /** As the .gov registry names it (a contractor: their sponsor's); none off the registry. */
  readonly agency: Agency | null;
};

export function accountView(account: Account, nowMs: number): AccountView {
  return {
    email: account.email,
    kind: account.kind,
    status: statusAt(account, nowMs),
    createdAt: account.createdAt,
    accessExpiresAt: account.accessExpiresAt ?? null,
    sponsor: account.kind === 'contractor' ? (account.sponsoredBy ?? account.request?.sponsorEmail ?? null) : null,
    agency: account.agency ?? null,
  };
}

/** The columns an account has in a table or CSV (JSON has every field of the view). */
export const ACCOUNT_COLUMNS = ['email', 'kind', 'status', 'createdAt', 'accessExpiresAt', 'sponsor', 'agency'] as const;

/** The agency in one cell: "General Services Administration / Office of GSA IT"; empty when none. */
export function agencyCell(agency: Agency | null | undefined): string {
  if (!agency) return '';
  return agency.suborganization ? `${agency.organization} / ${agency.suborganization}` : agency.organization;
}

/** An account for a table or CSV: each field one cell. */
export function accountRow(view: AccountView): Record<(typeof ACCOUNT_COLUMNS)[number], string | null> {
  return { ...view, agency: agencyCell(view.agency) };
}

/**
 * CSV whose cells a spreadsheet shows as text: a cell that starts like a formula (`=`, `+`, `-`,
 * `@`, a tab or a return) gets a leading `'`, as addresses and the registry's names are not ours to trust.
 */
export function csv(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], { escape_formulas: true });
}

/** A delivery as the operator sees it: what, to whom, how far it got. */
export function deliveryView(email: string, delivery: Delivery) {
  return {
    account: email,
    id: delivery.id,
    channel: delivery.channel,
    what: delivery.channel === 'email' ? delivery.email.type : delivery.event.type,
    to: delivery.channel === 'email' ? delivery.to : 'webhook',
    attempts: delivery.attempts,
    nextAttemptAt: new Date(delivery.nextAttemptAt * 1000).toISOString(),
    state: delivery.failed ? 'failed' : 'pending',
    lastError: delivery.lastError ?? null,
  };
}

/** Rows for people (an aligned table), scripts (JSON) or spreadsheets (CSV), with the same columns. */
export function render(rows: readonly Record<string, unknown>[], format: Format, columns: readonly string[]): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const cells = rows.map((row) => columns.map((column) => (row[column] === null || row[column] === undefined ? '' : String(row[column]))));
  if (format === 'csv') return csv([columns, ...cells]);
  if (!rows.length) return '(none)\n';
  const table = new Table({ head: [...columns], style: { head: [], border: [] } });
  table.push(...cells);
  return `${table.toString()}\n`;
}
