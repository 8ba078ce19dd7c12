import { describe, expect, it } from 'vitest';
import { describeError, redact } from '../../functions/core/redact';

describe('redact', () => {
  it.each([
    ['Identities failed: jane.doe@agency.gov, bob+x@mail.mil', 'Identities failed: j***@agency.gov, b***@mail.mil'],
    ['token=Xc_GZx-WhlUbAf6jg72d1LCXLa2ZdYCQ879dlZ7hG1E in query', 'token=[token] in query'],
    ['bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJyZXEifQ.c2lnbmF0dXJl end', 'bearer [jwt] end'],
    ['ConditionalCheckFailedException: The conditional request failed', 'ConditionalCheckFailedException: The conditional request failed'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('masks addresses in a stack trace too', () => {
    const error = new Error('rejected: secret.person@agency.gov');
    const text = describeError(error);
    expect(text).toContain('s***@agency.gov');
    expect(text).not.toContain('secret.person@agency.gov');
  });
});
