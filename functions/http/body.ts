import * as v from 'valibot';
import { InvalidRequestError, PayloadTooLargeError, refusedTogether, UnsupportedMediaTypeError } from '../core/errors';
import { fieldLabel } from './fields';
import type { HttpEvent } from './types';

export const MAX_BODY_BYTES = 16 * 1024;

type FieldsSchema = v.ObjectSchema<v.ObjectEntries, undefined>;

/** A text field that may be absent; longer than `max` characters is an `invalid_request`. */
export function textField(max: number) {
  return v.optional(v.pipe(v.string(), v.maxLength(max)));
}

/**
 * A field whose value is one of `choices`, or absent (the handler says what to do then); any other
 * value is an `invalid_request` with `message`, naming the field. OpenAPI shows the choices.
 */
export function choiceField<const C extends readonly [string, ...string[]]>(choices: C, message: string) {
  return v.optional(v.picklist(choices, message));
}

export function header(event: HttpEvent, name: string): string | undefined {
  return event.headers?.[name.toLowerCase()];
}

/** How UTF-8 is spelled in a Content-Type: `utf8` is a common alias. */
const UTF8 = ['utf-8', 'utf8'];

/** `application/json; charset=utf-8` → `{ type: 'application/json', charset: 'utf-8' }`. */
export function mediaType(value: string | undefined): { type: string; charset?: string } {
  const [type = '', ...params] = (value ?? '').split(';');
  const result: { type: string; charset?: string } = { type: type.trim().toLowerCase() };
  for (const param of params) {
    const [key, raw] = param.split('=');
    if (key?.trim().toLowerCase() === 'charset' && raw !== undefined) {
      result.charset = raw.trim().replace(/^"|"$/g, '').toLowerCase();
    }
  }
  return result;
}

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

function rawBody(event: HttpEvent): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InvalidRequestError('The request body is not valid UTF-8 text.');
  }
}

function fromJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidRequestError('The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRequestError('The request body must be a JSON object.');
  }
  return value;
}

function fromForm(text: string, known: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (!known.includes(key)) continue;
    if (key in fields) throw new InvalidRequestError(`${fieldLabel(key)} was sent more than once. Send it once.`, key);
    fields[key] = value;
  }
  return fields;
}

function describeIssue(issue: v.BaseIssue<unknown>): InvalidRequestError {
  const field = issue.path?.map((item) => String(item.key)).join('.');
  if (!field) return new InvalidRequestError('The request body must be an object of text fields.');
  if (issue.type === 'picklist') return new InvalidRequestError(issue.message, field);
  if (issue.type === 'max_length') {
    return new InvalidRequestError(`${fieldLabel(field)} is too long: at most ${String(issue.requirement)} characters.`, field);
  }
  return new InvalidRequestError(`${fieldLabel(field)} must be text.`, field);
}

/**
 * Reads a JSON or form body into the schema's fields. Order of refusals: size (413), content
 * type and charset (415), encoding and syntax (400), then each field's type and length (400,
 * naming the field). Unknown fields are ignored; a known form field sent twice is refused.
 */
export function parseBody<S extends FieldsSchema>(event: HttpEvent, schema: S): v.InferOutput<S> {
  const bytes = rawBody(event);
  if (bytes.length > MAX_BODY_BYTES) throw new PayloadTooLargeError('The request body is larger than 16 KiB.');
  const { type, charset } = mediaType(header(event, 'content-type'));
  if ((type !== JSON_TYPE && type !== FORM_TYPE) || (charset !== undefined && !UTF8.includes(charset))) {
    throw new UnsupportedMediaTypeError('Send the request as application/json or application/x-www-form-urlencoded, in UTF-8.');
  }
  const text = decodeUtf8(bytes);
  const input = type === JSON_TYPE ? fromJson(text) : fromForm(text, Object.keys(schema.entries));
  const result = v.safeParse(schema, input);
  if (!result.success) {
    throw refusedTogether(describeIssue(result.issues[0]), ...result.issues.slice(1).map(describeIssue));
  }
  return result.output;
}

/** `Accept: application/json` without `text/html`: our pages' script, a partner site's `fetch`, a client; never a browser's navigation. */
export function asksForJsonOnly(event: HttpEvent): boolean {
  const accept = header(event, 'accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** JSON in, JSON out; a form post gets HTML, unless it asks for JSON only. */
export function responseFormat(event: HttpEvent): 'html' | 'json' {
  if (asksForJsonOnly(event)) return 'json';
  const accept = header(event, 'accept') ?? '';
  const { type } = mediaType(header(event, 'content-type'));
  if (type === FORM_TYPE) return 'html';
  if (type === JSON_TYPE) return 'json';
  return accept.includes('text/html') ? 'html' : 'json';
}

/**
 * A machine route's JSON body (the sandbox's reports: larger than a person's form, and not only
 * text fields): size (413), content type (415), syntax (400), then the schema (400, naming where).
 */
export function parseJsonBody<S extends v.GenericSchema>(event: HttpEvent, schema: S, maxBytes: number): v.InferOutput<S> {
  const bytes = rawBody(event);
  if (bytes.length > maxBytes) throw new PayloadTooLargeError(`The request body is larger than ${Math.round(maxBytes / 1024)} KiB.`);
  const { type, charset } = mediaType(header(event, 'content-type'));
  if (type !== JSON_TYPE || (charset !== undefined && !UTF8.includes(charset))) {
    throw new UnsupportedMediaTypeError('Send the request as application/json, in UTF-8.');
  }
  const result = v.safeParse(schema, fromJson(decodeUtf8(bytes)));
  if (result.success) return result.output;
  const issue = result.issues[0];
  const where = issue.path?.map((item) => String(item.key)).join('.') || 'body';
  throw new InvalidRequestError(`"${where}": ${issue.message}`, where);
}
