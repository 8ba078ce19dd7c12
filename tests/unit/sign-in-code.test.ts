import { describe, expect, it } from 'vitest';
import {
  CODE_TTL_SECONDS,
  checkCode,
  isLocked,
  LOCK_SECONDS,
  newSignInCode,
  type SponsorRecord,
  typedCode,
  WRONG_CODES_BEFORE_LOCK,
  withNewCode,
} from '../../functions/core/sign-in-code';

const NOW = Date.parse('2030-01-15T12:00:00.000Z');
const MAILBOX = 'sam.sponsor@agency.gov';
const CODE = '042917';
const OTHER = '042918';

/** The record as it stands after `n` wrong codes typed against `record`, one a second. */
function afterWrong(record: SponsorRecord, n: number, code = '999999'): SponsorRecord {
  let current = record;
  for (let i = 0; i < n; i++) {
    const checked = checkCode(current, code, NOW + i * 1000);
    if (checked.verdict !== 'wrong' || !checked.next) throw new Error(`wrong code ${i + 1} was ${checked.verdict}`);
    current = checked.next;
  }
  return current;
}

describe('newSignInCode', () => {
  it('is six digits, leading zeros kept, and differs from call to call', () => {
    const codes = Array.from({ length: 200 }, () => newSignInCode());
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });
});

describe('checkCode', () => {
  it('takes the right code once: it is used up, and the same code is then wrong', () => {
    const record = withNewCode(undefined, MAILBOX, CODE, NOW);
    const first = checkCode(record, CODE, NOW + 1000);
    expect(first.verdict).toBe('right');
    if (first.verdict !== 'right') return;
    expect([first.next.codeHash, first.next.codeSalt, first.next.codeExpiresAt, first.next.wrongCodes]).toEqual([
      undefined,
      undefined,
      undefined,
      0,
    ]);
    expect(first.next.version).toBe(record.version + 1);
    expect(checkCode(first.next, CODE, NOW + 2000).verdict).toBe('wrong');
  });

  it('stores only a salted hash: neither the code nor its plain hash is in the record', () => {
    const record = withNewCode(undefined, MAILBOX, CODE, NOW);
    expect(JSON.stringify(record)).not.toContain(CODE);
    expect(withNewCode(undefined, MAILBOX, CODE, NOW).codeHash, 'a new salt, a new hash').not.toBe(record.codeHash);
  });

  it('answers a wrong code "wrong" and counts it', () => {
    const record = withNewCode(undefined, MAILBOX, CODE, NOW);
    const checked = checkCode(record, OTHER, NOW + 1000);
    expect(checked).toMatchObject({ verdict: 'wrong', next: { wrongCodes: 1, codeHash: record.codeHash, version: record.version + 1 } });
  });

  it('works until its ten minutes are up, and is "wrong" from then on', () => {
    const record = withNewCode(undefined, MAILBOX, CODE, NOW);
    expect(record.codeExpiresAt).toBe(NOW / 1000 + CODE_TTL_SECONDS);
    expect(checkCode(record, CODE, NOW + (CODE_TTL_SECONDS - 1) * 1000).verdict).toBe('right');
    expect(checkCode(record, CODE, NOW + CODE_TTL_SECONDS * 1000).verdict).toBe('wrong');
  });

  it('answers "wrong" where no code was ever sent, writing nothing', () => {
    expect(checkCode(undefined, CODE, NOW)).toEqual({ verdict: 'wrong' });
    expect(checkCode({ mailbox: MAILBOX, version: 0 }, CODE, NOW)).toEqual({ verdict: 'wrong' });
  });

  it('the fifth wrong code locks the mailbox for an hour and drops the code: even the right one no longer works', () => {
    const record = withNewCode(undefined, MAILBOX, CODE, NOW);
    const four = afterWrong(record, WRONG_CODES_BEFORE_LOCK - 1);
    expect(four.wrongCodes).toBe(4);
    const fifth = checkCode(four, OTHER, NOW + 10_000);
    expect(fifth).toMatchObject({ verdict: 'locked', retryAfterSeconds: LOCK_SECONDS });
    if (fifth.verdict !== 'locked' || !fifth.next) throw new Error('expected the lock to be written');
    const locked = fifth.next;
    expect([locked.codeHash, locked.codeSalt, locked.codeExpiresAt, locked.lockedUntil]).toEqual([
      undefined,
      undefined,
      undefined,
      (NOW + 10_000) / 1000 + LOCK_SECONDS,
    ]);
    expect(isLocked(locked, NOW + 10_000)).toBe(true);
    expect(checkCode(locked, CODE, NOW + 20_000)).toMatchObject({ verdict: 'locked', retryAfterSeconds: LOCK_SECONDS - 10 });
    expect(isLocked(locked, NOW + 10_000 + (LOCK_SECONDS - 1) * 1000)).toBe(true);
    expect(isLocked(locked, NOW + 10_000 + LOCK_SECONDS * 1000), 'an hour later').toBe(false);
  });

  it('four wrong codes and then the right one: signed in, and the count starts again', () => {
    const four = afterWrong(withNewCode(undefined, MAILBOX, CODE, NOW), 4);
    const right = checkCode(four, CODE, NOW + 10_000);
    expect(right).toMatchObject({ verdict: 'right', next: { wrongCodes: 0 } });
  });

  it('a new code keeps the wrong count: asking for codes does not buy more guesses', () => {
    const four = afterWrong(withNewCode(undefined, MAILBOX, CODE, NOW), 4);
    const renewed = withNewCode(four, MAILBOX, OTHER, NOW + 5000);
    expect(renewed.wrongCodes).toBe(4);
    expect(renewed.version).toBe(four.version + 1);
    expect(checkCode(renewed, CODE, NOW + 6000), 'the previous code stops working; one more wrong locks').toMatchObject({
      verdict: 'locked',
    });
  });

  it('after a lock has run out, a new code starts with a clean count and works', () => {
    const four = afterWrong(withNewCode(undefined, MAILBOX, CODE, NOW), 4);
    const fifth = checkCode(four, OTHER, NOW + 10_000);
    if (fifth.verdict !== 'locked' || !fifth.next) throw new Error('expected a lock');
    const later = NOW + 10_000 + LOCK_SECONDS * 1000;
    const fresh = withNewCode(fifth.next, MAILBOX, CODE, later);
    expect([fresh.wrongCodes, fresh.lockedUntil, isLocked(fresh, later)]).toEqual([0, undefined, false]);
    expect(checkCode(fresh, CODE, later + 1000).verdict).toBe('right');
  });

  it('one mailbox’s code does not verify another’s: the hash is bound to the mailbox', () => {
    const mine = withNewCode(undefined, MAILBOX, CODE, NOW);
    // Another mailbox's record holding this mailbox's hash and salt (as if copied across): the same code is still wrong there.
    const theirs: SponsorRecord = { ...mine, mailbox: 'other.sponsor@agency.gov' };
    expect(checkCode(theirs, CODE, NOW + 1000).verdict).toBe('wrong');
    expect(checkCode(mine, CODE, NOW + 1000).verdict).toBe('right');
  });
});

describe('typedCode', () => {
  it.each([
    ['042917', '042917'],
    ['042 917', '042917'],
    ['042-917', '042917'],
    [' 04 29-17\t', '042917'],
    ['', ''],
  ])('reads %j as %j', (input, expected) => {
    expect(typedCode(input)).toBe(expected);
  });

  it('reads nothing typed as the empty string', () => {
    expect(typedCode(undefined)).toBe('');
  });
});
