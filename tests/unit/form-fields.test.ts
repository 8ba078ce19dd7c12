import { describe, expect, it } from 'vitest';
import { type AppError, InvalidEmailError, InvalidRequestError, UseDirectSignupError } from '../../functions/core/errors';
import { parseBody } from '../../functions/http/body';
import { FIELD_LABELS } from '../../functions/http/fields';
import { checkFields, fieldErrors, plainText } from '../../functions/http/forms';
import { SponsorshipBody } from '../../functions/http/request-bodies';
import { errorResult } from '../../functions/http/respond';
import { formEvent } from '../support/events';

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

const INTERNAL_NAME = /The field "|"(name|company|justification|sponsorEmail|email)"/;

describe('form refusals name each field by its label, never its internal name', () => {
  it.each([
    ['name', 'Jane\u0007 Doe', FIELD_LABELS.name],
    ['company', 'Acme\u200b Corp', FIELD_LABELS.company],
    ['justification', 'see https://evil.example', FIELD_LABELS.justification],
  ])('plainText on %s', (field, value, label) => {
    const error = refusal(() => plainText(value, field, { noLinks: true }));

    expect(error).toMatchObject({ field, message: expect.stringMatching(new RegExp(`^${label} `)) });
    expect(error.message).not.toMatch(INTERNAL_NAME);
  });

  it('a body field over its limit', () => {
    const error = refusal(() => parseBody(formEvent(`justification=${'x'.repeat(1001)}`), SponsorshipBody));

    expect(error.message).toBe('Justification is too long: at most 1000 characters.');
  });

  it('a form field sent twice', () => {
    const error = refusal(() => parseBody(formEvent('company=a&company=b'), SponsorshipBody));

    expect(error.message).toBe('Company was sent more than once. Send it once.');
  });
});

describe('every invalid field at once', () => {
  it('parseBody refuses every over-long field together', () => {
    const error = refusal(() => parseBody(formEvent(`name=${'x'.repeat(201)}&company=${'y'.repeat(201)}`), SponsorshipBody));

    expect(fieldErrors(error).map((each) => each.field)).toEqual(['name', 'company']);
  });

  it('checkFields runs every check and throws their refusals together, a 400 first', () => {
    const error = refusal(() =>
      checkFields([
        () => {
          throw new UseDirectSignupError('Use the sign-up page at / instead.', 'email');
        },
        () => plainText('', 'company', { required: 'Enter the company you work for.' }),
        () => 'fine',
        () => plainText('a\u0007b', 'justification'),
      ]),
    );

    expect(error.code).toBe('invalid_request');
    expect(fieldErrors(error)).toEqual([
      { field: 'company', message: 'Enter the company you work for.' },
      { field: 'justification', message: 'Justification contains control characters. Remove them and try again.' },
      { field: 'email', message: 'Use the sign-up page at / instead.' },
    ]);
  });

  it('checkFields gives each result in order when nothing is refused', () => {
    expect(checkFields([() => 1, () => 'two'] as const)).toEqual([1, 'two']);
  });

  it('a JSON answer lists every refused field, the first deciding the code', async () => {
    const error = refusal(() =>
      checkFields([
        () => {
          throw new InvalidEmailError('Enter an email address with an @, like name@agency.gov.', 'email');
        },
        () => {
          throw new InvalidRequestError('Enter your full name.', 'name');
        },
      ]),
    );

    const answer = errorResult(error, 'json');

    expect([answer.statusCode, JSON.parse(String(answer.body))]).toEqual([
      400,
      {
        error: 'invalid_email',
        message: 'Enter an email address with an @, like name@agency.gov.',
        field: 'email',
        errors: [
          { error: 'invalid_email', field: 'email', message: 'Enter an email address with an @, like name@agency.gov.' },
          { error: 'invalid_request', field: 'name', message: 'Enter your full name.' },
        ],
      },
    ]);
  });

  it('a JSON answer with one refusal stays as it was (no errors list)', () => {
    const answer = errorResult(new InvalidRequestError('Enter your full name.', 'name'), 'json');

    expect(JSON.parse(String(answer.body))).toEqual({ error: 'invalid_request', message: 'Enter your full name.', field: 'name' });
  });
});
