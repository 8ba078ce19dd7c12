import { describe, expect, it } from 'vitest';
import { mailboxOf } from '../../functions/core/address';
import { allowanceDay, type EmailLimits, mayTake } from '../../functions/core/mailbox-allowance';

const LIMITS: EmailLimits = { cooldownSeconds: 60, perDay: 5 };
const NOW_MS = Date.parse('2030-01-15T12:00:00.000Z');
const NOW = NOW_MS / 1000;

describe('mayTake: one email per cooldown, at most perDay a UTC day', () => {
  it('allows the first email of the day', () => {
    expect(mayTake(undefined, NOW_MS, LIMITS)).toBe(true);
  });

  it('refuses 59 s after the last email and allows at 60 s', () => {
    expect(mayTake({ count: 1, lastEmailAt: NOW - 59 }, NOW_MS, LIMITS)).toBe(false);
    expect(mayTake({ count: 1, lastEmailAt: NOW - 60 }, NOW_MS, LIMITS)).toBe(true);
  });

  it('allows the 5th email of a day and refuses the 6th', () => {
    expect(mayTake({ count: 4, lastEmailAt: NOW - 3600 }, NOW_MS, LIMITS)).toBe(true);
    expect(mayTake({ count: 5, lastEmailAt: NOW - 3600 }, NOW_MS, LIMITS)).toBe(false);
  });

  it('honours other limits it is given', () => {
    expect(mayTake({ count: 1, lastEmailAt: NOW - 3600 }, NOW_MS, { cooldownSeconds: 7200, perDay: 5 })).toBe(false);
    expect(mayTake({ count: 9, lastEmailAt: NOW - 3600 }, NOW_MS, { cooldownSeconds: 60, perDay: 10 })).toBe(true);
  });

  it('counts by UTC day: the day of 23:59:59 and of 00:00:00 differ', () => {
    expect(allowanceDay(Date.parse('2030-01-15T23:59:59.999Z'))).toBe(Date.parse('2030-01-15T00:00:00Z') / 1000);
    expect(allowanceDay(Date.parse('2030-01-16T00:00:00.000Z'))).toBe(Date.parse('2030-01-16T00:00:00Z') / 1000);
  });
});

describe('mailboxOf: limits count mailboxes, not spellings', () => {
  it.each([
    ['jane+1@agency.gov', 'jane@agency.gov'],
    ['jane+a+b@agency.gov', 'jane@agency.gov'],
    ['jane@agency.gov', 'jane@agency.gov'],
    ['j.ane+x@us.af.mil', 'j.ane@us.af.mil'],
  ])('%s → %s', (address, mailbox) => {
    expect(mailboxOf(address)).toBe(mailbox);
  });

  it('leaves a local part that starts with + alone (there is no mailbox before it)', () => {
    expect(mailboxOf('+x@agency.gov')).toBe('+x@agency.gov');
  });
});
