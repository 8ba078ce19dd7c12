import { describe, expect, it } from 'vitest';
import type { Account, AccountStatus } from '../../functions/core/account';
import { splitHistory } from '../../functions/core/account-history';
import { planSignUp, type SignUpRequest } from '../../functions/core/sign-up-plan';
import { classifyVerification, confirmEmail } from '../../functions/core/verification';

const NOW_MS = Date.parse('2030-01-15T12:00:00.000Z');
const NOW_S = NOW_MS / 1000;
const IP = '198.51.100.23';
const TTL = 86_400;
const PENDING_RETENTION = 7 * 86_400;

const at = (nowMs = NOW_MS, ip = IP) => ({ nowMs, ip });

function request(overrides: Partial<SignUpRequest> = {}): SignUpRequest {
  return { email: 'jane@agency.gov', linkId: 'link-1', tokenHash: 'hash-new', verifyTtlSeconds: TTL, ...overrides };
}

/** A pending agency account whose last email went out an hour before NOW, once that day. */
function account(overrides: Partial<Account> = {}): Account {
  return {
    email: 'jane@agency.gov',
    kind: 'agency',
    status: 'pending',
    createdAt: '2030-01-15T11:00:00.000Z',
    updatedAt: '2030-01-15T11:00:00.000Z',
    linkId: 'link-1',
    verifyLinks: [{ hash: 'hash-old', expiresAt: NOW_S - 3600 + TTL }],
    expireAt: NOW_S - 3600 + TTL + PENDING_RETENTION,
    history: [{ at: '2030-01-15T11:00:00.000Z', event: 'signup_requested', by: 'self', ip: '192.0.2.1' }],
    version: 1,
    ...overrides,
  };
}

