import { writeFileSync } from 'node:fs';
import type { ColdFigures } from './cold';
import { billedMs, type costPer10k, PRICE_TEXT, type Step } from './cost';
import type { ServiceFigures } from './service-figures';
import { round } from './stats';
import type { ToldFigure } from './told-latency';

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
  told: ToldFigure;
}

const table = (header: string[], body: string[][]) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...body.map((cells) => `| ${cells.join(' | ')} |`)].join(
    '\n',
  );

const s = (ms: number) => (ms < 1000 ? `${round(ms, 0)} ms` : `${round(ms / 1000, 1)} s`);
const kB = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;

/** BENCHMARKS.md from one run's figures: what each means for a person first, then the detail. */
export function benchmarksMarkdown(measured: Measured): string {
  const { samples, quick, rows, warm, work, scale, sweepReads, cold, cost, told, steps } = measured;
  const signUp = warm['sign-up']!;
  const verification = warm.verification!;
  const decision = warm.decision!;
  const at10k = sweepReads.get(10_000)!;
  const signUpStep = steps.find((step: Step) => step.name === 'POST /signup')!;
  const waited = cold.bundles.filter((b) => ['Pages', 'Signup', 'Verify', 'Review', 'Decision', 'Manage', 'SignIn'].includes(b.name));
  // Against its SDK clients: a function that needs none is set against an empty bundle, so it is left out here.
  const worstImport = [...waited]
    .filter((b) => b.clients.length)
    .sort((a, b) => b.importMs / b.floorImportMs - a.importMs / a.floorImportMs)[0]!;
  return `# Benchmarks

Figures from one \`npm run bench -- --write\` run (${new Date().toISOString().slice(0, 10)}, Node ${process.version}${quick ? ', **quick run: fewer samples than the full 200**' : `, ${samples} samples a flow`}) on a
shared two-core machine with other work on it: single figures are noisy, which is why each one is
set beside a floor measured in the same run. \`npm run bench\` prints the same figures and leaves
this file alone; only \`--write\` rewrites it. How the bench works: README, "Performance".

## What a person feels

- **The sandbox is told of a change** ${
    told.beforeAnswer === told.changes
      ? `before the person's answer comes back, every time (${told.changes} of ${told.changes} changes, receiver up; ${s(told.fromClickP99Ms)} from the click at p99)`
      : `${s(told.p50Ms)} after it at the median and ${s(told.p99Ms)} at worst (p99 of
  ${told.changes} changes, receiver up)`
  }${
    told.p99Ms > (told.sweepSeconds * 1000) / 2
      ? `: events go out only with the sweep, every ${told.sweepSeconds} s here (5 minutes in
  AWS), so a contractor whose access a sponsor ends can keep using the sandbox for up to that long`
      : `: the change sends its event before it answers, so a contractor whose access a sponsor ends is shut out by the time the sponsor sees "ended"`
  }.
- **A cold start** of the verification function, the one a person opening their link is most
  likely to wait on, adds about ${round(cold.bundles.find((b) => b.name === 'Verify')?.importMs ?? Number.NaN, 0)} ms of module loading here, against ${round(cold.bundles.find((b) => b.name === 'Verify')?.floorImportMs ?? Number.NaN, 0)} ms for the AWS
  SDK clients it needs alone; the worst of the functions people wait on is ${worstImport.name} at ${round(worstImport.importMs / worstImport.floorImportMs)}× its clients.
- **Warm**, the service answers a sign-up in ${round(signUp.p50, 0)} ms, a confirmation in ${round(verification.p50, 0)} ms and a sponsor's
  decision in ${round(decision.p50, 0)} ms at the median (local emulators; the deliberate ${signUpStep.floorMs} ms floor of sign-up's answer
  switched off), ${round(signUp.p50 / signUp.floor50)}×, ${round(verification.p50 / verification.floor50)}× and ${round(decision.p50 / decision.floor50)}× the bare database and email calls each needs.
- **Under load**, the local service takes ${round(scale.service, 0)} sign-ups a second from 16 people at once,
  ${round(scale.service / scale.asBuilt)}× what the same database and email calls made directly reach on the same two cores:
  what is missing is the code's and the local server's own work, which a burst of sign-ups waits on.
- **The sweep's work** (reminders, expiries, retries) stays small as the sandbox grows: one sweep
  with 10 accounts due reads ${at10k} items among 10,000 accounts.
- **Cost**: an idle deployment pays $${cold.fixed.total.toFixed(2)} a month (keys, secrets, alarms), and each 10,000
  agency sign-ups add $${cost.total.toFixed(2)}, most of it email.

## Goals

The goals the service is held to (docs/design.md describes the design they belong to): the
sandbox told within 1 s (p99) of a change; each bundle a person waits on at most 1.2× the size,
and its fresh import at most 1.15× the time, of a bundle of exactly its own SDK clients; warm
sign-up, verification and decision at most 1.3× their raw I/O floors; sign-ups at concurrency 16
at least 0.6× the same calls made directly; a sweep that reads what is due, not the table; the
cost model billing the constant-time floor and counting the fixed monthly cost.

