import { AppError, InvalidRequestError, refusedTogether } from '../core/errors';
import { type TextProblem, type TextRules, textProblem } from '../core/text';
import { type FieldError, fieldLabel } from './fields';
import { errorHeaders, html, statusOf } from './respond';
import type { Format, HttpResult } from './types';

const PROBLEMS: Record<TextProblem, (label: string) => string> = {
  ill_formed: (label) => `${label} is not valid text (it holds a broken character). Type it again and try again.`,
  control: (label) => `${label} contains control characters. Remove them and try again.`,
  invisible: (label) =>
    `${label} contains invisible formatting characters (such as direction marks or zero-width spaces). Remove them and try again.`,
  separator: (label) => `${label} contains a line or paragraph separator. Use an ordinary line break, or none.`,
  link: (label) => `${label} cannot hold a web address or link. Remove it and try again.`,
};

/**
 * A free-text field, trimmed, held to the rules for text people write (core/text.ts): refused
 * with 400 naming the field by its label. `required` names what to ask for when it is empty.
 */
export function plainText(value: string | undefined, field: string, options: TextRules & { required?: string } = {}): string | undefined {
  const text = value?.trim();
  if (!text) {
    if (options.required) throw new InvalidRequestError(options.required, field);
    return undefined;
  }
  const problem = textProblem(text, options);
  if (problem) throw new InvalidRequestError(PROBLEMS[problem](fieldLabel(field)), field);
  return text;
}

type Results<T extends readonly (() => unknown)[]> = { -readonly [K in keyof T]: T[K] extends () => infer R ? R : never };

/**
 * Runs every field's check, so a form reports every invalid field at once: each result in order,
 * or one error carrying all the fields' refusals, a 400 first (the order of checks puts the body's
 * faults before the rules' 422s). Anything not tied to a field is thrown at once.
 */
export function checkFields<const T extends readonly (() => unknown)[]>(checks: T): Results<T> {
  const results: unknown[] = [];
  const refused: AppError[] = [];
  for (const check of checks) {
    try {
      results.push(check());
    } catch (error) {
      if (!(error instanceof AppError && error.field)) throw error;
      refused.push(error, ...error.others);
      error.others = [];
    }
  }
  const [first, ...rest] = [...refused].sort((a, b) => statusOf(a) - statusOf(b));
  if (first) throw refusedTogether(first, ...rest);
  return results as Results<T>;
}

/** Every field an error refuses, in the order found. */
export function fieldErrors(error: AppError): FieldError[] {
  return [error, ...error.others].flatMap((each) => (each.field ? [{ field: each.field, message: each.message }] : []));
}

/**
 * Runs a form's action; for an HTML form post, an error tied to fields re-renders the form
 * with each message next to its field and the values kept. JSON callers get the error as is.
 */
export async function withFormErrors(
  format: Format,
  action: () => Promise<HttpResult>,
  page: (errors: readonly FieldError[]) => string,
): Promise<HttpResult> {
  try {
    return await action();
  } catch (error) {
    if (format === 'html' && error instanceof AppError && error.field) {
      return html(statusOf(error), page(fieldErrors(error)), errorHeaders(error));
    }
    throw error;
  }
}