describe('planSignUp', () => {
  describe('for an address without an account', () => {
    it('creates a pending agency account at version 1, to be written only if still absent', () => {
      const plan = planSignUp(undefined, request({ name: 'Jane Doe' }), at());

      expect(plan).toEqual({
        action: 'send_link',
        expected: null,
        next: {
          email: 'jane@agency.gov',
          kind: 'agency',
          status: 'pending',
          name: 'Jane Doe',
          createdAt: '2030-01-15T12:00:00.000Z',
          updatedAt: '2030-01-15T12:00:00.000Z',
          linkId: 'link-1',
          verifyLinks: [{ hash: 'hash-new', expiresAt: NOW_S + TTL }],
          expireAt: NOW_S + TTL + PENDING_RETENTION,
          history: [{ at: '2030-01-15T12:00:00.000Z', event: 'signup_requested', by: 'self', ip: IP }],
          version: 1,
        },
      });
    });

    it('stores no name property when none was given', () => {
      const plan = planSignUp(undefined, request(), at());

      expect(plan.action === 'send_link' && 'name' in plan.next).toBe(false);
    });

    it('takes the link lifetime from the request', () => {
      const plan = planSignUp(undefined, request({ verifyTtlSeconds: 900 }), at());

      expect(plan.action === 'send_link' ? plan.next.verifyLinks : undefined).toEqual([{ hash: 'hash-new', expiresAt: NOW_S + 900 }]);
    });
  });

  describe('for a pending account', () => {
    it('sends a new link beside the old one (both work), conditional on the version read', () => {
      const existing = account();
      const plan = planSignUp(existing, request(), at());

      expect(plan.action).toBe('send_link');
      if (plan.action !== 'send_link') return;
      expect(plan.expected).toBe(1);
      expect(plan.next.verifyLinks).toEqual([
        { hash: 'hash-old', expiresAt: NOW_S - 3600 + TTL },
        { hash: 'hash-new', expiresAt: NOW_S + TTL },
      ]);
      expect(plan.next.version).toBe(2);
    });

    it('keeps only the three newest links working', () => {
      const links = ['h1', 'h2', 'h3'].map((hash, i) => ({ hash, expiresAt: NOW_S + 600 * (i + 1) }));
      const plan = planSignUp(account({ verifyLinks: links }), request(), at());

      if (plan.action !== 'send_link') throw new Error(`expected send_link, got ${plan.action}`);
      expect(plan.next.verifyLinks?.map((link) => link.hash)).toEqual(['h2', 'h3', 'hash-new']);
    });

    it('never changes what the request is while its link lives: a new request re-sends a link for the same one', () => {
      const sponsorship = {
        id: 'req-1',
        company: 'Acme',
        sponsorEmail: 'boss@agency.gov',
        justification: 'Work',
        requestedAt: '2030-01-15T11:00:00.000Z',
      };
      const existing = account({ kind: 'contractor', name: 'Dana', request: sponsorship, requestId: 'req-1' });
      const hijack = {
        id: 'req-2',
        company: 'Evil',
        sponsorEmail: 'accomplice@agency.gov',
        justification: 'Mine',
        requestedAt: '2030-01-15T12:00:00.000Z',
      };

      const plan = planSignUp(existing, request({ name: 'Mallory', sponsorship: hijack }), at());

      if (plan.action !== 'send_link') throw new Error(`expected send_link, got ${plan.action}`);
      expect([plan.next.name, plan.next.request, plan.next.requestId]).toEqual(['Dana', sponsorship, 'req-1']);
    });

    it('replaces a pending request whose links have all expired with the new one', () => {
      const existing = account({ name: 'Old', verifyLinks: [{ hash: 'hash-old', expiresAt: NOW_S - 1 }] });

      const plan = planSignUp(existing, request({ name: 'New' }), at());

      if (plan.action !== 'send_link') throw new Error(`expected send_link, got ${plan.action}`);
      expect([plan.next.name, plan.next.verifyLinks]).toEqual(['New', [{ hash: 'hash-new', expiresAt: NOW_S + TTL }]]);
      expect(plan.next.history.at(-1)?.event).toBe('signup_requested');
    });

    it('keeps creation time and history as they were: a resend is no state change, so it adds no entry', () => {
      const existing = account();
      const plan = planSignUp(existing, request(), at());

      if (plan.action !== 'send_link') throw new Error(`expected send_link, got ${plan.action}`);
      expect(plan.next.createdAt).toBe(existing.createdAt);
      expect(plan.next.history).toEqual(existing.history);
      expect(plan.next.updatedAt).toBe('2030-01-15T12:00:00.000Z');
    });

    it('does not change the account it was given', () => {
      const existing = account();
      const before = structuredClone(existing);
      planSignUp(existing, request(), at());

      expect(existing).toEqual(before);
    });
  });

  describe('for an active account', () => {
    it('sends a notice instead of a link, and writes nothing: no state changes', () => {
      const existing = account({ status: 'active', activatedAt: '2030-01-15T11:05:00.000Z' });

      expect(planSignUp(existing, request(), at())).toEqual({ action: 'send_notice' });
    });
  });

  describe('for any other state', () => {
    const others: AccountStatus[] = ['awaiting_sponsor', 'denied', 'revoked', 'suspended'];
    it.each(others)('does nothing for a %s account', (status) => {
      expect(planSignUp(account({ status }), request(), at())).toEqual({ action: 'nothing', reason: 'state' });
    });

    it('sends a new link for an agency account that ended unused (expired): its person may sign up again', () => {
      const plan = planSignUp(account({ status: 'expired', endReason: 'inactive' }), request(), at());
      expect(plan.action === 'send_link' && plan.next.status).toBe('pending');
    });

    it('does nothing for a pending contractor account (no self sign-up link for a contractor)', () => {
      expect(planSignUp(account({ kind: 'contractor' }), request(), at())).toEqual({
        action: 'nothing',
        reason: 'state',
      });
    });
  });
});

