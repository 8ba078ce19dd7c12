import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService } from '../support/local-service';

/** Issue 9, "unbounded items": request #6106 for one address once got a 500 (item over 400 KB). */
let service: LocalService;

beforeAll(async () => {
  service = await LocalService.start({
    RATE_LIMIT_IP_PER_HOUR: '10000',
    RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0',
    RATE_LIMIT_EMAIL_PER_DAY: '10000',
  });
});
afterAll(async () => {
  await service.dispose();
});

async function itemBytes(email: string): Promise<{ bytes: number; history: number }> {
  const { Item } = await service
    .documentClient()
    .send(new GetCommand({ TableName: 'sandbox-gatekeeper', Key: { pk: `ACCOUNT#${email}`, sk: 'ACCOUNT' }, ConsistentRead: true }));
  return { bytes: Buffer.byteLength(JSON.stringify(Item)), history: (Item!.history as unknown[]).length };
}

describe('no request makes an item grow', () => {
  it('300 notices to an active address, and 300 resends to a pending one, leave both items as small as they were', async () => {
    await service.postJson('/signup', { email: 'active@growth.gov' });
    await service.postJson('/verify', { token: await service.latestToken('active@growth.gov') });
    await service.postJson('/signup', { email: 'pending@growth.gov' });
    const before = { active: await itemBytes('active@growth.gov'), pending: await itemBytes('pending@growth.gov') };

    for (let i = 0; i < 300; i++) {
      const [a, b] = await Promise.all([
        service.postJson('/signup', { email: 'active@growth.gov' }),
        service.postJson('/signup', { email: 'pending@growth.gov' }),
      ]);
      expect([a.status, b.status]).toEqual([202, 202]);
    }

    const after = { active: await itemBytes('active@growth.gov'), pending: await itemBytes('pending@growth.gov') };
    console.info(`item sizes after 300 requests each: active ${after.active.bytes} B, pending ${after.pending.bytes} B`);
    // A notice's intent is written and cleared: the history and the size stay (give or take the version's digits).
    expect(after.active.history).toBe(before.active.history);
    expect(after.active.bytes).toBeLessThan(before.active.bytes + 10);
    expect(after.pending.history).toBe(before.pending.history);
    // Three live links at most: the item may grow by two link entries, never with the number of requests.
    expect(after.pending.bytes).toBeLessThan(before.pending.bytes + 300);
    expect((await service.emailsTo('active@growth.gov')).length).toBe(301);
  }, 120_000);
});
