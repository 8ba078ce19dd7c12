import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService } from '../support/local-service';

/** Issue 9, "timing oracle": an anonymous 202 takes the same time whether or not anything was sent. */
let service: LocalService;

beforeAll(async () => {
  // One email per mailbox per day, so every further request for it sends nothing.
  service = await LocalService.start({ ANONYMOUS_ANSWER_MS: '350', RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0', RATE_LIMIT_EMAIL_PER_DAY: '1' });
});
afterAll(async () => {
  await service.dispose();
});

async function timed(email: string): Promise<number> {
  const started = performance.now();
  const response = await service.postJson('/signup', { email });
  await response.arrayBuffer();
  expect(response.status).toBe(202);
  return performance.now() - started;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
};

describe('anonymous answers take the same time whatever happened', () => {
  it('“sent” and “nothing sent” (a limited mailbox) have medians within 20 % of each other, both past the floor', async () => {
    await timed('capped@agency.gov');
    const sent: number[] = [];
    const nothing: number[] = [];
    for (let i = 0; i < 16; i++) {
      sent.push(await timed(`new.${i}@agency.gov`));
      nothing.push(await timed('capped@agency.gov'));
    }

    expect(await service.emailsTo('capped@agency.gov')).toHaveLength(1);
    const [a, b] = [median(sent), median(nothing)];
    console.info(`timing medians: sent ${a.toFixed(1)} ms, nothing sent ${b.toFixed(1)} ms`);
    expect(Math.min(a, b)).toBeGreaterThanOrEqual(350);
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThan(0.2);
  }, 60_000);
});
