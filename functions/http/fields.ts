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
