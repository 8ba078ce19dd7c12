import { AppError, InvalidRequestError } from '../core/errors';
import type { FieldError } from './fields';
import { errorHeaders, html, statusOf } from './respond';
import type { Format, HttpResult } from './types';

/** C0 and C1 controls (U+0000–001F, U+007F–009F). */
const CONTROL = /\p{Cc}/u;
/** The same, except tab, line feed and carriage return. */
const CONTROL_EXCEPT_LINES = /[^\P{Cc}\t\n\r]/u;

/**
 * A free-text field, trimmed. Control characters are refused (these strings go into emails);
 * a multi-line field may hold line breaks and tabs. `required` names what to ask for.
 */
export function plainText(
  value: string | undefined,
  field: string,
  options: { required?: string; multiline?: boolean } = {},
): string | undefined {
  const text = value?.trim();
  if (!text) {
    if (options.required) throw new InvalidRequestError(options.required, field);
    return undefined;
  }
  if ((options.multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(text)) {
    throw new InvalidRequestError(`The field "${field}" contains control characters. Remove them and try again.`, field);
  }
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
