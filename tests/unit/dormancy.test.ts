import { describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { type DormancyPolicy, dormancyFrom } from '../../functions/core/dormancy';
import { scheduled } from '../../functions/core/lifecycle';
import { planSignUp } from '../../functions/core/sign-up-plan';
import { classifyVerification } from '../../functions/core/verification';
import { keepAccount } from '../../functions/use-cases/keep-account';
import { operateAccount } from '../../functions/use-cases/operate-account';
import { recordActivity } from '../../functions/use-cases/record-activity';
import { sweep } from '../../functions/use-cases/sweep';
import { DELIVERY } from '../support/fakes';
import { sweepWorld } from '../support/sweep-world';

const START = Date.parse('2030-03-01T12:00:00.000Z');
const S = START / 1000;
const POLICY: DormancyPolicy = { activityReports: true, afterSeconds: 100, reconfirmSeconds: 1000, warningSeconds: [10, 1] };
const LIFECYCLE = { ...DELIVERY.lifecycle, dormancy: POLICY };

const active = (email: string, from = START): Account =>
  scheduled({
    email,
    kind: 'agency',
    status: 'active',
    linkId: 'AbCdEfGhIjKlMnOpQrStUv',
    activatedAt: new Date(from).toISOString(),
    ...dormancyFrom(from, POLICY),
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    history: [],
    version: 1,
  });

function world(accounts: Account[]) {
  const built = sweepWorld(accounts, START);
  return { ...built, deps: { ...built.deps, lifecycle: LIFECYCLE } };
}

describe('accounts that end when unused', () => {
  it('start their clock at activation (or the last activity): warnings before, soonest first, none before the start', () => {
    expect(dormancyFrom(START, POLICY)).toEqual({ dormantAt: S + 100, dormancyWarnings: [S + 90, S + 99] });
    expect(dormancyFrom(START, { ...POLICY, activityReports: false })).toEqual({
      dormantAt: S + 1000,
      dormancyWarnings: [S + 990, S + 999],
    });
    expect(dormancyFrom(START, { ...POLICY, warningSeconds: [500, 10] }).dormancyWarnings).toEqual([S + 90]);
    expect(dormancyFrom(START, undefined)).toEqual({});
  });

  it('warn twice, then expire with one event and an email saying how to come back', async () => {
    const { deps, clock, store, notifier, webhooks } = world([active('jane@agency.gov')]);
    clock.advanceSeconds(89);
    expect(await sweep(deps)).toMatchObject({ warned: 0, dormant: 0 });
    clock.advanceSeconds(1);
    expect(await sweep(deps)).toMatchObject({ warned: 1 });
    expect(notifier.last()).toMatchObject({ to: 'jane@agency.gov', email: { type: 'dormancy_warning', byActivity: true } });
    expect(notifier.last().link?.url).toMatch(/^https:\/\/sandbox\.example\.gov\/keep\?token=AbCdEfGhIjKlMnOpQrStUv\./);
    clock.advanceSeconds(9);
    expect(await sweep(deps)).toMatchObject({ warned: 1 });
    clock.advanceSeconds(1);
    expect(await sweep(deps)).toMatchObject({ dormant: 1 });

    const jane = store.peek('jane@agency.gov')!;
    expect([jane.status, jane.endReason, jane.dueAt, jane.history.at(-1)?.event]).toEqual([
      'expired',
      'inactive',
      undefined,
      'access_expired_inactive',
    ]);
    expect(notifier.sent.map((sent) => sent.email.type)).toEqual(['dormancy_warning', 'dormancy_warning', 'account_dormant']);
    expect(webhooks.events.map((event) => [event.type, event.data.status])).toEqual([['access.expired', 'expired']]);
    expect(await sweep(deps), 'once').toMatchObject({ dormant: 0, warned: 0 });
  });

  it('are kept by the warning’s button: the clock starts again, and the link works once', async () => {
    const { deps, clock, store, notifier } = world([active('jane@agency.gov')]);
    clock.advanceSeconds(90);
    await sweep(deps);
    const token = new URL(notifier.last().link!.url).searchParams.get('token')!;
    clock.advanceSeconds(5);

    const kept = await keepAccount({ token, clientIp: '198.51.100.7', baseUrl: 'https://sandbox.example.gov' }, deps);

    expect(kept.dormantAt).toBe(new Date((S + 95 + 100) * 1000).toISOString());
    expect(store.peek('jane@agency.gov')).toMatchObject({
      status: 'active',
      dormancyWarnings: [S + 185, S + 194],
      history: [{}, { event: 'account_kept', by: 'self' }],
    });
    await expect(keepAccount({ token, clientIp: '198.51.100.7', baseUrl: 'https://sandbox.example.gov' }, deps)).rejects.toThrow(
      /does not work any more/,
    );
  });

  it('move their next warning when the sandbox reports activity between warnings', async () => {
    const { deps, clock, store } = world([active('jane@agency.gov')]);
    clock.advanceSeconds(90);
    await sweep(deps);
    clock.advanceSeconds(5);
    await recordActivity([{ email: 'jane@agency.gov', lastSeenAt: new Date(clock.nowMs()).toISOString() }], deps);

    expect(store.peek('jane@agency.gov')).toMatchObject({ dormantAt: S + 195, dormancyWarnings: [S + 185, S + 194], dueAt: S + 185 });
    clock.advanceSeconds(5);
    expect(await sweep(deps), 'the old end passed: nothing is due').toMatchObject({ warned: 0, dormant: 0 });
  });

  it('are never dormant early: an account activated late is counted from its activation', async () => {
    const { deps, clock, store } = world([active('late@agency.gov', START + 50_000)]);
    clock.advanceSeconds(100);
    expect(await sweep(deps)).toMatchObject({ warned: 0, dormant: 0 });
    expect(store.peek('late@agency.gov')?.status).toBe('active');
  });

  it('start again when expired access is renewed: an old end that passed meanwhile does not end the renewed access', async () => {
    const contractor: Account = scheduled({
      ...active('casey@acme.example'),
      kind: 'contractor',
      status: 'expired',
      sponsoredBy: 'pat@agency.gov',
      accessExpiresAt: new Date(START + 50_000).toISOString(),
    });
    const { deps, clock, store } = world([contractor]);
    clock.advanceSeconds(200);
    await operateAccount({ email: 'casey@acme.example', action: 'renew', operator: 'alice' }, deps);

    expect(store.peek('casey@acme.example')).toMatchObject({ status: 'active', dormantAt: S + 300 });
    expect(await sweep(deps)).toMatchObject({ dormant: 0 });
    expect(store.peek('casey@acme.example')?.status).toBe('active');
  });

  it('let the person of an account that ended unused sign up again', () => {
    const plan = planSignUp(
      { ...active('jane@agency.gov'), status: 'expired', endReason: 'inactive' },
      { email: 'jane@agency.gov', linkId: 'AbCdEfGhIjKlMnOpQrStUv', tokenHash: 'h', verifyTtlSeconds: 86_400 },
      { nowMs: START },
    );
    // The ended record stays as it is until the person confirms; their link is ready to confirm.
    const next = plan.action === 'send_link' ? plan.next : undefined;
    expect([next?.status, next && classifyVerification(next, 'h', START).state]).toEqual(['expired', 'ready']);
  });
});
