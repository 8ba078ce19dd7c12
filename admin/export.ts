import { resourceUsage } from 'node:process';
import { SingleBar } from 'cli-progress';
import { HISTORY_ON_ITEM } from '../functions/core/account-history';
import { accountView, agencyCell, csv } from './output';
import { writePrivateFile } from './private-file';
import type { OperatorRecords } from './records';

export type ExportFormat = 'jsonl' | 'csv';

const CSV_COLUMNS = ['email', 'kind', 'status', 'createdAt', 'accessExpiresAt', 'sponsor', 'agency', 'history'] as const;

/**
 * Every account with its whole history, for records: streamed a page at a time (memory stays
 * flat whatever the table holds), to a new file readable by this user only (private-file.ts), or
 * to stdout. A progress bar on stderr when stderr is a terminal. Returns the count, the time and
 * the peak RSS.
 */
export async function exportAccounts(
  records: OperatorRecords,
  options: {
    format: ExportFormat;
    out?: string;
    force?: boolean;
    estimate?: number;
    nowMs: () => number;
    terminal: boolean;
    stdout: NodeJS.WritableStream;
  },
): Promise<{ accounts: number; seconds: number; peakRssMb: number }> {
  const started = Date.now();
  let accounts = 0;
  const run = (sink: NodeJS.WritableStream) =>
    streamAccounts(records, sink, options, () => {
      accounts++;
    });
  if (options.out) await writePrivateFile(options.out, options.force ?? false, run);
  else await run(options.stdout);
  return { accounts, seconds: (Date.now() - started) / 1000, peakRssMb: Math.round(resourceUsage().maxRSS / 1024) };
}

async function streamAccounts(
  records: OperatorRecords,
  sink: NodeJS.WritableStream,
  options: { format: ExportFormat; estimate?: number; nowMs: () => number; terminal: boolean },
  counted: () => void,
): Promise<void> {
  const write = (text: string) =>
    sink.write(text) ? Promise.resolve() : new Promise<void>((resolve) => sink.once('drain', () => resolve()));
  const bar = options.terminal ? new SingleBar({ format: 'export {bar} {value}/{total} accounts', stream: process.stderr }) : undefined;
  bar?.start(options.estimate ?? 0, 0);
  if (options.format === 'csv') await write(csv([CSV_COLUMNS]));
  for await (const account of records.accounts()) {
    // Older entries live in archive items only when the item's history is full.
    const archived = account.history.length >= HISTORY_ON_ITEM ? await records.archivedHistory(account.email) : [];
    const history = [...archived, ...account.history];
    const row = { ...accountView(account, options.nowMs()), history };
    await write(
      options.format === 'jsonl'
        ? `${JSON.stringify(row)}\n`
        : csv([
            [
              row.email,
              row.kind,
              row.status,
              row.createdAt,
              row.accessExpiresAt ?? '',
              row.sponsor ?? '',
              agencyCell(row.agency),
              JSON.stringify(history),
            ],
          ]),
    );
    counted();
    bar?.increment();
  }
  bar?.stop();
}
