import { loadConfig } from '../../functions/service/config';
import { LocalService } from '../../infra/harness/local-service';
import type { Step } from './cost';
import { floors } from './floors';
import { Flows, type Work } from './service-flows';
import { percentile, throughput, timed } from './stats';
import { sweepItemsRead } from './sweep-reads';

const TABLE = 'sandbox-gatekeeper';

/** Sign-up's constant-time floor as deployed by default: the bench switches it off, AWS bills it. */
export const ANSWER_FLOOR_MS = loadConfig({ TABLE_NAME: TABLE, MAIL_FROM: 'no-reply@sandbox.agency.gov' }).anonymousAnswerMs;

/** The deliberate constant-time floor off and the budgets out of reach. */
export const RELAXED_LIMITS = {
  ANONYMOUS_ANSWER_MS: '0',
  RATE_LIMIT_IP_PER_HOUR: '100000000',
  RATE_LIMIT_TOKEN_IP_PER_HOUR: '100000000',
  ANONYMOUS_EMAILS_PER_HOUR: '100000000',
  NEW_ADDRESS_EMAILS_PER_DOMAIN_PER_HOUR: '100000000',
  SPONSOR_REQUESTS_PER_DAY: '100000',
};

/** No sweep in the way of the warm figures, metrics on (they carry the work counts). */
const BENCH_ENV = {
  ...RELAXED_LIMITS,
  SWEEP_INTERVAL_SECONDS: '3600',
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_LOG_LEVEL: 'WARN',
};

export interface WarmFigure {
  p50: number;
  p99: number;
  floor50: number;
  floor99: number;
}

export interface ServiceFigures {
  warm: Record<string, WarmFigure>;
  work: Record<string, Work>;
  /** An agency employee's sign-up, request by request, for the cost model. */
  steps: Step[];
  /** Iterations per second at concurrency 16. */
  scale: { service: number; floor: number; asBuilt: number };
  /** Items one sweep read, by the number of accounts in the table. */
  sweepReads: Map<number, number>;
}

/** Alternates floor and service samples, so drift on the machine falls on both alike. */
async function sideBySide(count: number, floor: (i: number) => Promise<unknown>, service: (i: number) => Promise<unknown>) {
  const f: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < count; i++) {
    f.push(await timed(() => floor(i)));
    s.push(await timed(() => service(i)));
  }
  return { floor: f, service: s };
}

const addressOf = (tag: string, i: number) => `u${tag}${i}@d${i % 50}.agency.gov`;

/** Everything measured through `npm start`'s entry: warm latency, work per request, scale and the sweep's reads. */
export async function measureService({
  samples,
  warmup,
  scaleMs,
}: {
  samples: number;
  warmup: number;
  scaleMs: number;
}): Promise<ServiceFigures> {
  const service = await LocalService.start(BENCH_ENV);
  const flows = new Flows(service);
  const floor = floors({ dynamodb: service.dynamodbEndpoint, ses: service.mailboxUrl }, TABLE);
  const warm: Record<string, WarmFigure> = {};
  const work: Record<string, Work> = {};
  try {
    // Warm-up: JIT, sockets, the emulators' files.
    for (let i = 0; i < warmup; i++) {
      await floor.signUp(`warm${i}`);
      await floor.signUpAsBuilt(`warmb${i}`);
      await flows.signUp(addressOf('warm', i));
    }

    // The service, the design's floor and the very calls the service makes, in turn: one machine state for all three.
    const designFloor: number[] = [];
    const ownCallsFloor: number[] = [];
    const serviceMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      designFloor.push(await timed(() => floor.signUp(`s${i}`)));
      ownCallsFloor.push(await timed(() => floor.signUpAsBuilt(`b${i}`)));
      serviceMs.push(await timed(() => flows.signUp(addressOf('s', i))));
    }
    const signUps = { floor: designFloor, service: serviceMs };
    const asBuilt = { floor: ownCallsFloor, service: serviceMs };
    const signUpTokens = await flows.tokens(
      Array.from({ length: samples }, (_, i) => addressOf('s', i)),
      '/verify',
    );
    const verifications = await sideBySide(
      samples,
      (i) => floor.verification(`v${i}`),
      (i) => flows.verify(signUpTokens.get(addressOf('s', i))!),
    );
    const reviewTokens = await flows.reviewTokens('d', Math.min(samples, 100));
    const decisions = await sideBySide(
      reviewTokens.length,
      (i) => floor.decision(`d${i}`),
      (i) => flows.decide(reviewTokens[i]!),
    );
    for (const [name, sample] of Object.entries({
      'sign-up': signUps,
      'sign-up, against its own calls': asBuilt,
      verification: verifications,
      decision: decisions,
    })) {
      warm[name] = {
        p50: percentile(sample.service, 50),
        p99: percentile(sample.service, 99),
        floor50: percentile(sample.floor, 50),
        floor99: percentile(sample.floor, 99),
      };
    }

    // Work: one request alone at a time, its invocation's own counts.
    work['sign-up (new address)'] = await flows.workOf(() => flows.signUp('work.new@agency.gov'));
    const [workToken] = (await flows.tokens(['work.new@agency.gov'], '/verify')).values();
    work['confirmation page (GET /verify)'] = await flows.workOf(async () => {
      await service.fetch(`/verify?token=${workToken}`);
    });
    work['verification (POST /verify)'] = await flows.workOf(() => flows.verify(workToken!));
    work['sign-up again within the cooldown'] = await flows.workOf(() => flows.signUp('work.new@agency.gov'));
    const [decisionToken] = await flows.reviewTokens('w', 1);
    work.decision = await flows.workOf(() => flows.decide(decisionToken!));
    const pageMs = percentile(
      await Promise.all(Array.from({ length: 20 }, () => timed(() => service.fetch('/').then((r) => r.text())))),
      50,
    );
    const steps = [
      { name: 'GET / (sign-up page)', ms: pageMs, work: { reads: 0, writes: 0, readUnits: 0, writeUnits: 0 }, emails: 0 },
      { name: 'POST /signup', ms: warm['sign-up']!.p50, work: work['sign-up (new address)']!, emails: 1, floorMs: ANSWER_FLOOR_MS },
      { name: 'GET /verify', ms: warm.verification!.p50, work: work['confirmation page (GET /verify)']!, emails: 0 },
      { name: 'POST /verify', ms: warm.verification!.p50, work: work['verification (POST /verify)']!, emails: 0 },
    ];

    // Scale: 16 at once, the floor's iterations and the service's sign-ups, twice each, alternating.
    const rates = { service: [] as number[], floor: [] as number[], asBuilt: [] as number[] };
    for (let round = 0; round < 2; round++) {
      rates.floor.push(await throughput(16, scaleMs / 2, (i) => floor.signUp(`c${round}-${i}`)));
      rates.asBuilt.push(await throughput(16, scaleMs / 2, (i) => floor.signUpAsBuilt(`cb${round}-${i}`)));
      rates.service.push(await throughput(16, scaleMs / 2, (i) => flows.signUp(addressOf(`c${round}-`, i))));
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b) / values.length;
    const scale = { service: mean(rates.service), floor: mean(rates.floor), asBuilt: mean(rates.asBuilt) };

    const sweepReads = await sweepItemsRead(service.dynamodbEndpoint, TABLE, [100, 10_000]);
    return { warm, work, steps, scale, sweepReads };
  } finally {
    floor.close();
    await service.dispose();
  }
}
