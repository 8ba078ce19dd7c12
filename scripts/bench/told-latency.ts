import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../functions/service/config';
import { LocalService } from '../../infra/harness/local-service';
import { Flows } from './service-flows';
import { percentile } from './stats';

export interface ToldFigure {
  readonly changes: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Changes whose event the receiver had acknowledged before the change answered (the wait counted as 0). */
  readonly beforeAnswer: number;
  /** From the person's click (the request sent) to the receiver's acknowledgement, p99. */
  readonly fromClickP99Ms: number;
  readonly sweepSeconds: number;
}

/** A sandbox's receiver that acknowledges every event at once and notes when each address's grant arrived. */
async function receiver() {
  const arrived = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; data: { email: string } };
      if (event.type === 'access.granted' && !arrived.has(event.data.email)) arrived.set(event.data.email, at);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, arrived, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * How long the sandbox waits to hear of a change: from the answer to a state change (an agency
 * employee's confirmation, which grants access: the same outbox and delivery path as a sponsor's
 * End or an operator's revoke) to the receiver's acknowledgement of its webhook event, with the
 * service as `npm start` runs it (its default sweep interval) and the receiver up; an event
 * acknowledged before the answer waited 0. The changes are spread evenly over one sweep interval,
 * so they fall at every phase of it (which matters wherever the sweep is what sends).
 */
export async function measureTold(
  changes: number,
  relaxedLimits: Record<string, string>,
  /** Over how long the changes are spread: one sweep interval unless told (a test's sweep may be an hour away). */
  spreadSeconds?: number,
): Promise<ToldFigure> {
  const hooks = await receiver();
  const service = await LocalService.start({ ...relaxedLimits, WEBHOOK_URL: hooks.url });
  const sweepSeconds = loadConfig({ TABLE_NAME: 't', MAIL_FROM: 'no-reply@sandbox.agency.gov', ...relaxedLimits }).sweepIntervalSeconds;
  try {
    const flows = new Flows(service);
    const addresses = Array.from({ length: changes }, (_, i) => `told${i}@d${i % 50}.agency.gov`);
    for (const address of addresses) await flows.signUp(address);
    const tokens = await flows.tokens(addresses, '/verify');
    const changed = new Map<string, number>();
    const clicked = new Map<string, number>();
    const start = performance.now();
    for (const [i, address] of addresses.entries()) {
      const due = start + (i * (spreadSeconds ?? sweepSeconds) * 1000) / changes;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      clicked.set(address, performance.now());
      await flows.verify(tokens.get(address)!);
      changed.set(address, performance.now());
    }
    const giveUp = performance.now() + (2 * sweepSeconds + 30) * 1000;
    while (hooks.arrived.size < changes && performance.now() < giveUp) await new Promise((resolve) => setTimeout(resolve, 200));
    if (hooks.arrived.size < changes) throw new Error(`${changes - hooks.arrived.size} of ${changes} events never reached the receiver`);
    const waits = addresses.map((address) => Math.max(0, hooks.arrived.get(address)! - changed.get(address)!));
    const fromClick = addresses.map((address) => hooks.arrived.get(address)! - clicked.get(address)!);
    return {
      changes,
      p50Ms: percentile(waits, 50),
      p99Ms: percentile(waits, 99),
      maxMs: Math.max(...waits),
      beforeAnswer: addresses.filter((address) => hooks.arrived.get(address)! <= changed.get(address)!).length,
      fromClickP99Ms: percentile(fromClick, 99),
      sweepSeconds,
    };
  } finally {
    await service.dispose();
    await hooks.close();
  }
}
