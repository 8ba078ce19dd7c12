import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/service/config';

/** Configuration that cannot work is refused when it is read, in one line naming the variable. */
const MINIMAL = { TABLE_NAME: 'gatekeeper', MAIL_FROM: 'no-reply@sandbox.example.gov' };

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...MINIMAL, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

/** ECMAScript's last instant a date holds, and Node.js's longest timer delay (2^31-1 ms) in whole seconds. */
const LAST_DATE_MS = 8.64e15;
const LONGEST_TIMER_SECONDS = 2_147_483;

/** Whole seconds from now to the last instant a date can hold. */
const secondsToLastDate = () => Math.floor((LAST_DATE_MS - Date.now()) / 1000);

describe('a sweep interval beyond a timer’s range', () => {
  it('takes the longest interval a timer holds, and refuses one second more in one line naming the variable', () => {
    expect(loadConfig({ ...MINIMAL, SWEEP_INTERVAL_SECONDS: String(LONGEST_TIMER_SECONDS) }).sweepIntervalSeconds).toBe(
      LONGEST_TIMER_SECONDS,
    );
    const refused = refusal({ SWEEP_INTERVAL_SECONDS: String(LONGEST_TIMER_SECONDS + 1) });
    expect(refused.variable).toBe('SWEEP_INTERVAL_SECONDS');
    expect(refused.message).toMatch(/^SWEEP_INTERVAL_SECONDS \(2147484\) is beyond a timer's range/);
    expect(refused.message).not.toContain('\n');
  });
});

describe('a period that overflows a date', () => {
  it.each([
    'CONTRACTOR_ACCESS_SECONDS',
    'VERIFICATION_TTL_SECONDS',
    'APPROVAL_TTL_SECONDS',
    'SESSION_TTL_SECONDS',
    'RATE_LIMIT_EMAIL_COOLDOWN_SECONDS',
    'WEBHOOK_RETRY_SECONDS',
    'DORMANT_AFTER_SECONDS',
    'RECONFIRM_SECONDS',
  ])('%s: a date that far from now cannot be held, so it is refused naming the variable', (variable) => {
    const tooLong = secondsToLastDate() + 86_400;
    expect(new Date(Date.now() + tooLong * 1000).getTime()).toBeNaN();
    const refused = refusal({ [variable]: String(tooLong) });
    expect([refused.variable, refused.message]).toEqual([
      variable,
      expect.stringMatching(new RegExp(`^${variable} \\(\\d+\\) is too long`)),
    ]);
  });

  it('in days too: CONTRACTOR_ACCESS_DAYS and SUPPRESSION_DAYS', () => {
    const tooManyDays = Math.ceil(secondsToLastDate() / 86_400) + 1;
    for (const variable of ['CONTRACTOR_ACCESS_DAYS', 'SUPPRESSION_DAYS']) {
      expect(refusal({ [variable]: String(tooManyDays) }).variable).toBe(variable);
    }
  });

  it('takes a long period whose date can still be held (a century of access)', () => {
    const century = 100 * 365 * 86_400;
    const config = loadConfig({ ...MINIMAL, CONTRACTOR_ACCESS_SECONDS: String(century) });
    expect(config.contractorAccessSeconds).toBe(century);
    expect(new Date(Date.now() + century * 1000).getTime()).not.toBeNaN();
  });

  it('refuses webhook retries whose doubling waits past the last date, naming WEBHOOK_MAX_ATTEMPTS', () => {
    expect(loadConfig({ ...MINIMAL, WEBHOOK_MAX_ATTEMPTS: '30' }).maxAttempts).toBe(30);
    const refused = refusal({ WEBHOOK_MAX_ATTEMPTS: '100' });
    expect([refused.variable, refused.message]).toEqual(['WEBHOOK_MAX_ATTEMPTS', expect.stringContaining('WEBHOOK_RETRY_SECONDS (60)')]);
  });
});
