import { AppError, InvalidRequestError } from '../core/errors';
import { type TextProblem, type TextRules, textProblem } from '../core/text';
import type { FieldError } from './fields';
import { errorHeaders, html, statusOf } from './respond';
import type { Format, HttpResult } from './types';

const PROBLEMS: Record<TextProblem, (field: string) => string> = {
  ill_formed: (field) => `The field "${field}" is not valid text (it holds a broken character). Type it again and try again.`,
  control: (field) => `The field "${field}" contains control characters. Remove them and try again.`,
  invisible: (field) =>
    `The field "${field}" contains invisible formatting characters (such as direction marks or zero-width spaces). Remove them and try again.`,
  separator: (field) => `The field "${field}" contains a line or paragraph separator. Use an ordinary line break, or none.`,
  link: (field) => `The field "${field}" cannot hold a web address or link. Remove it and try again.`,
};

/**
 * A free-text field, trimmed, held to the rules for text people write (core/text.ts): refused
 * with 400 naming the field. `required` names what to ask for when it is empty.
 */
export function plainText(value: string | undefined, field: string, options: TextRules & { required?: string } = {}): string | undefined {
  const text = value?.trim();
  if (!text) {
    if (options.required) throw new InvalidRequestError(options.required, field);
    return undefined;
  }
  const problem = textProblem(text, options);
  if (problem) throw new InvalidRequestError(PROBLEMS[problem](field), field);
  return text;
}

/**
 * Runs a form's action; for an HTML form post, an error tied to one field re-renders the form
 * with the message next to that field and the values kept. JSON callers get the error as is.
 */
export async function withFormErrors(
  format: Format,
  action: () => Promise<HttpResult>,
  page: (error: FieldError) => string,
): Promise<HttpResult> {
  try {
    return await action();
  } catch (error) {
    if (format === 'html' && error instanceof AppError && error.field) {
      return html(statusOf(error), page({ field: error.field, message: error.message }), errorHeaders(error));
    }
    throw error;
  }
}
