/**
 * How long each field may be: the request schemas refuse longer values (400 naming the field)
 * and the forms stop typing at the same limits.
 */
export const EMAIL_MAX = 512;
/** Names and company names. */
export const NAME_MAX = 200;
/** A sponsor's reason for a decision, sent to the contractor. */
export const REASON_MAX = 500;
export const JUSTIFICATION_MAX = 1000;

/** A refusal tied to one field of a form: the page shows the message next to that field. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * What the forms call each field, so a refusal names it as the reader sees it on the page (never
 * the internal name). A field not listed is named by its internal name.
 */
export const FIELD_LABELS = {
  email: 'Your work email address',
  name: 'Full name',
  company: 'Company',
  sponsorEmail: 'Your sponsor’s email address',
  justification: 'Justification',
  reason: 'Reason',
  code: 'Sign-in code',
} as const;

export function fieldLabel(field: string): string {
  return (FIELD_LABELS as Readonly<Record<string, string>>)[field] ?? `The field "${field}"`;
}