describe('classifyVerification', () => {
  const ready = account({ verifyLinks: [{ hash: 'hash-1', expiresAt: NOW_S + 100 }] });

  it('calls a hash without an account invalid', () => {
    expect(classifyVerification(undefined, 'hash-1', NOW_MS)).toEqual({ state: 'invalid' });
  });

  it('calls a hash that is none of the account’s newest links invalid', () => {
    expect(classifyVerification(ready, 'hash-2', NOW_MS)).toEqual({ state: 'invalid' });
  });

  it('calls any of the newest links ready, each until its own expiry', () => {
    const three = account({
      verifyLinks: [
        { hash: 'h1', expiresAt: NOW_S - 1 },
        { hash: 'h2', expiresAt: NOW_S + 10 },
        { hash: 'h3', expiresAt: NOW_S + 20 },
      ],
    });
    expect(['h1', 'h2', 'h3'].map((hash) => classifyVerification(three, hash, NOW_MS).state)).toEqual(['expired', 'ready', 'ready']);
  });

  it('calls a link ready while pending and before expiry', () => {
    expect(classifyVerification(ready, 'hash-1', NOW_MS)).toEqual({ state: 'ready', account: ready });
  });

  it('calls a link ready one millisecond before its expiry second', () => {
    expect(classifyVerification(ready, 'hash-1', (NOW_S + 100) * 1000 - 1).state).toBe('ready');
  });

  it('calls a link expired exactly at its expiry second', () => {
    expect(classifyVerification(ready, 'hash-1', (NOW_S + 100) * 1000)).toEqual({ state: 'expired' });
  });

  it.each<AccountStatus>(['active', 'awaiting_sponsor', 'denied', 'revoked', 'expired'])(
    'calls the link of a %s account done, with that status',
    (status) => {
      expect(
        classifyVerification(account({ status, verifyLinks: [{ hash: 'hash-1', expiresAt: NOW_S + 100 }] }), 'hash-1', NOW_MS),
      ).toEqual({
        state: 'done',
        status,
      });
    },
  );

  it('calls a used link done even after its expiry (its work is done, not expired)', () => {
    const used = account({ status: 'active', verifyLinks: [{ hash: 'hash-1', expiresAt: NOW_S - 1 }] });
    expect(classifyVerification(used, 'hash-1', NOW_MS)).toEqual({ state: 'done', status: 'active' });
  });
});

describe('confirmEmail', () => {
  it('activates an agency account and records when', () => {
    const next = confirmEmail(account(), at());

    expect([next.status, next.activatedAt]).toEqual(['active', '2030-01-15T12:00:00.000Z']);
  });

  it('moves a contractor to awaiting_sponsor without activating, holding the approval token it was given', () => {
    const next = confirmEmail(account({ kind: 'contractor' }), at(), { jti: 'jti-1', expiresAt: 2_000_000_000 });

    expect(next).toMatchObject({ status: 'awaiting_sponsor', approvalJti: 'jti-1', approvalExpiresAt: 2_000_000_000 });
    expect(next).not.toHaveProperty('activatedAt');
  });

  it('refuses to move a contractor without an approval token to record', () => {
    expect(() => confirmEmail(account({ kind: 'contractor' }), at())).toThrow();
  });

  it('removes the TTL attribute so a confirmed account is never deleted', () => {
    expect(confirmEmail(account(), at())).not.toHaveProperty('expireAt');
  });

  it('bumps the version, stamps updatedAt and appends an email_verified entry with the client address', () => {
    const existing = account({ version: 4 });
    const next = confirmEmail(existing, at());

    expect(next.version).toBe(5);
    expect(next.updatedAt).toBe('2030-01-15T12:00:00.000Z');
    expect(next.history).toEqual([...existing.history, { at: '2030-01-15T12:00:00.000Z', event: 'email_verified', by: 'self', ip: IP }]);
  });

  it('keeps the link id and the used links so a second use can be recognised', () => {
    const existing = account();
    const next = confirmEmail(existing, at());
    expect([next.linkId, next.verifyLinks]).toEqual([existing.linkId, existing.verifyLinks]);
  });

  it('does not change the account it was given', () => {
    const existing = account();
    const before = structuredClone(existing);
    confirmEmail(existing, at());

    expect(existing).toEqual(before);
  });
});

describe('splitHistory', () => {
  const entries = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ at: `2030-01-15T12:00:${String(i % 60).padStart(2, '0')}.000Z`, event: `e${i}`, by: 'self' }));

  it('keeps a history of up to 100 entries whole', () => {
    const whole = account({ history: entries(100) });
    expect(splitHistory(whole)).toEqual({ kept: whole, archived: [] });
  });

  it('keeps the newest 100 on the item and hands the older ones to the archive, in order', () => {
    const { kept, archived } = splitHistory(account({ history: entries(130) }));
    expect(kept.history.map((entry) => entry.event)).toEqual(
      entries(130)
        .slice(30)
        .map((entry) => entry.event),
    );
    expect(archived.map((entry) => entry.event)).toEqual(entries(30).map((entry) => entry.event));
  });
});
