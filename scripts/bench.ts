/**
 * `npm run bench`: the figures of docs/design.md §9, each against a floor measured in the same run on
 * the same machine, printed; written to BENCHMARKS.md only with `--write`. A script, never a timed test: figures
 * on a shared 2-core machine are noisy, so every goal is a ratio taken side by side.
 */
import { type Row, writeBenchmarks } from './bench/benchmarks-md';
import { measureBundles } from './bench/cold';
import { costPer10k } from './bench/cost';
import { benchOptions } from './bench/options';
import { measureRoundTrips } from './bench/round-trips';
import { measureService, RELAXED_LIMITS } from './bench/service-figures';
import { round } from './bench/stats';
import { measureTold } from './bench/told-latency';

// The floors' clients talk to the local emulators, as the functions do under npm start.
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});
delete process.env.AWS_PROFILE;

const { quick, write } = benchOptions(process.argv.slice(2));
const N = quick ? 40 : 200;
const WARMUP = quick ? 20 : 150;
const SCALE_MS = quick ? 3000 : 8000;
const IMPORT_RUNS = quick ? 3 : 9;
const TOLD_CHANGES = quick ? 30 : 200;

const rows: Row[] = [];
const row = (figure: string, value: string, goal: string, holds: boolean | undefined) => {
  rows.push({ figure, value, goal, holds });
  console.log(`${holds === undefined ? 'info  ' : holds ? 'holds ' : 'MISSES'}  ${figure}: ${value}${goal ? ` (goal ${goal})` : ''}`);
};

console.log(`Sandbox Gatekeeper bench${quick ? ' (quick)' : ''}: ${N} samples a flow, Node ${process.version}\n`);
console.log(
  `sandbox told: ${TOLD_CHANGES} changes${quick ? ' (quick: fewer than the 200 of a full run)' : ''}, spread over one sweep interval, receiver up…`,
);
const told = await measureTold(TOLD_CHANGES, RELAXED_LIMITS);
row(
  `sandbox told of a change (confirmation's answer → receiver's acknowledgement; the change sends its event itself, the sweep every ${told.sweepSeconds} s retries), p50 / p99 over ${told.changes}`,
  `${round(told.p50Ms, 0)} ms / ${round(told.p99Ms, 0)} ms (${told.beforeAnswer} of ${told.changes} acknowledged before the answer)`,
  'p99 ≤ 1 s',
  told.p99Ms <= 1000,
);
row(`sandbox told, from the person's click, p99`, `${round(told.fromClickP99Ms, 0)} ms`, '', undefined);
const serviceFigures = await measureService({ samples: N, warmup: WARMUP, scaleMs: SCALE_MS });
const { warm, work, steps, scale, sweepReads } = serviceFigures;

console.log('\nwarm (p50 / p99, ms):');
for (const [name, figure] of Object.entries(warm)) {
  console.log(
    `  ${name.padEnd(30)} service ${round(figure.p50, 1)} / ${round(figure.p99, 1)}   floor ${round(figure.floor50, 1)} / ${round(figure.floor99, 1)}   ratio p50 ${round(figure.p50 / figure.floor50)}×`,
  );
}
const signUpRatio = warm['sign-up']!.p50 / warm['sign-up']!.floor50;
row('warm POST /signup p50 ÷ its raw I/O floor', `${round(signUpRatio)}×`, '≤ 1.3×', signUpRatio <= 1.3);
for (const flow of ['verification', 'decision'] as const) {
  const ratio = warm[flow]!.p50 / warm[flow]!.floor50;
  row(`warm ${flow} p50 ÷ its raw I/O floor`, `${round(ratio)}×`, '≤ 1.3×', ratio <= 1.3);
}
const roundTrips = await measureRoundTrips(RELAXED_LIMITS);
console.log('\nsequential DynamoDB round trips of one request (counted on the wire; calls that overlap are one):');
for (const [name, trips] of roundTrips) console.log(`  ${name.padEnd(22)} ${trips.count}: ${trips.waves.join(' → ')}`);
const signUpTrips = roundTrips.get('sign-up (new address)')!.count;
row('sign-up sequential DynamoDB round trips (new address)', `${signUpTrips}`, '≤ 4', signUpTrips <= 4);
const ownCalls = warm['sign-up, against its own calls']!;
row(
  'warm POST /signup p50 ÷ the same calls made directly (the code’s own cost)',
  `${round(ownCalls.p50 / ownCalls.floor50)}×`,
  '',
  undefined,
);