${table(
  ['figure', 'measured', 'goal', 'holds'],
  rows.map((r) => [r.figure, r.value, r.goal || '—', r.holds === undefined ? '—' : r.holds ? 'yes' : '**no**']),
)}

## The sandbox told

From a confirmation's answer (it grants access; a sponsor's End and an operator's revoke take the
same outbox and delivery path) to the receiver's 2xx, ${told.changes} changes spread evenly over one sweep interval of
\`npm start\` (${told.sweepSeconds} s): p50 ${s(told.p50Ms)}, p99 ${s(told.p99Ms)}, max ${s(told.maxMs)} (an event acknowledged before the
answer counts 0: ${told.beforeAnswer} of ${told.changes}); from the person's click to the acknowledgement, p99 ${s(told.fromClickP99Ms)}. The
function that makes a change sends its event right after the write, so the answer waits for the receiver (2 s at most); the sweep
only retries what did not go. Were events sent only by the sweep, the wait would be the time to the next sweep: about half an
interval at the median, a whole one at worst.

## Cold: each function against its own clients

A fresh \`node\` importing each bundle as \`cdk synth\` makes it, with the environment the stack gives
it, against a bundle of exactly the SDK clients its spec implies (infra/function-specs.ts: the
table's commands, SES when it mails, Secrets Manager when it holds the signing keys), built with
the same options; bare \`node\` starts in ${round(cold.bareMs, 0)} ms. Medians of fresh imports on this machine; Lambda's
Init adds its own runtime start on top.

${table(
  ['function', 'bundle', 'its clients alone', 'size ×', 'import ms', 'clients ms', 'import ×', 'clients'],
  cold.bundles.map((b) => [
    b.name,
    kB(b.bytes),
    kB(b.floorBytes),
    b.clients.length ? `${round(b.bytes / b.floorBytes)}×` : '—',
    String(round(b.importMs, 0)),
    String(round(b.floorImportMs, 0)),
    `${round(b.importMs / b.floorImportMs)}×`,
    b.clients.join(' ') || 'none (an empty bundle)',
  ]),
)}

## Warm, through the local server (ms)

Each floor is the calls the flow needs, made directly with the SDK against the same emulators,
taken in turn with the service so the machine's noise falls on both.

${table(
  ['flow', 'p50', 'p99', 'floor p50', 'floor p99', 'p50 ×'],
  Object.entries(warm).map(([name, f]) => [
    name,
    String(round(f.p50, 1)),
    String(round(f.p99, 1)),
    String(round(f.floor50, 1)),
    String(round(f.floor99, 1)),
    `${round(f.p50 / f.floor50)}×`,
  ]),
)}

DynamoDB work per request (counted by an SDK middleware, functions/adapters/dynamodb-work.ts):

${table(
  ['request', 'read calls', 'write calls', 'read units', 'write units'],
  Object.entries(work).map(([name, f]) => [name, String(f.reads), String(f.writes), String(f.readUnits), String(f.writeUnits)]),
)}

## Scale

Sign-ups a second at concurrency 16: ${round(scale.service, 0)}; the same calls made directly: ${round(scale.asBuilt, 0)}/s; the design's
floor: ${round(scale.floor, 0)}/s. A sweep with 10 accounts due reads ${sweepReads.get(100)} items among 100 accounts and ${at10k} among 10,000.

## Cost on AWS

A month's bill is a fixed part, paid by an idle deployment, plus a part per use.

Fixed, every deploy without options (counted from the synthesized template at the README's
"Fixed monthly cost" prices; keys billed as in their first year):

${table(
  ['resource', 'count', 'dollars a month'],
  [
    ...Object.entries(cold.fixed.lines).map(([line, { count, dollars }]) => [line, String(count), dollars.toFixed(2)]),
    ['**total**', '', `**${cold.fixed.total.toFixed(2)}**`],
  ],
)}

Per 10,000 agency sign-ups (the page, \`POST /signup\`, the confirmation page, the confirmation; one
email each), functions at 512 MB on arm64, each request billed for its measured local p50, and
sign-up's answer for no less than its constant-time floor of ${signUpStep.floorMs} ms (Lambda bills that wall time:
${round(billedMs(signUpStep), 0)} ms billed against ${round(signUpStep.ms, 1)} ms measured). Prices (public on-demand, us-east-1): ${PRICE_TEXT}.
CloudWatch Logs ingestion adds about $0.03.

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
`;
}

/** Rewrites BENCHMARKS.md; called only on `npm run bench -- --write`. */
export function writeBenchmarks(measured: Measured, file = 'BENCHMARKS.md'): void {
  writeFileSync(file, benchmarksMarkdown(measured));
}
