import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../functions/core/errors';
import { MAX_BODY_BYTES, mediaType, parseBody, responseFormat, textField } from '../../functions/http/body';
import { CHOOSE_DECISION, CHOOSE_MANAGE_ACTION, DecisionBody, ManageBody } from '../../functions/http/request-bodies';
import type { HttpEvent } from '../../functions/http/types';
import { formEvent, httpEvent, jsonEvent } from '../support/events';

const SignUpBody = v.object({ email: textField(512), name: textField(200) });

const parse = (event: HttpEvent) => parseBody(event, SignUpBody);

function failure(event: HttpEvent): unknown {
  try {
    parse(event);
  } catch (error) {
    return error;
  }
  throw new Error('expected parseBody to throw');
}

/** A JSON body of exactly `bytes` bytes: `{"email":"user@agency.gov","pad":"xxx…"}`. */
function jsonOfSize(bytes: number): string {
  const head = '{"email":"user@agency.gov","pad":"';
  const tail = '"}';
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
}

describe('parseBody: JSON', () => {
  it('reads the known fields of a JSON object', () => {
    expect(parse(jsonEvent({ email: 'user@agency.gov', name: 'Jane Doe' }))).toEqual({ email: 'user@agency.gov', name: 'Jane Doe' });
  });

  it('reads a base64-encoded JSON body', () => {
    const event = jsonEvent({ email: 'user@agency.gov' }, { base64: true });

    expect(parse(event)).toEqual({ email: 'user@agency.gov' });
  });

  it('ignores unknown fields', () => {
    const event = jsonEvent({ email: 'user@agency.gov', isAdmin: true, status: 'active', kind: ['x'] });

    expect(parse(event)).toEqual({ email: 'user@agency.gov' });
  });

  it('leaves absent optional fields out', () => {
    expect(parse(jsonEvent({}))).toEqual({});
  });

  it('accepts charset=utf-8 in any case and quoted', () => {
    const variants = ['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON; Charset="utf-8"'];

    const parsed = variants.map((type) => parse(jsonEvent({ email: 'a@agency.gov' }, { headers: { 'Content-Type': type } })));

    expect(parsed).toEqual(variants.map(() => ({ email: 'a@agency.gov' })));
  });

  it('reads non-ASCII UTF-8 text', () => {
    expect(parse(jsonEvent({ name: 'Zoë Ñúñez 山田' }))).toEqual({ name: 'Zoë Ñúñez 山田' });
  });

  it.each([
    ['invalid JSON', '{"email": '],
    ['an empty body', ''],
    ['a JSON array', '["user@agency.gov"]'],
    ['JSON null', 'null'],
    ['a JSON string', '"user@agency.gov"'],
    ['a JSON number', '42'],
  ])('refuses %s with InvalidRequestError', (_label, body) => {
    expect(failure(jsonEvent(body))).toBeInstanceOf(InvalidRequestError);
  });

  it.each([
    ['an array', ['victim@agency.gov', 'attacker@evil.com']],
    ['an object', { address: 'user@agency.gov' }],
    ['a number', 42],
    ['null', null],
    ['a boolean', true],
  ])('refuses email as %s with InvalidRequestError naming the field', (_label, email) => {
    const error = failure(jsonEvent({ email }));

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe('email');
  });

  it('refuses an over-long field with InvalidRequestError naming it', () => {
    const error = failure(jsonEvent({ email: 'user@agency.gov', name: 'n'.repeat(201) }));

    expect(error).toMatchObject({ code: 'invalid_request', field: 'name' });
  });

  it('accepts a field of exactly its maximum length', () => {
    expect(parse(jsonEvent({ name: 'n'.repeat(200) }))).toEqual({ name: 'n'.repeat(200) });
  });

  it('refuses invalid UTF-8 bytes with InvalidRequestError', () => {
    const bytes = Buffer.concat([Buffer.from('{"email":"'), Buffer.from([0xff, 0xfe]), Buffer.from('@agency.gov"}')]);

    expect(failure(httpEvent({ method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes }))).toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it('refuses an overlong UTF-8 encoding with InvalidRequestError', () => {
    // C0 AF is an overlong "/", a classic filter bypass.
    const bytes = Buffer.concat([Buffer.from('{"email":"a'), Buffer.from([0xc0, 0xaf]), Buffer.from('@agency.gov"}')]);

    expect(failure(httpEvent({ method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes }))).toBeInstanceOf(
      InvalidRequestError,
    );
  });
});

describe('parseBody: forms', () => {
  it('reads a plain form body', () => {
    const event = formEvent('email=user%40agency.gov&name=Jane+Doe', { base64: false });

    expect(parse(event)).toEqual({ email: 'user@agency.gov', name: 'Jane Doe' });
  });

  it('reads a base64-encoded form body', () => {
    expect(parse(formEvent({ email: 'user@agency.gov', name: 'Jane Doe' }))).toEqual({ email: 'user@agency.gov', name: 'Jane Doe' });
  });

  it('accepts charset=utf-8', () => {
    const event = formEvent(
      { email: 'user@agency.gov' },
      { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' } },
    );

    expect(parse(event)).toEqual({ email: 'user@agency.gov' });
  });

  it('ignores unknown fields, even repeated ones', () => {
    expect(parse(formEvent('email=user%40agency.gov&role=admin&role=root'))).toEqual({ email: 'user@agency.gov' });
  });

  it.each(['email', 'name'])('refuses a repeated %s field with InvalidRequestError naming it', (field) => {
    const error = failure(formEvent(`${field}=one%40agency.gov&${field}=two%40agency.gov`));

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe(field);
  });

  it('refuses an over-long field with InvalidRequestError naming it', () => {
    const error = failure(formEvent({ email: `${'a'.repeat(502)}@agency.gov` })); // 513 characters

    expect(error).toMatchObject({ code: 'invalid_request', field: 'email' });
  });

  it('refuses invalid UTF-8 bytes with InvalidRequestError', () => {
    const bytes = Buffer.concat([Buffer.from('email=user'), Buffer.from([0xe9]), Buffer.from('%40agency.gov')]);

    expect(
      failure(httpEvent({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: bytes })),
    ).toBeInstanceOf(InvalidRequestError);
  });
});

describe('parseBody: content type', () => {
  it.each([
    ['charset=latin1', 'application/json; charset=latin1'],
    ['charset=iso-8859-1 on a form', 'application/x-www-form-urlencoded; charset=iso-8859-1'],
    ['text/plain', 'text/plain'],
    ['multipart/form-data', 'multipart/form-data; boundary=x'],
    ['application/json-seq', 'application/json-seq'],
  ])('refuses %s with UnsupportedMediaTypeError (415)', (_label, type) => {
    const event = jsonEvent({ email: 'user@agency.gov' }, { headers: { 'content-type': type } });

    expect(failure(event)).toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('refuses a body without a content type with UnsupportedMediaTypeError', () => {
    const event = httpEvent({ method: 'POST', body: '{"email":"user@agency.gov"}' });

    expect(failure(event)).toBeInstanceOf(UnsupportedMediaTypeError);
  });
});

describe('parseBody: size', () => {
  it('accepts a body of exactly 16 KiB', () => {
    expect(parse(jsonEvent(jsonOfSize(MAX_BODY_BYTES)))).toEqual({ email: 'user@agency.gov' });
  });

  it('refuses a body of 16 KiB + 1 byte with PayloadTooLargeError', () => {
    expect(failure(jsonEvent(jsonOfSize(MAX_BODY_BYTES + 1)))).toBeInstanceOf(PayloadTooLargeError);
  });

  it('counts the decoded bytes of a base64 body, not its encoded length', () => {
    expect(parse(jsonEvent(jsonOfSize(MAX_BODY_BYTES), { base64: true }))).toEqual({ email: 'user@agency.gov' });
  });

  it('counts bytes, not characters', () => {
    const body = JSON.stringify({ name: 'é'.repeat(MAX_BODY_BYTES / 2) }); // 2 bytes each

    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    expect(failure(jsonEvent(body))).toBeInstanceOf(PayloadTooLargeError);
  });

  it('is 16 KiB', () => {
    expect(MAX_BODY_BYTES).toBe(16_384);
  });
});

describe('parseBody: choice fields', () => {
  const body = (decision: unknown) => parseBody(formEvent({ token: 't', decision: String(decision) }), DecisionBody);

  it('takes one of the choices, in a form or JSON, and leaves an absent one to the handler', () => {
    expect(body('approve')).toEqual({ token: 't', decision: 'approve' });
    expect(parseBody(jsonEvent({ token: 't', decision: 'deny' }), DecisionBody).decision).toBe('deny');
    expect(parseBody(jsonEvent({ token: 't' }), DecisionBody).decision).toBeUndefined();
  });

  it('refuses anything else with the field and what to choose', () => {
    for (const wrong of ['Approve', 'yes', '']) {
      expect(() => body(wrong)).toThrowError(expect.objectContaining({ field: 'decision', message: CHOOSE_DECISION }));
    }
    const asNumber = () => parseBody(jsonEvent({ token: 't', decision: 1 }), DecisionBody);
    expect(asNumber).toThrowError(expect.objectContaining({ field: 'decision', message: CHOOSE_DECISION }));
    const manage = () => parseBody(jsonEvent({ token: 't', requestId: 'r', action: 'extend' }), ManageBody);
    expect(manage).toThrowError(expect.objectContaining({ field: 'action', message: CHOOSE_MANAGE_ACTION }));
  });
});

describe('mediaType', () => {
  it('splits type and charset', () => {
    expect(mediaType('application/json; charset=utf-8')).toEqual({ type: 'application/json', charset: 'utf-8' });
  });

  it('lower-cases, trims and unquotes', () => {
    expect(mediaType(' Application/X-WWW-Form-Urlencoded ; Charset="UTF-8" ')).toEqual({
      type: 'application/x-www-form-urlencoded',
      charset: 'utf-8',
    });
  });

  it('ignores other parameters', () => {
    expect(mediaType('multipart/form-data; boundary=abc')).toEqual({ type: 'multipart/form-data' });
  });

  it('gives an empty type for a missing header', () => {
    expect(mediaType(undefined)).toEqual({ type: '' });
  });
});

describe('responseFormat', () => {
  it('answers a form post with HTML', () => {
    expect(responseFormat(formEvent({ email: 'x' }))).toBe('html');
  });

  it('answers JSON with JSON, even when the client also accepts HTML', () => {
    expect(responseFormat(jsonEvent({}, { headers: { accept: 'text/html,application/json' } }))).toBe('json');
  });

  it('answers HTML when there is no body type and the client accepts HTML', () => {
    expect(responseFormat(httpEvent({ headers: { accept: 'text/html,application/xhtml+xml' } }))).toBe('html');
  });

  it('answers JSON when there is neither a body type nor an HTML Accept', () => {
    expect(responseFormat(httpEvent({ headers: { accept: '*/*' } }))).toBe('json');
  });
});
