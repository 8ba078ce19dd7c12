import { sweep } from '../../functions/use-cases/sweep';
import { itemCountingClient, seedContractors, tableSweepDeps } from '../../infra/harness/table-sweep';

/** Items DynamoDB returns to one sweep with 10 due among `total` accounts (counted by an SDK middleware). */
export async function sweepItemsRead(endpoint: string, tableName: string, totals: readonly number[]): Promise<Map<number, number>> {
  const tally = { items: 0 };
  const client = itemCountingClient(endpoint, tally);
  const now = Math.floor(Date.now() / 1000);
  const figures = new Map<number, number>();
  for (const total of totals) {
    await seedContractors(client, tableName, `later${total}-`, total - 10, now + 86_400);
    await seedContractors(client, tableName, `due${total}-`, 10, now - 1);
    tally.items = 0;
    const report = await sweep(tableSweepDeps(client, tableName));
    if (report.expired !== 10) throw new Error(`the sweep expired ${report.expired} of 10 due accounts`);
    figures.set(total, tally.items);
  }
  client.destroy();
  return figures;
}