console.log('\nwork (DynamoDB calls and capacity units per request, counted by an SDK middleware):');
for (const [name, figure] of Object.entries(work)) {
  console.log(`  ${name.padEnd(34)} reads ${figure.reads}, writes ${figure.writes}   RRU ${figure.readUnits}, WRU ${figure.writeUnits}`);
}
const signUpWork = work['sign-up (new address)']!;
row('sign-up DynamoDB calls (all; not their sequence)', `${signUpWork.reads} reads, ${signUpWork.writes} writes`, '', undefined);
const verifyWork = work['verification (POST /verify)']!;
row(
  'verification DynamoDB calls',
  `${verifyWork.reads} reads, ${verifyWork.writes} writes`,
  '1 index read + 1 write + the clear',
  verifyWork.reads <= 1 && verifyWork.writes <= 2,
);
const decisionWork = work.decision!;
row(
  'decision DynamoDB calls',
  `${decisionWork.reads} reads, ${decisionWork.writes} writes`,
  '1 index read + 1 write + the clear',
  decisionWork.reads <= 1 && decisionWork.writes <= 2,
);

console.log('\ncold (bundles as cdk synth makes them; import in a fresh process with the function’s environment):');
const cold = await measureBundles(IMPORT_RUNS);
const { bundles, bareMs } = cold;
console.log(`  bare node: ${round(bareMs, 0)} ms; each floor: a bundle of exactly the function's own SDK clients, same build options`);
for (const b of bundles) {
  console.log(
    `  ${b.name.padEnd(14)} ${(b.bytes / 1000).toFixed(1).padStart(6)} kB ÷ floor ${(b.floorBytes / 1000).toFixed(1).padStart(6)} kB = ${b.clients.length ? round(b.bytes / b.floorBytes) : '—'}×   import ${round(b.importMs, 0)} ms ÷ floor ${round(b.floorImportMs, 0)} ms = ${round(b.importMs / b.floorImportMs)}×   (${b.clients.join(' ') || 'no SDK client'})`,
  );
}
// The functions a person waits on: the pages, the anonymous requests, the links, the sponsor's.
for (const name of ['Pages', 'Signup', 'Verify', 'Review', 'Decision', 'Manage', 'SignIn']) {
  const b = bundles.find((bundle) => bundle.name === name);
  if (!b) continue;
  const time = b.importMs / b.floorImportMs;
  // A function that needs no SDK client has an empty floor: only its import time can be set against it.
  const size = b.clients.length ? b.bytes / b.floorBytes : undefined;
  row(
    `cold ${name}: bundle size / fresh import ÷ its own clients' floor`,
    `${(b.bytes / 1000).toFixed(0)} kB ${size === undefined ? '(needs no SDK client)' : `${round(size)}×`} / ${round(b.importMs, 0)} ms ${round(time)}×`,
    '≤ 1.2× / ≤ 1.15×',
    (size ?? 0) <= 1.2 && time <= 1.15,
  );
}

console.log('\nscale:');
const scaleRatio = scale.service / scale.asBuilt;
row(
  'sign-ups/s at concurrency 16 ÷ the same calls made directly',
  `${round(scale.service, 0)}/s ÷ ${round(scale.asBuilt, 0)}/s = ${round(scaleRatio)}`,
  '≥ 0.6',
  scaleRatio >= 0.6,
);
row('sign-ups/s at concurrency 16 ÷ the design floor’s iterations/s', `${round(scale.service / scale.floor)}`, '', undefined);
const at100 = sweepReads.get(100)!;
const at10k = sweepReads.get(10_000)!;
row('sweep items read, 10 due among 100 / 10,000 accounts', `${at100} / ${at10k}`, '10 among 10,000', at10k <= 10);

const cost = costPer10k(steps, 512);
console.log('\ncost per 10,000 sign-ups (agency employee: page, sign-up, confirmation page, confirmation):');
for (const [line, dollars] of Object.entries(cost.lines)) console.log(`  ${line.padEnd(22)} $${dollars.toFixed(4)}`);
console.log(`  ${'total'.padEnd(22)} $${cost.total.toFixed(4)}`);
console.log('\nfixed monthly cost of an idle deployment (every deploy, no options; counted from the template):');
for (const [line, { count, dollars }] of Object.entries(cold.fixed.lines)) {
  console.log(`  ${line.padEnd(26)} ${String(count).padStart(3)}  $${dollars.toFixed(2)}`);
}
console.log(`  ${'total'.padEnd(26)}      $${cold.fixed.total.toFixed(2)}`);
row(
  'a month with 10,000 agency sign-ups: fixed + per use',
  `$${cold.fixed.total.toFixed(2)} + $${cost.total.toFixed(2)} = $${(cold.fixed.total + cost.total).toFixed(2)}`,
  '',
  undefined,
);

if (write) {
  writeBenchmarks({ ...serviceFigures, samples: N, quick, rows, cold, cost, told });
  console.log('\nWritten to BENCHMARKS.md.');
} else {
  console.log('\nBENCHMARKS.md left as it is (`npm run bench -- --write` rewrites it).');
}
