import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { itemKeys } from '../../functions/service/table';
import { LocalService } from '../support/local-service';
import { dashboardOf, decideAs, signInByCode } from '../support/sponsor-session';

const CONTRACTOR = 'cora@acme-corp.com';
const GONE = 'sue.sponsor@agency.gov';
const NEXT = 'nia.sponsor@agency.gov';

describe('a sponsor whose mailbox is gone: the contractor names another, whose approval moves the sponsorship without a gap', () => {
  let service: LocalService;
  const accountOf = async () =>
    (
      await service
        .documentClient()
        .send(new GetCommand({ TableName: 'sandbox-gatekeeper', Key: itemKeys.account(CONTRACTOR), ConsistentRead: true }))
    ).Item as Account;
  const ask = (sponsorEmail: string) =>
    service.postJson('/sponsorships', {
      email: CONTRACTOR,
      name: 'Cora',
      company: 'Acme Corp',
      sponsorEmail,
      justification: 'The benefits integration.',
    });

  beforeAll(async () => {
    service = await LocalService.start({ SWEEP_INTERVAL_SECONDS: '1', RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0' });
    await ask(GONE);
    await service.postJson('/verify', { token: await service.latestToken(CONTRACTOR) });
    const review = await service.reviewToken(GONE);
    await decideAs(service, await signInByCode(service, GONE), { token: review, decision: 'approve' });
    const bounce = { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: GONE }] } };
    expect((await service.postJson('/_local/sns/feedback', bounce)).status).toBe(202);
  }, 60_000);
  afterAll(async () => {
    await service.dispose();
  });

  it('confirmed by its owner and approved by the new sponsor, with the access active throughout', async () => {
    const before = await accountOf();
    expect(before).toMatchObject({ status: 'active', sponsoredBy: GONE, sponsorUnreachableAt: expect.any(String) });

    expect((await ask(NEXT)).status).toBe(202);
    const token = await service.latestToken(CONTRACTOR);
    expect(await (await service.fetch(`/verify?token=${token}`)).text()).toContain(NEXT);
    const confirmed = await service.postJson('/verify', { token });
    expect(await confirmed.json()).toEqual({ status: 'active' });
    expect((await accountOf()).status).toBe('active');

    // The new sponsor sees it waiting for their decision, and cannot renew or end it before deciding.
    const review = await service.reviewToken(NEXT);
    const session = await signInByCode(service, NEXT);
    const { contractors: rows } = await dashboardOf(service, session);
    expect(rows.map((row) => [row.email, row.status])).toEqual([[CONTRACTOR, 'awaiting_sponsor']]);
    const decided = await decideAs(service, session, { token: review, decision: 'approve' });
    expect(await decided.json()).toEqual({ status: 'approved', accessExpiresAt: expect.any(String) });

    const after = await accountOf();
    expect(after).toMatchObject({ status: 'active', sponsoredBy: NEXT, request: { sponsorEmail: NEXT } });
    expect([after.transferPending, after.previousRequest, after.sponsorUnreachableAt]).toEqual([undefined, undefined, undefined]);
    expect(Date.parse(after.accessExpiresAt!)).toBeGreaterThan(Date.parse(before.accessExpiresAt!));
  }, 60_000);
});
