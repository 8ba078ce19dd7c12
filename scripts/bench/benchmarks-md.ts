import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type ColdFigures, slowestImport } from './cold';
import { type costPer10k, PRICE_TEXT } from './cost';
import type { ServiceFigures } from './service-figures';
import { round } from './stats';

export interface Row {
  figure: string;
  value: string;
  goal: string;
  /** Undefined: a figure shown for reference, with no goal of its own. */
  holds: boolean | undefined;
}

export interface Measured extends ServiceFigures {
  samples: number;
  /** Fewer samples than the full run (`--quick`). */
  quick: boolean;
  rows: readonly Row[];
  cold: ColdFigures;
  cost: ReturnType<typeof costPer10k>;
}

const table = (header: string[], body: string[][]) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...body.map((cells) => `| ${cells.join(' | ')} |`)].join(
    '\n',
  );

/** The measured part is rewritten; what people wrote below `## Analysis` stays. */
function withAnalysisKept(measured: string): string {
  const previous = existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : '';
  const analysis = previous.indexOf('\n## Analysis');
  return analysis === -1 ? measured : `${measured}${previous.slice(analysis)}`;
}

/** BENCHMARKS.md from this run's figures. */
export function writeBenchmarks(measured: Measured): void {
  const { samples, rows, warm, work, scale, sweepReads, cold, cost } = measured;
  const { bundles, floor: floorBundle, bareMs } = cold;
  const floorBytes = floorBundle.bytes;
  const slowest = slowestImport(bundles);
  const at100 = sweepReads.get(100)!;
  const at10k = sweepReads.get(10_000)!;
  writeFileSync(
    'BENCHMARKS.md',
    withAnalysisKept(`# Benchmarks

Written by \`npm run bench\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${samples} samples a flow). Every
figure is a ratio against a floor measured in the same run on the same machine, so a noisy
machine moves both alike. How to run it and what the floors are: README, "Performance".

## Goals (docs/design.md §9)

${table(
  ['figure', 'measured', 'goal', 'holds'],
  rows.map((r) => [r.figure, r.value, r.goal || '—', r.holds === undefined ? '—' : r.holds ? 'yes' : '**no**']),
)}

## Warm latency through the local server (ms)

${table(
  ['flow', 'p50', 'p99', 'floor p50', 'floor p99', 'p50 ratio'],
  Object.entries(warm).map(([name, f]) => [
    name,
    String(round(f.p50, 1)),
    String(round(f.p99, 1)),
    String(round(f.floor50, 1)),
    String(round(f.floor99, 1)),
    `${round(f.p50 / f.floor50)}×`,
  ]),
)}

Floors: "sign-up, against its own calls" = the calls this implementation makes for a new
address, made directly (the client's counter; account, suppression and breaker at once; the
mailbox allowance and two budgets at once; the account write, the send, the clear). The other
floors are docs/design.md §9's: sign-up = a counter write, one read round trip (two items at once), a conditional put
with the outbox, one SES send, the clear; verification = an index query, a conditional write, the
clear; decision = an index query, a conditional write, two sends at once, the clear.

## Work per request (DynamoDB, counted by the SDK middleware in \`functions/adapters/dynamodb-work.ts\`)

${table(
  ['request', 'read calls', 'write calls', 'read units', 'write units'],
  Object.entries(work).map(([name, f]) => [name, String(f.reads), String(f.writes), String(f.readUnits), String(f.writeUnits)]),
)}

## Bundles and cold imports

Bare \`node\`: ${round(bareMs, 0)} ms. Floor bundle (DynamoDB document client and SES alone, the same build options): ${(floorBytes / 1000).toFixed(1)} kB, imported in ${round(floorBundle.importMs, 0)} ms.

${table(
  ['function', 'kB (minified ESM)', 'fresh import ms', '÷ bare node'],
  bundles.map((b) => [b.name, (b.bytes / 1000).toFixed(1), String(round(b.importMs, 0)), `${round(b.importMs / bareMs)}×`]),
)}

On Lambda: published Init durations (Node 22) are ~170–240 ms for hello world and ~240–375 ms
with the SDK bundled, minified and tree-shaken as ESM (aws-sdk-js-v3#5516, aws-cdk#25492) — the
case of the floor bundle. The largest bundle imports ${round(slowest.importMs - floorBundle.importMs, 0)} ms slower than the floor here, so its cold
start should land at about ${240 + Math.round(slowest.importMs - floorBundle.importMs)}–${375 + Math.round(slowest.importMs - floorBundle.importMs)} ms of Init.

## Scale

Sign-ups/s at concurrency 16: ${round(scale.service, 0)} (floor ${round(scale.floor, 0)} iterations/s; the same calls as the service makes, made directly: ${round(scale.asBuilt, 0)}/s). Sweep items read with 10 due:
${at100} among 100 accounts, ${at10k} among 10,000.

## Cost per 10,000 sign-ups on AWS

Each agency sign-up is four requests (the page, \`POST /signup\`, the confirmation page, the
confirmation), one email; functions at 512 MB on arm64, each request billed for its measured
local p50 (an upper bound: it includes the emulators' time). Prices (AWS's public on-demand prices, us-east-1): ${PRICE_TEXT}. CloudWatch Logs ingestion (one log line and one metrics line a request, about 1.5 kB, $0.50 per GB) adds about $0.03.

${table(
  ['line', 'quantity', 'dollars'],
  [
    ['Lambda compute', `${round(cost.gbSeconds, 1)} GB-s`, cost.lines['Lambda compute'].toFixed(4)],
    ['Lambda requests', String(cost.requests), cost.lines['Lambda requests'].toFixed(4)],
    ['DynamoDB writes', `${round(cost.writeUnits, 0)} WRU`, cost.lines['DynamoDB writes'].toFixed(4)],
    ['DynamoDB reads', `${round(cost.readUnits, 0)} RRU`, cost.lines['DynamoDB reads'].toFixed(4)],
    ['SES', `${cost.emails} emails`, cost.lines['SES emails'].toFixed(4)],
    ['API Gateway', `${cost.requests} requests`, cost.lines['API Gateway requests'].toFixed(4)],
    ['**total**', '', `**${cost.total.toFixed(2)}**`],
  ],
)}
`),
  );
}
