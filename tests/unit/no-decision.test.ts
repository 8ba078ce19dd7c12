import { describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { scheduled } from '../../functions/core/lifecycle';
import { planSignUp } from '../../functions/core/sign-up-plan';
import { classifyApproval } from '../../functions/core/sponsorship';
import { sweep } from '../../functions/use-cases/sweep';
import { sweepWorld } from '../support/sweep-world';

const START = Date.parse('2030-03-01T12:00:00.000Z');
const WEEK_S = 7 * 86_400;
const SPONSOR = 'pat@agency.gov';

const awaiting: Account = scheduled({
  email: 'casey@acme.example',
  kind: 'contractor',
  status: 'awaiting_sponsor',
  name: 'Casey',
  requestId: 'r-1',
  request: { id: 'r-1', company: 'Acme', sponsorEmail: SPONSOR, justification: 'Work.', requestedAt: '2030-03-01T12:00:00.000Z' },
  approvalJti: 'jti-1',
  approvalExpiresAt: START / 1000 + WEEK_S,
  createdAt: '2030-03-01T12:00:00.000Z',
  updatedAt: '2030-03-01T12:00:00.000Z',
  history: [],
  version: 3,
});

const world = () => sweepWorld([awaiting], START);

describe('a request whose approval link expires undecided', () => {
  it('is due when the link expires, not before; then ends as no_decision by system, the contractor told, the sandbox not', async () => {
    const { clock, store, notifier, metrics, deps } = world();
    expect(awaiting.dueAt).toBe(awaiting.approvalExpiresAt);

    expect(await sweep(deps)).toMatchObject({ examined: 0, undecided: 0 });
    clock.advanceSeconds(WEEK_S);
    expect(await sweep(deps)).toMatchObject({ examined: 1, undecided: 1 });

    const casey = store.peek('casey@acme.example')!;
    expect([casey.status, casey.history.at(-1)?.event, casey.history.at(-1)?.by, casey.dueAt]).toEqual([
      'no_decision',
      'request_undecided',
      'system',
      undefined,
    ]);
    expect(notifier.sent.map((sent) => [sent.to, sent.email])).toEqual([
      ['casey@acme.example', { type: 'no_decision', sponsorEmail: SPONSOR, name: 'Casey' }],
    ]);
    expect(notifier.last().link?.url).toBe('https://sandbox.example.gov/contractors');
    expect(casey.outbox ?? []).toEqual([]);
    expect(metrics.get('RequestsUndecided')).toBe(1);
    expect(await sweep(deps), 'once').toMatchObject({ undecided: 0 });
  });

  it('leaves the sponsor’s link expired, and lets the contractor ask again at once, naming anyone', async () => {
    const { clock, store, deps } = world();
    clock.advanceSeconds(WEEK_S);
    await sweep(deps);
    const casey = store.peek('casey@acme.example')!;

    expect(classifyApproval(casey, 'jti-1', clock.nowMs())).toEqual({ state: 'expired' });
    const again = planSignUp(
      casey,
      {
        email: casey.email,
        linkId: 'AbCdEfGhIjKlMnOpQrStUv',
        tokenHash: 'h',
        verifyTtlSeconds: 86_400,
        sponsorship: { ...casey.request!, id: 'r-2', sponsorEmail: 'someone.else@agency.gov' },
      },
      { nowMs: clock.nowMs() },
    );
    expect(again.action === 'send_link' && [again.next.status, again.next.request?.sponsorEmail]).toEqual([
      'pending',
      'someone.else@agency.gov',
    ]);
  });
});
